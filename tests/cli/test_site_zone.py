"""The site's time zone numbers refs and bounds months; a user's --tz (or LIYUAN_TZ) changes only
what that user sees. Once a terminal started with --tz UTC numbered a request received on
1 December in Shanghai as 202611-…, while the month report counted it in December."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from cli_runner import run_liyuan

from liyuan_tui.domain.clock import FakeClock

# 00:30 on 1 December in Shanghai: still 30 November in UTC.
FIRST_OF_DECEMBER = FakeClock(datetime(2026, 11, 30, 16, 30, tzinfo=UTC))


def test_a_users_zone_changes_what_they_see_not_the_sites_refs_or_months(cli_desk):
    env = dict(cli_desk, LIYUAN_TZ="America/New_York")
    logged = run_liyuan(
        env,
        "--tz",
        "UTC",
        "log",
        "--category",
        "B",
        "--unit",
        "1-101",
        "--phone",
        "139",
        clock=FIRST_OF_DECEMBER,
    )
    assert logged.returncode == 0, logged.stderr
    ref = logged.stdout.strip()
    assert ref.startswith("202612-")  # the site's month (Asia/Shanghai), not the terminal's
    shown = json.loads(run_liyuan(env, "--tz", "UTC", "show", ref, "--json", clock=FIRST_OF_DECEMBER).stdout)
    assert shown["received_at"].startswith("2026-11-30T16:30") and shown["received_at"].endswith("+00:00")
    report = json.loads(
        run_liyuan(
            env, "--tz", "UTC", "report", "--month", "2026-12", "--format", "json", clock=FIRST_OF_DECEMBER
        ).stdout
    )
    assert report["total"] == 1  # the month it is numbered in is the month it is counted in


def test_the_sites_config_sets_the_sites_zone(cli_desk, tmp_path):
    config = tmp_path / "etc-liyuan" / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text('tz = "UTC"\n', encoding="utf-8")
    logged = run_liyuan(
        cli_desk, "log", "--category", "B", "--unit", "1-101", "--phone", "139", clock=FIRST_OF_DECEMBER
    )
    assert logged.stdout.startswith("202611-")  # a site in UTC: still November there
    checked = run_liyuan(cli_desk, "--lang", "zh", "check")
    assert "站点时区" in checked.stdout and "UTC" in checked.stdout and "(default)" not in checked.stdout

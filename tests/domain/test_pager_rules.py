"""The pager's rules, pure: the rungs a page climbs, the back-off of a failed delivery, the config
file read with every problem found, and the page's text — plain, one line per fact, the unit
masked as the receiver's role would see it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from liyuan_tui.domain.i18n import Translator
from liyuan_tui.domain.models import Request, Staff
from liyuan_tui.domain.pager import retry_after, rung_due, rungs
from liyuan_tui.domain.pager_config import read_pager_config
from liyuan_tui.domain.paging import Page
from liyuan_tui.reports.page_text import page_text

T0 = datetime(2026, 11, 27, 14, 0, tzinfo=UTC)


def test_a_page_climbs_repeated_then_the_backup_then_the_next_role_up():
    plan = [(r.duty, r.backup, r.kind) for r in rungs("duty_supervisor")]
    assert plan == [
        ("duty_supervisor", False, "first"),
        ("duty_supervisor", False, "repeat"),
        ("duty_supervisor", True, "backup"),
        ("duty_manager", False, "up"),
        ("duty_manager", True, "backup"),
    ]
    assert [r.kind for r in rungs("duty_manager")] == ["first", "repeat", "backup"]  # the top
    assert rung_due(T0, 3, timedelta(minutes=5)) == T0 + timedelta(minutes=15)


@given(st.integers(min_value=1, max_value=1000))
def test_a_failed_delivery_waits_longer_each_time_up_to_five_minutes(attempts):
    wait = retry_after(attempts)
    assert timedelta(seconds=10) <= wait <= timedelta(minutes=5)
    assert retry_after(attempts + 1) >= wait


def test_the_config_is_read_with_every_problem_and_its_limits(tmp_path):
    path = tmp_path / "pager.toml"
    path.write_text(
        '[contacts]\nzhou = ["mailto://a:b@c?to=d@e", "wecombot://KEY"]\nmgr = "json://h/x"\n'
        "[limits]\nack_minutes = 3\nmax_attempts = 4\n"
    )
    path.chmod(0o600)
    config = read_pager_config(path)
    assert config.problems == []
    assert config.urls("zhou") == ["mailto://a:b@c?to=d@e", "wecombot://KEY"]
    assert config.urls("mgr") == ["json://h/x"] and config.urls("nobody") == []
    assert (config.ack_minutes, config.max_attempts) == (3, 4)


@pytest.mark.parametrize(
    "text, key",
    [
        ("[contacts]\nzhou = []\n", "pager.config.urls_bad"),
        ("[contacts]\nzhou = [1]\n", "pager.config.urls_bad"),
        ('[contacts]\nzhou = ["no scheme"]\n', "pager.config.url_bad"),
        ('[contacts]\nzhou = ["json://h/\\u001b[2J"]\n', "pager.config.url_bad"),
        ("[limits]\nack_minutes = 5\n", "pager.config.no_contacts"),
        ("[contacts]\n[limits]\nack_minutes = true\n", "pager.config.limit_bad"),
        ("[contacts]\n[limits]\nmax_attempts = 1000\n", "pager.config.limit_bad"),
        ("[contacts]\n[channels]\n", "pager.config.unknown_table"),
    ],
)
def test_each_problem_of_the_config_is_named(tmp_path, text, key):
    path = tmp_path / "pager.toml"
    path.write_text(text)
    path.chmod(0o600)
    assert [p.key for p in read_pager_config(path).problems] == [key]


def test_a_config_readable_by_everyone_is_a_problem(tmp_path):
    path = tmp_path / "pager.toml"
    path.write_text("[contacts]\n")
    path.chmod(0o644)
    assert [p.key for p in read_pager_config(path).problems] == ["pager.config.world_readable"]


def _request(**fields) -> Request:
    base = dict(
        id=1,
        ref="202611-0042",
        ref_month="202611",
        ref_seq=42,
        category="medical",
        unit="3栋1201",
        received_at=T0,
        reply_due_at=T0 + timedelta(minutes=10),
        created_by="ann",
    )
    return Request(**{**base, **fields})


def _page(**fields) -> Page:
    return Page(
        key="liyuan:major:7:0:mgr",
        chain="major:7",
        ref="202611-0042",
        login="mgr",
        reason="major",
        queued_at=T0,
        **fields,
    )


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_page_names_the_request_category_unit_lateness_and_how_to_acknowledge(procedures, lang):
    t = Translator(lang)
    text = page_text(
        _page(),
        _request(),
        Staff(login="mgr", name="经理", role="manager"),
        t=t,
        procedures=procedures,
        tz=ZoneInfo("Asia/Shanghai"),
        now=T0 + timedelta(minutes=12, seconds=5),
    )
    assert "202611-0042" in text.title and "\n" not in text.title
    assert "3栋1201" in text.body and procedures["medical"].name(lang) in text.body
    assert "02:05" in text.body  # how late the reply is
    assert "liyuan ack 202611-0042" in text.body and "liyuan:major:7:0:mgr" in text.body


def test_a_confidential_units_is_masked_as_the_receivers_role_would_see_it(procedures):
    req = _request(confidential=True, category="consultation")
    tz, t = ZoneInfo("Asia/Shanghai"), Translator("en")
    for who, shown in (
        (Staff(login="mgr", name="M", role="manager"), True),
        (Staff(login="lead", name="L", role="security_lead"), False),  # no step of theirs: not where
        (None, False),
    ):
        text = page_text(_page(), req, who, t=t, procedures=procedures, tz=tz, now=T0)
        assert ("3栋1201" in text.body) is shown
        assert ("***" in text.body) is not shown


def test_a_units_control_characters_and_line_breaks_never_reach_a_page(procedures):
    req = _request(unit="3栋\x1b[2J1201\r\nBcc: x@y\u202e")
    text = page_text(
        _page(), req, None, t=Translator("en"), procedures=procedures, tz=ZoneInfo("Asia/Shanghai"), now=T0
    )
    unit_line = next(line for line in text.body.splitlines() if line.startswith("Unit:"))
    assert "\x1b" not in text.body and "\u202e" not in text.body and "\r" not in text.body
    assert "Bcc: x@y" in unit_line  # still there, as text, on the unit's own line

"""`liyuan report`, `liyuan handover`, `liyuan import` and `liyuan residents import` as a person
or a script runs them: real subprocesses on the test database."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from .conftest import insert_rows, liyuan
from .test_month_edges import row

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def month_on_record(staff, procedures):
    start = datetime(2026, 11, 3, 21, 0, tzinfo=SHANGHAI)
    rows = [
        row(start + timedelta(hours=i), category=cat, replied_at=start + timedelta(hours=i, minutes=m))
        for i, (cat, m) in enumerate([("medical", 2), ("repair", 15), ("repair", 4), ("complaint", 30)])
    ]
    rows.append(row(start + timedelta(days=1), confidential=True, unit="秘密-8楼", description="机密内容"))
    insert_rows(staff["cs_supervisor"].engine, rows)
    return rows


def test_report_markdown_json_and_csv(cli_env, month_on_record):
    md = liyuan(cli_env, "report", "--month", "2026-11")
    assert md.returncode == 0, md.stderr.decode()
    text = md.stdout.decode("utf-8")
    assert text.startswith("# Requests for help: month report 2026-11")
    assert "## Overdue requests" in text and "202611-0002" in text and "秘密-8楼" not in text

    js = liyuan(cli_env, "report", "--month", "2026-11", "--format", "json")
    data = json.loads(js.stdout)
    assert data["month"] == "2026-11" and data["total"] == 5
    assert data["by_category"]["repair"] == 3 and data["by_category"]["medical"] == 1
    assert data["escalated"] == 0 and data["major"] == 0 and data["confidential"] == 1
    assert [x["late_seconds"] for x in data["overdue"]] == [1200, 300]
    # replies of 120, 180, 240, 900 and 1800 s: p90 = 900 + 0.6 × (1800 − 900)
    assert data["reply_seconds"] == {"median": 240.0, "p90": 1440.0}
    assert data["within_limit_share"] == pytest.approx(3 / 5)
    assert set(data["previous"]) >= {
        "total",
        "by_category",
        "reply_seconds",
        "within_limit_share",
        "overdue",
        "escalated",
        "major",
        "fees_total",
    }

    raw = liyuan(cli_env, "report", "--month", "2026-11", "--format", "csv", lang="zh").stdout
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM: Excel opens it as UTF-8
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == ["求助事务月报 2026-11"]
    by_cat = rows[[r[:1] for r in rows].index(["按类别"]) + 2 :]
    assert by_cat[1][:4] == ["报修求助", "3", "0", "+3"]


def test_report_to_a_file_and_refusals(cli_env, month_on_record, tmp_path, in_process):
    out = tmp_path / "nov.csv"
    done = liyuan(cli_env, "report", "--month", "2026-11", "--format", "csv", "-o", str(out))
    assert done.returncode == 0 and out.read_bytes().startswith(b"\xef\xbb\xbf")
    code, _, err = in_process("report", "--month", "2026-13")
    assert code == 2 and err.count("\n") == 1 and "--month" in err
    code, out_text, err = in_process("report", "--month", "2026-11", user="ann")
    assert code == 2 and "may not" in err and not out_text
    code, _, _ = in_process("report", "--month", "2026-11", "--format", "pdf")
    assert code == 2


def test_handover_sheet_of_the_night(cli_env, staff, clock):
    # The subprocess runs on the machine's clock, so the night is laid out around the real now.
    now = datetime.now(UTC).replace(microsecond=0)
    clock.set(now)
    desk, sup = staff["assistant"], staff["cs_supervisor"]

    def log(category, minutes_ago, **kw):
        return desk.intake.create_request(
            category=category,
            unit=f"{minutes_ago}-101",
            phone="13800000001",
            complete=True,
            received_at=now - timedelta(minutes=minutes_ago),
            **kw,
        )

    before_shift = log("repair", 6 * 60)
    desk.lifecycle.mark_replied(before_shift.ref)
    late = log("medical", 30, description="老人摔倒")
    asked = log("complaint", 20)
    desk.lifecycle.mark_replied(asked.ref)
    desk.lifecycle.escalate(asked.ref)
    answered = log("consultation", 10, confidential=True, description="秘密事项")
    desk.lifecycle.mark_replied(answered.ref)
    desk.lifecycle.escalate(answered.ref)
    sup.lifecycle.acknowledge(answered.ref)
    since = (now - timedelta(hours=3)).astimezone(SHANGHAI).strftime("%H:%M")

    result = liyuan(cli_env, "handover", "--since", since, "--json", user="ann")
    assert result.returncode == 0, result.stderr.decode()
    sheet = json.loads(result.stdout)
    assert sheet["since"][11:16] == since

    def refs(key):
        return [x["ref"] for x in sheet[key]]

    assert refs("came_in") == [late.ref, asked.ref, answered.ref]
    assert refs("unanswered_escalations") == [asked.ref]
    assert refs("overdue") == [late.ref]
    assert set(refs("still_open")) == {before_shift.ref, late.ref, asked.ref, answered.ref}
    assert {x["ref"]: x["holder"] for x in sheet["still_open"]}[late.ref] == "ann"

    text = liyuan(cli_env, "handover", "--since", since, user="gd").stdout.decode()
    assert "Still open: 4" in text and "Overdue, not replied: 1" in text
    assert "秘密事项" not in text and "老人摔倒" in text  # a guard does not see confidential details


def test_handover_refuses_a_bad_since(staff, in_process):
    code, _, err = in_process("handover", "--since", "6pm")
    assert code == 2 and "--since" in err and "6pm" in err


def test_the_default_shift_is_the_most_recent_1800():
    from liyuan_tui.reports.handover import shift_start

    def at(*a):
        return datetime(*a, tzinfo=SHANGHAI)

    assert shift_start(at(2026, 11, 28, 8, 10), SHANGHAI) == at(2026, 11, 27, 18, 0)
    assert shift_start(at(2026, 11, 27, 23, 0), SHANGHAI) == at(2026, 11, 27, 18, 0)
    assert shift_start(at(2026, 11, 27, 18, 0), SHANGHAI) == at(2026, 11, 27, 18, 0)
    from datetime import time

    assert shift_start(at(2026, 11, 28, 2, 0), SHANGHAI, time(22, 0)) == at(2026, 11, 27, 22, 0)


def test_escalations_name_the_role_they_went_to_in_the_users_language(staff, clock):
    from liyuan_tui.domain.i18n import Translator
    from liyuan_tui.reports.tables import escalated_to_name

    assert escalated_to_name("cs_supervisor", Translator("zh")) == "客服部主管"
    assert escalated_to_name("cs_supervisor", Translator("en")) == "customer-service supervisor"
    assert escalated_to_name("zhou.min", Translator("zh")) == "zhou.min"  # no name known: the login
    assert escalated_to_name("zhou.min", Translator("zh"), {"zhou.min": "周敏"}) == "周敏"  # else by name
    assert escalated_to_name(None, Translator("zh")) == ""

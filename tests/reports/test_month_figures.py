"""The month report against the tests' own computation, figure by figure."""

from __future__ import annotations

from datetime import UTC, datetime

import pg
import pytest
from db_templates import FIRST_SUPERVISOR, START

from liyuan_tui.domain.clock import FakeClock
from liyuan_tui.domain.i18n import Translator
from liyuan_tui.reports.month import month_report
from liyuan_tui.reports.month_render import report_dict
from liyuan_tui.reports.tables import Namer
from liyuan_tui.store import Store

from .conftest import SHANGHAI, seed_history
from .oracle import expected

AFTER = datetime(2026, 12, 20, 4, 0, tzinfo=UTC)  # the report is run after the month


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def month(request, tmp_path_factory, db_templates, procedures):
    """The history written once into a new database of each engine for this file's tests, and its
    November report (each test checks its own figures of it): history rows, report, its JSON."""
    kind = "supervisor"  # (the first supervisor, as the `supervisor` fixture makes a database)
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('month') / 'desk.db'}"
        assert db_templates.place(kind, url, FakeClock(START))
        name = None
    else:
        pg.need_cluster()
        name = db_templates.new_database(kind)
        url = pg.url(name)
    clock = FakeClock(START)
    sup = Store(url, clock, FIRST_SUPERVISOR, procedures=procedures, tz="Asia/Shanghai")
    try:
        rows = seed_history(sup.engine, procedures)
        clock.set(AFTER)
        report = month_report(sup, "2026-11")
    finally:
        sup.close()
        if name is not None:
            pg.drop_database(name)
    return rows, report, report_dict(report, Translator("en"), Namer(Translator("en"), procedures))


@pytest.fixture
def history(month):
    return month[0]


@pytest.fixture
def report_json(month):
    return month[1], month[2]


def approx(value):
    return pytest.approx(value, abs=0.01) if value is not None else None


def assert_group(got: dict, want: dict, counts: tuple[str, ...], label: str) -> None:
    """One category's or one person's counts and reply times, as the report gives them."""
    assert tuple(got[k] for k in counts) == tuple(want[k] for k in counts), label
    assert got["reply_seconds"]["median"] == approx(want["median"]), label
    assert got["reply_seconds"]["p90"] == approx(want["p90"]), label


def test_counts_by_category_channel_status_outcome_and_department(history, report_json):
    _, data = report_json
    want = expected(history, "2026-11", SHANGHAI, AFTER)
    assert data["month"] == "2026-11"
    assert data["total"] == want["total"] > 380
    assert {k: v for k, v in data["by_category"].items() if v} == dict(want["by_category"])
    assert set(data["by_category"]) >= {
        "medical",
        "repair",
        "complaint",
        "consultation",
        "security",
        "disaster",
        "other",
    }
    assert {k: v for k, v in data["by_channel"].items() if v} == dict(want["by_channel"])
    assert {k: v for k, v in data["by_status"].items() if v} == dict(want["by_status"])
    assert {k: v for k, v in data["by_outcome"].items() if v} == dict(want["by_outcome"])
    assert data["handed_on"] == dict(want["handed_on"])
    assert data["escalated"] == want["escalated"]
    assert data["escalated_unacknowledged"] == want["unacknowledged"]
    assert data["major"] == want["major"]
    assert data["confidential"] == want["confidential"]
    assert data["cancelled"] == want["cancelled"] > 0
    assert "cancelled" not in data["by_status"]
    assert sum(data["by_channel"].values()) == sum(data["by_category"].values()) == data["total"]


def test_reply_times_and_share_within_limit(history, report_json):
    _, data = report_json
    want = expected(history, "2026-11", SHANGHAI, AFTER)
    assert data["replied"] == want["replied"]
    assert data["due"] == want["due"]
    assert data["reply_seconds"]["median"] == approx(want["median"])
    assert data["reply_seconds"]["p90"] == approx(want["p90"])
    assert data["within_limit_share"] == pytest.approx(want["within_limit_share"])
    for key, cat in want["categories"].items():
        assert_group(
            data["categories"][key], cat, ("total", "replied", "within_limit", "due", "overdue"), key
        )


def test_resolved_and_the_time_from_receipt_to_close(history, report_json):
    """ "Resolved" once read 0 whatever happened (no request is left in that status): it counts the
    requests closed as resolved; the time from receipt to close has its median and 90th percentile."""
    _, data = report_json
    want = expected(history, "2026-11", SHANGHAI, AFTER)
    assert data["resolved"] == want["resolved"] > 20
    assert data["closed"] == want["closed"] > data["resolved"]
    assert data["close_seconds"]["median"] == approx(want["close_median"])
    assert data["close_seconds"]["p90"] == approx(want["close_p90"])
    assert "resolved" not in data["by_status"]  # a status no request is ever left in
    assert sum(c["resolved"] for c in data["categories"].values()) == data["resolved"]


def test_overdue_list_says_how_late_and_hides_confidential_refs(history, report_json):
    _, data = report_json
    want = expected(history, "2026-11", SHANGHAI, AFTER)
    assert data["overdue_count"] == len(want["overdue"]) == len(data["overdue"])
    listed = {x["ref"]: x["late_seconds"] for x in data["overdue"] if x["ref"] is not None}
    hidden = [x for x in data["overdue"] if x["ref"] is None]
    assert len(hidden) == want["overdue_confidential"] > 0
    assert all(x["confidential"] and x["unit"] is None for x in hidden)
    majors = [x for x in data["majors"] if x["confidential"]]
    assert majors and all(x["ref"] is None and x["outcome"] is None and x["unit"] is None for x in majors)
    for ref, late in listed.items():
        assert late == pytest.approx(want["overdue"][ref], abs=1), ref
    lates = [x["late_seconds"] for x in data["overdue"]]
    assert lates == sorted(lates, reverse=True)  # the worst first


def test_by_hour_and_by_day_in_local_time(history, report_json):
    _, data = report_json
    want = expected(history, "2026-11", SHANGHAI, AFTER)
    assert [h["total"] for h in data["by_hour"]] == [want["by_hour"].get(h, 0) for h in range(24)]
    assert [h["overdue"] for h in data["by_hour"]] == [want["late_by_hour"].get(h, 0) for h in range(24)]
    assert len(data["by_day"]) == 30
    assert {d["date"]: d["total"] for d in data["by_day"] if d["total"]} == dict(want["by_day"])


def test_reply_distribution_adds_up_to_the_replies(history, report_json):
    _, data = report_json
    want = expected(history, "2026-11", SHANGHAI, AFTER)
    for b in data["reply_distribution"]:
        top = b["to_seconds"] if b["to_seconds"] is not None else float("inf")
        assert b["count"] == sum(1 for s in want["reply_seconds"] if b["from_seconds"] <= s < top), b


def test_per_staff_workload_and_reply_times(history, report_json):
    _, data = report_json
    want = expected(history, "2026-11", SHANGHAI, AFTER)
    got = {s["login"]: s for s in data["staff"]}
    assert set(got) == set(want["staff"])
    for login, w in want["staff"].items():
        assert_group(
            got[login], w, ("logged", "replied", "within_limit", "due", "closed", "escalated"), login
        )


def test_fees_by_item_with_names_from_the_fee_table(history, report_json):
    _, data = report_json
    want = expected(history, "2026-11", SHANGHAI, AFTER)
    assert {f["item"]: round(f["amount"] * 100) for f in data["fees"]} == dict(want["fees"])
    assert {f["item"]: f["count"] for f in data["fees"]} == dict(want["fee_counts"])
    assert data["fees_total"] == pytest.approx(want["fees_total"])
    assert {f["item"]: f["name_zh"] for f in data["fees"]}["lock"] == "更换门锁"


def test_previous_month_and_change(history, report_json):
    _, data = report_json
    prev = expected(history, "2026-10", SHANGHAI, AFTER)
    cur = expected(history, "2026-11", SHANGHAI, AFTER)
    assert data["previous"]["month"] == "2026-10"
    assert data["previous"]["total"] == prev["total"]
    assert {k: v for k, v in data["previous"]["by_category"].items() if v} == dict(prev["by_category"])
    assert data["previous"]["reply_seconds"]["median"] == approx(prev["median"])
    assert data["previous"]["fees_total"] == pytest.approx(prev["fees_total"])
    assert data["change"]["total"]["diff"] == cur["total"] - prev["total"]
    assert data["change"]["total"]["relative"] == pytest.approx(
        (cur["total"] - prev["total"]) / prev["total"]
    )
    assert data["change"]["escalated"]["diff"] == cur["escalated"] - prev["escalated"]


def test_written_summary_is_built_from_the_figures(history, report_json, procedures):
    from liyuan_tui.reports.month_summary import facts

    report, data = report_json
    cur = expected(history, "2026-11", SHANGHAI, AFTER)
    prev = expected(history, "2026-10", SHANGHAI, AFTER)
    found = {f.key: f.params for f in facts(report)}
    assert found["total"]["total"] == cur["total"] and found["total"]["previous"] == prev["total"]
    # the largest change really is the largest
    diffs = {
        k: cur["by_category"].get(k, 0) - prev["by_category"].get(k, 0)
        for k in set(cur["by_category"]) | set(prev["by_category"])
    }
    biggest = max(abs(d) for d in diffs.values())
    key = found["largest_change"]["category"]
    assert abs(diffs[key]) == biggest
    # the slowest category has the lowest share replied in time
    shares = {k: c["within_limit"] / c["due"] for k, c in cur["categories"].items() if c["due"]}
    assert shares[found["slowest_category"]["category"]] == pytest.approx(min(shares.values()))
    # the overdue cluster is the 3-hour stretch with the most overdue requests
    by_hour = cur["late_by_hour"]
    best = max(sum(by_hour.get((h + i) % 24, 0) for i in range(3)) for h in range(24))
    assert found["overdue_cluster"]["in_window"] == best
    assert found["overdue_cluster"]["count"] == len(cur["overdue"])
    assert len(data["summary"]) == len(found)
    assert any(str(cur["total"]) in line for line in data["summary"])


def test_only_supervisors_and_the_manager_see_reports(staff):
    from liyuan_tui.domain.errors import PermissionDenied

    for role in ("assistant", "security_lead", "guard", "dept_staff"):
        with pytest.raises(PermissionDenied):
            month_report(staff[role], "2026-11")
    assert month_report(staff["manager"], "2026-11").current.total == 0


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_markdown_tables_line_up_when_printed(report_json, procedures, lang):
    from rich.cells import cell_len

    from liyuan_tui.reports.month_render import render

    report, _ = report_json
    text = render(report, "md", Translator(lang), procedures)
    tables, current = [], []
    for line in text.splitlines() + [""]:
        if line.startswith("|"):
            current.append(line)
        elif current:
            tables.append(current)
            current = []
    assert len(tables) >= 12
    for table in tables:
        assert len({cell_len(line) for line in table}) == 1, table[0]

"""Figures that must agree (issue 20): one definition of resolved in every section and format, a
voided request in no figure but its own line, the scorecard's share in time out of what was due,
and a repeat repair charged to whoever did the earlier repair — each through the store's own
actions, as a night at the desk leaves them."""

from __future__ import annotations

import csv
import io
import json

from backoffice_helpers import close_repair, log_repair

from liyuan_tui.domain.i18n import Translator
from liyuan_tui.reports.month import month_report
from liyuan_tui.reports.month_render import render
from liyuan_tui.reports.scorecard import scorecard
from liyuan_tui.reports.scorecard_render import scorecard_dict

MONTH = "2026-11"


def reopened_by_a_followup(desk, clock) -> tuple[str, str]:
    """Two repairs closed as resolved; a follow-up call finds the first not solved (reopened)."""
    first = close_repair(desk, log_repair(desk).ref)
    second = close_repair(desk, log_repair(desk, unit="2栋0101", kind="electric").ref)
    clock.advance(3600)
    desk.followups.record(first.ref, reached=True, score=2, solved=False, note="还在漏")
    return first.ref, second.ref


def test_a_reopened_request_is_resolved_in_no_section_and_no_format(staff, desk, clock, procedures):
    first, _ = reopened_by_a_followup(desk, clock)
    again = desk.lookup.get_request(first)
    assert again.status == "replied" and again.outcome == "" and again.outcome_kind == ""  # header: none
    report = month_report(staff["cs_supervisor"], MONTH)
    cur = report.current
    assert (cur.close.closed, cur.close.resolved) == (1, 1)
    assert cur.by_outcome["resolved"] == 1 == sum(c.close.resolved for c in cur.categories)
    data = json.loads(render(report, "json", Translator("zh"), procedures))
    assert data["resolved"] == data["by_outcome"]["resolved"] == data["categories"]["repair"]["resolved"] == 1
    text = render(report, "md", Translator("zh"), procedures)
    assert "结案 1 件,其中已解决 1 件" in text
    outcome_rows = [line for line in text.splitlines() if line.startswith("| 已解决")]
    assert outcome_rows and all(line.split("|")[2].strip() == "1" for line in outcome_rows), outcome_rows
    rows = list(csv.reader(io.StringIO(render(report, "csv", Translator("en"), procedures).lstrip("\ufeff"))))
    assert [r[1] for r in rows if r and r[0] in ("Resolved", "resolved")] == ["1", "1"]


def test_a_reopened_request_shows_no_old_outcome(staff, desk, clock):
    ref = close_repair(desk, log_repair(desk).ref).ref
    staff["cs_supervisor"].lifecycle.reopen(ref, "求助人说还在漏")
    req = desk.lookup.get_request(ref)
    assert (req.status, req.outcome, req.outcome_kind, req.handed_to) == ("replied", "", "", "")
    closing = [e for e in desk.lookup.detail(ref).events if e.kind == "closed"]
    assert closing and "已修好" in closing[0].payload  # the old outcome stays on record, in its event


def test_a_voided_draft_is_counted_on_its_own_line_only(staff, desk, procedures):
    close_repair(desk, log_repair(desk).ref)
    draft = desk.intake.create_request()  # `n` pressed by mistake
    desk.lifecycle.cancel(draft.ref, "按错了")
    report = month_report(staff["cs_supervisor"], MONTH)
    cur = report.current
    assert cur.total == 1 and cur.cancelled == 1
    assert sum(cur.by_channel.values()) == sum(cur.by_category.values()) == 1
    assert "cancelled" not in cur.by_status and sum(cur.by_status.values()) == 1
    assert sum(h.total for h in cur.by_hour) == sum(d.total for d in cur.by_day) == 1
    assert [s.logged for s in cur.staff if s.login == "ann"] == [1]
    text = render(report, "md", Translator("zh"), procedures)
    assert "共接报求助 1 件" in text and "| 电话" in text
    assert [line.split("|")[2].strip() for line in text.splitlines() if line.startswith("| 电话")] == ["1"]
    assert [line.split("|")[2].strip() for line in text.splitlines() if line.startswith("| 作废(")] == ["1"]
    assert json.loads(render(report, "json", Translator("en"), procedures))["cancelled"] == 1


def test_the_scorecard_share_in_time_counts_overdue_requests_not_replied_to(staff, desk, clock):
    replied = desk.intake.create_request(
        category="repair", unit="1栋0101", phone="13800000001", complete=True
    )
    desk.lifecycle.mark_replied(replied.ref)  # in time
    for unit in ("1栋0102", "1栋0103", "1栋0104"):
        desk.intake.create_request(category="repair", unit=unit, phone="13800000001", complete=True)
    clock.advance(3600)  # three never replied to, an hour past their deadline
    card = scorecard_dict(scorecard(staff["cs_supervisor"], MONTH))
    ann = next(p for p in card["staff"] if p["login"] == "ann")
    assert ann["overdue"] == 3
    assert ann["within_limit_share"] == 0.25  # 1 in time out of 4 due, not "100%"
    assert card["team"]["within_limit_share"] == 0.25
    report = month_report(staff["cs_supervisor"], MONTH)
    assert next(s for s in report.current.staff if s.login == "ann").reply.within_limit_share == 0.25


def test_a_repeat_repair_is_charged_to_the_technician_never_the_desk(staff, desk, clock):
    # The earlier repair at 5栋0803: done by the technician on a work order.
    first = log_repair(desk)
    order = desk.orders.create(first.ref, "tech")
    staff["technician"].orders.arrive(order.number)
    staff["technician"].orders.finish(order.number, 1, signed_by="吴太太")
    close_repair(desk, first.ref)
    # The earlier repair at 2栋0101: no work order, the desk closed it (nobody known did it).
    close_repair(desk, log_repair(desk, unit="2栋0101").ref)
    clock.advance(86400)
    assert log_repair(desk).repeat_of == first.ref
    assert log_repair(desk, unit="2栋0101").repeat_of is not None
    card = scorecard_dict(scorecard(staff["cs_supervisor"], MONTH))
    charged = {p["login"]: p["repeat_repairs"] for p in card["staff"] if p["repeat_repairs"]}
    assert charged == {"tech": 1}  # ann logged every call and closed the second: never charged
    assert card["team"]["repeat_repairs"] == 2

"""The Markdown handover marks requests as the queue and the README do: `!` major, `^` escalated."""

from __future__ import annotations

from datetime import timedelta

from liyuan_tui.domain.i18n import Translator
from liyuan_tui.reports.handover import handover_sheet, render_handover, shift_start


def test_the_markdown_handover_marks_major_and_escalated_requests(staff, clock, procedures):
    desk = staff["assistant"]
    major = desk.intake.create_request(
        category="medical", unit="3-1202", phone="139", major=True, complete=True
    ).ref
    escalated = desk.intake.create_request(category="repair", unit="5-0803", phone="139", complete=True).ref
    desk.lifecycle.escalate(escalated)
    both = desk.intake.create_request(
        category="security", unit="B2", phone="139", major=True, complete=True
    ).ref
    desk.lifecycle.escalate(both)
    plain = desk.intake.create_request(category="other", unit="1-0301", phone="139", complete=True).ref
    clock.advance(timedelta(minutes=1).total_seconds())
    sheet = handover_sheet(desk, shift_start(clock.now(), desk.tz))
    text = render_handover(sheet, Translator("zh"), procedures, desk.tz)
    rows = {
        line.split("|")[1].strip() for line in text.splitlines() if line.startswith(("| 2", "| !", "| ^"))
    }
    assert {f"!{major}", f"^{escalated}", f"!^{both}", plain} <= rows
    assert "★" not in text and "! 表示重大事件" in text

"""A reopened request shows no old outcome in its header: reopening takes the outcome away (the
store), and one reopened before that rule (an outcome still on the row) is not shown as if closed."""

from __future__ import annotations

from backoffice_helpers import close_repair, log_repair
from sqlalchemy import update
from sqlmodel import Session
from ui_helpers import settle

from liyuan_tui.domain.models import Request


async def test_a_reopened_request_shows_no_old_outcome_in_its_header(make_app, staff, desk):
    ref = close_repair(desk, log_repair(desk).ref).ref
    staff["cs_supervisor"].lifecycle.reopen(ref, "还在漏")
    with Session(desk.engine) as s:  # as a reopen of an older release left it: the outcome still there
        s.execute(update(Request).where(Request.ref == ref).values(outcome="已修好", outcome_kind="resolved"))
        s.commit()
    app = make_app("ann")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.queue.table.move_cursor(row=app.queue.table.get_row_index(ref))
        await pilot.press("enter")
        await settle(pilot)
        head = app.screen.summary_text()
        assert ref in head and "已修好" not in head and "处理结果" not in head

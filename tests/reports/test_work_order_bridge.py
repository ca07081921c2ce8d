"""The scorecard's work-order figures and the household history's work orders: orders finished per
technician and the share on time, and a repeat repair counted against the technician of the
earlier request's order (the orders written straight into the database, as use would leave them)."""

from __future__ import annotations

from datetime import timedelta

from backoffice_helpers import close_repair, log_repair
from sqlmodel import Session

from liyuan_tui.domain.workshop import WorkOrder
from liyuan_tui.reports.scorecard import scorecard
from liyuan_tui.reports.scorecard_render import scorecard_dict


def test_orders_finished_on_time_and_repeats_on_the_technicians_order(staff, desk, clock):
    first = close_repair(desk, log_repair(desk).ref)
    other = close_repair(desk, log_repair(desk, unit="1栋0101", kind="electric").ref)
    now = clock.now()
    with Session(staff["cs_supervisor"].engine) as s:
        for seq, req, finished, due in (
            (1, first, now - timedelta(hours=2), now - timedelta(hours=1)),  # on time
            (2, other, now - timedelta(hours=1), now - timedelta(hours=3)),
        ):  # late
            s.add(
                WorkOrder(
                    number=f"W202611-{seq:04d}",
                    number_month="202611",
                    number_seq=seq,
                    request_id=req.id,
                    technician="eng",
                    state="done",
                    created_at=finished - timedelta(hours=3),
                    finished_at=finished,
                    finish_due_at=due,
                )
            )
        s.commit()
    clock.advance(86400 * 3)
    repeat = log_repair(desk)
    assert repeat.repeat_of == first.ref
    card = scorecard_dict(scorecard(staff["cs_supervisor"], "2026-11"))
    eng = next(p for p in card["staff"] if p["login"] == "eng")
    assert eng["orders_finished"] == 2 and eng["orders_on_time_share"] == 0.5
    assert eng["repeat_repairs"] == 1  # the earlier repair's order was eng's
    assert next(p for p in card["staff"] if p["login"] == "ann")["repeat_repairs"] == 0
    assert card["team"]["orders_finished"] == 2 and card["team"]["orders_on_time_share"] == 0.5
    history = desk.households.household("5栋0803").history
    assert [(x.kind, x.number) for x in history if x.kind == "work_order"] == [("work_order", "W202611-0001")]

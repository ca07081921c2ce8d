"""A work order's dispatch, arrival and finish tick the request's matching checklist step (the
procedure file's `order_step`) inside the order's own transaction: one record of who and when,
one event (the order's, naming the step), never a second entry for the same moment."""

from __future__ import annotations

from sqlmodel import select

from liyuan_tui.domain.models import Request, StepRecord

from .kernel import Tx
from .tables import ident


def tick_order_step(tx: Tx, req: Request, moment: str, *, value: str = "", note: str = "") -> str | None:
    """Tick the step `moment` ("dispatch" | "arrive" | "finish") stands for, if the request's
    procedure names one that applies, is not done yet and nothing it waits for is open; returns
    its key (for the order's event), else None."""
    proc = tx.k.procedures.get(req.category)
    step = proc.order_step(moment) if proc is not None else None
    if step is None or not req.is_open:
        return None
    done = {r.step_key: r for r in tx.s.exec(select(StepRecord).where(StepRecord.request_id == req.id))}
    conditions = tx.k.conditions(req)
    if (
        step.key in done
        or not proc.applies(step, req.branch_list, conditions)  # type: ignore[union-attr]
        or proc.blocking(step, req.branch_list, conditions, done)  # type: ignore[union-attr]
    ):
        return None
    tx.add(
        StepRecord(
            request_id=ident(req),
            step_key=step.key,
            done_at=tx.now,
            done_by=tx.me.login,
            value=value if step.input == "value" else "",
            note=note if step.input == "note" else "",
        )
    )
    return step.key

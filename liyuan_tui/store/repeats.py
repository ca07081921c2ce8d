"""Repeat repairs (二次维修) found at intake: the earlier request of the same unit and kind of fault
that closed shortly before this one came in (domain/followups.py says how shortly)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from liyuan_tui.domain.followups import NO_FOLLOWUP_OUTCOMES, repeat_window, tracks_repeats
from liyuan_tui.domain.models import Request
from liyuan_tui.domain.procedures import Procedures


def earlier_repair(
    s: Session,
    procedures: Procedures,
    *,
    unit: str,
    category: str,
    fault_kind: str,
    received_at: datetime,
    exclude_id: int | None = None,
) -> Request | None:
    """The latest request this one repeats, or None (not a repair, no unit or kind yet, none found)."""
    proc = procedures.get(category)
    if not tracks_repeats(proc) or not unit or not fault_kind:
        return None
    assert proc is not None
    start, end = repeat_window(proc, received_at)
    stmt = (
        select(Request)
        .where(
            Request.unit == unit,
            Request.category == category,
            Request.fault_kind == fault_kind,
            Request.status == "closed",
            col(Request.outcome_kind).not_in(NO_FOLLOWUP_OUTCOMES),
            col(Request.closed_at) >= start,
            col(Request.closed_at) <= end,
        )
        .order_by(col(Request.closed_at).desc())
        .limit(2)
    )
    return next((r for r in s.exec(stmt) if r.id != exclude_id), None)


def repeat_changes(s: Session, procedures: Procedures, req: Request, diff: dict[str, Any]) -> dict[str, Any]:
    """What saving `diff` on `req` changes besides: a kind of fault the new category does not have
    is dropped, and which request this one repeats is found again."""
    merged = {
        name: diff.get(name, getattr(req, name)) for name in ("unit", "category", "fault_kind", "received_at")
    }
    extra: dict[str, Any] = {}
    proc = procedures.get(merged["category"])
    if merged["fault_kind"] and (proc is None or proc.fault_kind(merged["fault_kind"]) is None):
        merged["fault_kind"] = extra["fault_kind"] = ""
    earlier = earlier_repair(s, procedures, exclude_id=req.id, **merged)
    ref = earlier.ref if earlier is not None else None
    if ref != req.repeat_of:
        extra["repeat_of"] = ref
    return extra

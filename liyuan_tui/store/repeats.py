"""Repeat repairs (二次维修) found at intake: the earlier request of the same unit and kind of fault
that is still open (or was reopened), else the one that closed shortly before this one came in
(domain/followups.py says how shortly). A link to one never closed is the same fault called in
again; it counts as a repeat repair once that request had been closed (`counts_as_repeat`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import and_, exists, or_
from sqlmodel import Session, col, select

from liyuan_tui.domain.events import EventKind
from liyuan_tui.domain.followups import NO_FOLLOWUP_OUTCOMES, repeat_window, tracks_repeats
from liyuan_tui.domain.models import OPEN_STATUSES, Event, Request
from liyuan_tui.domain.procedures import Procedures

from .tables import table


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
    same = (Request.unit == unit, Request.category == category, Request.fault_kind == fault_kind)
    still_open = s.exec(
        select(Request)
        .where(*same, col(Request.status).in_(OPEN_STATUSES), col(Request.received_at) <= received_at)
        .order_by(col(Request.received_at).desc())
        .limit(2)
    )
    found = next((r for r in still_open if r.id != exclude_id), None)
    if found is not None:  # the same fault, not put right yet (never closed, or reopened)
        return found
    start, end = repeat_window(proc, received_at)
    stmt = (
        select(Request)
        .where(
            *same,
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


def counts_as_repeat(new: Any, earlier: Any) -> Any:
    """SQL: the request `new` (columns) repeats a repair that had been done — its `earlier` request
    (columns, joined on new.repeat_of) had closed by the time `new` came in (closed now, or closed
    once and reopened). A second call while the first is still being dealt with is linked, not a
    repeat repair."""
    ev = table(Event).c
    closed_once = exists().where(
        ev.request_id == earlier.id, ev.kind == str(EventKind.CLOSED), ev.at <= new.received_at
    )
    return and_(
        new.repeat_of.is_not(None),
        or_(and_(earlier.status == "closed", earlier.closed_at <= new.received_at), closed_once),
    )

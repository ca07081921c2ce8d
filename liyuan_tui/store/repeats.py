"""Repeat repairs (二次维修) found at intake: the earlier request of the same unit and kind of fault
that is still open (or was reopened), else the one that closed shortly before this one came in
(domain/followups.py says how shortly). A link to one never closed is the same fault called in
again; it counts as a repeat repair once that request had been closed (`counts_as_repeat`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, exists, or_

from liyuan_tui.domain.events import EventKind
from liyuan_tui.domain.followups import NO_FOLLOWUP_OUTCOMES, repeat_window, tracks_repeats
from liyuan_tui.domain.procedures import Procedures
from liyuan_tui.domain.vocabulary import OPEN_STATUSES

from .rows import RequestRow, rows_of


def earlier_repair(
    conn: Connection,
    procedures: Procedures,
    *,
    unit: str,
    category: str,
    fault_kind: str,
    received_at: datetime,
    exclude_id: int | None = None,
) -> RequestRow | None:
    """The latest request this one repeats, or None (not a repair, no unit or kind yet, none found).
    Read with SQLAlchemy Core (rows.py): logging a request needs no ORM."""
    proc = procedures.get(category)
    if not tracks_repeats(proc) or not unit or not fault_kind:
        return None
    assert proc is not None
    same = "unit = :unit AND category = :category AND fault_kind = :fault_kind"
    params: dict[str, Any] = {"unit": unit, "category": category, "fault_kind": fault_kind}
    statuses = _listed("status", OPEN_STATUSES, params)
    still_open: list[RequestRow] = rows_of(
        conn,
        "request",
        f"{same} AND status IN ({statuses}) AND received_at <= :received_at "
        "ORDER BY received_at DESC LIMIT 2",
        dict(params, received_at=received_at),
        RequestRow,
    )
    found = next((r for r in still_open if r.id != exclude_id), None)
    if found is not None:  # the same fault, not put right yet (never closed, or reopened)
        return found
    start, end = repeat_window(proc, received_at)
    kept = _listed("outcome", sorted(NO_FOLLOWUP_OUTCOMES), params)
    closed: list[RequestRow] = rows_of(
        conn,
        "request",
        f"{same} AND status = 'closed' AND outcome_kind NOT IN ({kept}) "
        "AND closed_at >= :start AND closed_at <= :end ORDER BY closed_at DESC LIMIT 2",
        dict(params, start=start, end=end),
        RequestRow,
    )
    return next((r for r in closed if r.id != exclude_id), None)


def _listed(name: str, values: Any, params: dict[str, Any]) -> str:
    """`values` as bound parameters `name0, name1 …` (added to `params`), for an IN list."""
    params.update({f"{name}{i}": v for i, v in enumerate(values)})
    return ", ".join(f":{name}{i}" for i in range(len(values)))


def repeat_changes(
    conn: Connection, procedures: Procedures, req: Any, diff: dict[str, Any]
) -> dict[str, Any]:
    """What saving `diff` on `req` changes besides: a kind of fault the new category does not have
    is dropped, and which request this one repeats is found again."""
    merged = {
        name: diff.get(name, getattr(req, name)) for name in ("unit", "category", "fault_kind", "received_at")
    }
    extra: dict[str, Any] = {}
    proc = procedures.get(merged["category"])
    if merged["fault_kind"] and (proc is None or proc.fault_kind(merged["fault_kind"]) is None):
        merged["fault_kind"] = extra["fault_kind"] = ""
    earlier = earlier_repair(conn, procedures, exclude_id=req.id, **merged)
    ref = earlier.ref if earlier is not None else None
    if ref != req.repeat_of:
        extra["repeat_of"] = ref
    return extra


def counts_as_repeat(new: Any, earlier: Any) -> Any:
    """SQL: the request `new` (columns) repeats a repair that had been done — its `earlier` request
    (columns, joined on new.repeat_of) had closed by the time `new` came in (closed now, or closed
    once and reopened). A second call while the first is still being dealt with is linked, not a
    repeat repair."""
    from liyuan_tui.domain.models import Event  # (the reports' queries: the ORM's tables)

    from .tables import table

    ev = table(Event).c
    closed_once = exists().where(
        ev.request_id == earlier.id, ev.kind == str(EventKind.CLOSED), ev.at <= new.received_at
    )
    return and_(
        new.repeat_of.is_not(None),
        or_(and_(earlier.status == "closed", earlier.closed_at <= new.received_at), closed_once),
    )

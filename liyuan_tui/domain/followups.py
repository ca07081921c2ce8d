"""The rules of follow-up calls (回访) and repeat repairs (二次维修), as plain functions of the
procedure and the times involved (`now` is passed in).

- A follow-up call is due `followup_days` after a request closes (its category's file; default 3,
  0 for none), unless the resident withdrew it. Reaching the resident settles it; a call that
  finds the problem not really solved reopens the request, and its next close asks for another.
- A request of a category with kinds of fault is a repair. It repeats an earlier one when the unit
  and the kind of fault are the same and it came in within `repeat_days` (default 30) of the
  earlier one closing.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from .procedures import Procedure

if TYPE_CHECKING:
    from .models import Request

NO_FOLLOWUP_OUTCOMES = frozenset({"withdrawn"})  # the resident withdrew it: nothing to ask about


def followup_due_at(proc: Procedure | None, closed_at: datetime, outcome_kind: str) -> datetime | None:
    """When the follow-up call of a request closing now is due; None when none is owed."""
    if proc is None or proc.followup_days <= 0 or outcome_kind in NO_FOLLOWUP_OUTCOMES:
        return None
    return closed_at + timedelta(days=proc.followup_days)


def tracks_repeats(proc: Procedure | None) -> bool:
    """Whether requests of this category are repairs, filed under a kind of fault."""
    return proc is not None and bool(proc.fault_kinds)


def repeat_window(proc: Procedure, received_at: datetime) -> tuple[datetime, datetime]:
    """An earlier repair closed in [start, end] makes a request received at `received_at` a repeat."""
    return received_at - timedelta(days=proc.repeat_days), received_at


def may_repeat(req: Request, proc: Procedure | None) -> bool:
    """Whether a request knows enough (a repair, its unit and kind of fault) to be checked."""
    return tracks_repeats(proc) and bool(req.unit) and bool(req.fault_kind)


def reopened_status(req: Request) -> str:
    """The state a closed request goes back to: replied if the resident was replied to, else open."""
    return "replied" if req.replied_at else "open"


def reopen_changes(req: Request) -> dict[str, Any]:
    """What reopening a closed request changes: back to open (or replied), and no outcome left on
    it — the close's outcome stays in its event, and the next close records its own. A request
    is resolved only while it is closed as resolved (docs/report.md)."""
    return {
        "status": reopened_status(req),
        "closed_at": None,
        "closed_by": None,
        "followup_due_at": None,
        "outcome": "",
        "outcome_kind": "",
        "handed_to": "",
    }

"""Who may do what (section 3 of the procedure), enforced by the store for every action, and who
may see a confidential request's details.

Pure: takes a role (and for some checks a request), returns whether it is allowed.
"""

from __future__ import annotations

from enum import StrEnum

from .models import Request, Staff
from .procedures import Procedures


class Action(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    REPLY = "reply"
    ESCALATE = "escalate"
    MARK_MAJOR = "mark_major"
    ACKNOWLEDGE = "acknowledge"
    TICK = "tick"
    CLOSE = "close"
    REOPEN = "reopen"
    CANCEL = "cancel"
    TAKE = "take"
    REASSIGN = "reassign"
    CHARGE = "charge"
    MANAGE_STAFF = "manage_staff"
    IMPORT = "import"
    REPORT = "report"
    MIGRATE = "migrate"


SUPERVISORS = frozenset({"cs_supervisor", "manager"})
DESK = frozenset({"assistant", "cs_supervisor", "manager"})
SECURITY_ROLES = frozenset({"security_lead", "guard"})
# Who may act as another login (--user, LIYUAN_USER) besides root: the supervisors and the
# manager, who record for colleagues (a guard's report by phone, a script of the desk's). Every
# event then records the real login beside the one acted as.
ACT_FOR_OTHERS = SUPERVISORS
# Whom an escalation may be addressed to by login.
ESCALATION_TARGETS = SUPERVISORS

ALLOWED: dict[Action, frozenset[str]] = {
    Action.CREATE: DESK | {"security_lead"},
    Action.UPDATE: DESK,
    Action.REPLY: DESK,
    Action.ESCALATE: DESK | {"security_lead"},
    Action.MARK_MAJOR: DESK | {"security_lead"},
    Action.ACKNOWLEDGE: SUPERVISORS,
    Action.TICK: DESK | {"security_lead", "guard", "dept_staff"},
    Action.CLOSE: DESK,
    Action.REOPEN: DESK,
    Action.CANCEL: DESK,
    Action.TAKE: DESK | {"security_lead"},
    Action.REASSIGN: SUPERVISORS,
    Action.CHARGE: DESK,
    Action.MANAGE_STAFF: SUPERVISORS,
    Action.IMPORT: SUPERVISORS,
    Action.REPORT: SUPERVISORS,
    Action.MIGRATE: SUPERVISORS,
}

# Whose steps each role may tick: the desk records every step (it hears back from guards);
# the security lead ticks security's steps; a guard or department staff only their own.
TICKABLE_STEP_ROLES: dict[str, frozenset[str]] = {
    "assistant": frozenset({"assistant", "cs_supervisor", "manager", "security_lead", "guard", "dept_staff"}),
    "cs_supervisor": frozenset({"assistant", "cs_supervisor", "manager", "security_lead", "guard", "dept_staff"}),
    "manager": frozenset({"assistant", "cs_supervisor", "manager", "security_lead", "guard", "dept_staff"}),
    "security_lead": frozenset({"security_lead", "guard"}),
    "guard": frozenset({"guard"}),
    "dept_staff": frozenset({"dept_staff"}),
}


def allowed(role: str, action: Action) -> bool:
    return role in ALLOWED[action]


def may_tick(role: str, step_role: str) -> bool:
    return step_role in TICKABLE_STEP_ROLES.get(role, frozenset())


def may_close_escalated(role: str) -> bool:
    return role in SUPERVISORS


def may_see_details(role: str, login: str, *, confidential: bool, created_by: str, assignee: str | None) -> bool:
    """Confidential details are for the supervisors, the manager and the assistant handling it."""
    if not confidential or role in SUPERVISORS:
        return True
    return role == "assistant" and login in (created_by, assignee)


def can_see(viewer: Staff | None, req: Request) -> bool:
    """Whether `viewer` may see the request's details (everyone may, unless it is confidential)."""
    if viewer is None:
        return not req.confidential
    return may_see_details(viewer.role, viewer.login, confidential=req.confidential,
                           created_by=req.created_by, assignee=req.assignee)


class Sight(StrEnum):
    """How much of a request a viewer sees (README "What each role sees")."""

    FULL = "full"  # everything: not confidential, or the viewer may see its details
    TASK = "task"  # confidential, and the procedure has steps for the viewer's role: where, and the steps
    NONE = "none"  # confidential, nothing in it for the viewer's role: that it exists, its state and times


# What each sight leaves out: fields of the request, and the same keys in its events' payloads.
_PERSONAL = frozenset({"requester_name", "phone", "description", "outcome", "handed_to", "note", "value",
                       "reason", "notes"})
HIDDEN_AT: dict[Sight, frozenset[str]] = {
    Sight.FULL: frozenset(),
    Sight.TASK: _PERSONAL,
    Sight.NONE: _PERSONAL | {"unit"},
}


def sight(viewer: Staff | None, req: Request, procedures: Procedures | None = None) -> Sight:
    """A guard sent to a confidential medical case needs to know where to go, not who called or
    what they said; a role with no step in the request's procedure needs neither."""
    if can_see(viewer, req):
        return Sight.FULL
    proc = procedures.get(req.category) if procedures is not None and viewer is not None else None
    if proc is not None and any(step.role == viewer.role for step in proc.steps):  # type: ignore[union-attr]
        return Sight.TASK
    return Sight.NONE


def hidden_fields(viewer: Staff | None, req: Request, procedures: Procedures | None = None) -> frozenset[str]:
    return HIDDEN_AT[sight(viewer, req, procedures)]

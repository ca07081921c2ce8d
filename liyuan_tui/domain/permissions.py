"""Who may do what (section 3 of the procedure), enforced by the store for every action, and who
may see a confidential request's details.

Pure: takes a role (and for some checks a request), returns whether it is allowed.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from .procedures import Procedures

if TYPE_CHECKING:
    from .models import Request, Staff


class Action(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    REPLY = "reply"
    ESCALATE = "escalate"
    MARK_MAJOR = "mark_major"
    ACKNOWLEDGE = "acknowledge"
    TICK = "tick"
    CHOOSE_BRANCH = "choose_branch"  # which help is given (medical: hospital, 120, care)
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
    # the back office: work orders, the materials ledger, the tool register
    ORDER_DISPATCH = "order_dispatch"
    ORDER_WORK = "order_work"
    ORDER_CANCEL = "order_cancel"
    STOCK_MANAGE = "stock_manage"
    STOCK_USE = "stock_use"
    STOCK_REPORT = "stock_report"
    TOOL_MANAGE = "tool_manage"
    TOOL_LEND = "tool_lend"

    FOLLOWUP = "followup"
    EDIT_HOUSEHOLD = "edit_household"
    STAFF_RECORDS = "staff_records"
    PUBLISH_RULES = "publish_rules"  # the site's procedures and fee schedule, into the database
    # the desk's own records (issue 22): receipts, linked calls, the shift's log and handover, visitors
    PAY = "pay"
    LINK = "link"
    DUTY_LOG = "duty_log"
    HANDOVER = "handover"
    RECEPTION = "reception"
    # the pager (issue 21)
    ROSTER = "roster"
    PAGER_TEST = "pager_test"


SUPERVISORS = frozenset({"cs_supervisor", "manager"})
DESK = frozenset({"assistant", "cs_supervisor", "manager"})
SECURITY_ROLES = frozenset({"security_lead", "guard"})
# Who may act as another login (--user, LIYUAN_USER) besides root: the supervisors and the
# manager, who record for colleagues (a guard's report by phone, a script of the desk's). Every
# event then records the real login beside the one acted as.
ACT_FOR_OTHERS = SUPERVISORS
# Whom an escalation may be addressed to by login.
ESCALATION_TARGETS = SUPERVISORS
# Who runs the repair shop behind the desk: the desk dispatches, department staff manage the store
# room and the tools, technicians work their own orders.
WORKSHOP = DESK | {"dept_staff"}
STORE_ROOM = SUPERVISORS | {"dept_staff"}
# Who is on a shift and writes its log and hands it over (not the technicians, who work orders).
ON_SHIFT = DESK | SECURITY_ROLES | {"dept_staff"}
# Roles whose own requests — those they logged or hold — are theirs to work like the desk's (2, 3.3:
# 物业助理和公司各部门管理人员 help the caller): the assistant, and department staff who log a call.
OWN_REQUEST_ROLES = frozenset({"assistant", "dept_staff"})

ALLOWED: dict[Action, frozenset[str]] = {
    Action.CREATE: DESK | {"security_lead", "dept_staff"},
    Action.UPDATE: DESK,
    Action.REPLY: DESK,
    Action.ESCALATE: DESK | {"security_lead"},
    Action.MARK_MAJOR: DESK | {"security_lead"},
    Action.ACKNOWLEDGE: SUPERVISORS,
    Action.TICK: DESK | {"security_lead", "guard", "dept_staff", "technician"},
    # The desk asks the requester which help they want; those sent to help do not add one.
    Action.CHOOSE_BRANCH: DESK | {"security_lead"},
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
    Action.ORDER_DISPATCH: WORKSHOP,
    Action.ORDER_WORK: WORKSHOP | {"technician"},  # a technician only their own orders
    Action.ORDER_CANCEL: WORKSHOP,
    Action.STOCK_MANAGE: STORE_ROOM,
    Action.STOCK_USE: STORE_ROOM | {"technician"},  # a technician only on their own orders
    Action.STOCK_REPORT: STORE_ROOM,
    Action.TOOL_MANAGE: STORE_ROOM,
    Action.TOOL_LEND: WORKSHOP,
    Action.FOLLOWUP: DESK,  # the customer representatives make the calls
    Action.EDIT_HOUSEHOLD: DESK,
    Action.PUBLISH_RULES: SUPERVISORS,
    Action.STAFF_RECORDS: SUPERVISORS,  # training, assessment, commendations, recommendations
    Action.PAY: DESK,
    Action.LINK: DESK,
    Action.DUTY_LOG: ON_SHIFT,
    Action.HANDOVER: ON_SHIFT,
    Action.RECEPTION: DESK | {"dept_staff"},
    Action.ROSTER: SUPERVISORS,  # the duty roster (值班表)
    Action.PAGER_TEST: SUPERVISORS,  # a test page to someone
}
# What a role may do beyond ALLOWED on a request that is its own (it logged it or holds it): a
# department manager who logged a call replies, closes and charges it like the assistant would.
OWN_REQUEST_ACTIONS: dict[str, frozenset[Action]] = {
    "dept_staff": frozenset(
        {
            Action.UPDATE,
            Action.REPLY,
            Action.ESCALATE,
            Action.MARK_MAJOR,
            Action.CLOSE,
            Action.REOPEN,
            Action.CANCEL,
            Action.CHARGE,
            Action.PAY,
            Action.LINK,
        }
    ),
}

# Whose steps each role may tick: the desk records every step (it hears back from guards);
# the security lead ticks security's steps; a guard or department staff only their own.
TICKABLE_STEP_ROLES: dict[str, frozenset[str]] = {
    "assistant": frozenset(
        {"assistant", "cs_supervisor", "manager", "security_lead", "guard", "dept_staff", "technician"}
    ),
    "cs_supervisor": frozenset(
        {"assistant", "cs_supervisor", "manager", "security_lead", "guard", "dept_staff", "technician"}
    ),
    "manager": frozenset(
        {"assistant", "cs_supervisor", "manager", "security_lead", "guard", "dept_staff", "technician"}
    ),
    "security_lead": frozenset({"security_lead", "guard"}),
    "guard": frozenset({"guard"}),
    "dept_staff": frozenset({"dept_staff"}),
    "technician": frozenset({"technician"}),
}


def allowed(role: str, action: Action) -> bool:
    return role in ALLOWED[action]


def allowed_on_own(role: str, action: Action) -> bool:
    """Whether `role` may take `action` on its own requests only (ALLOWED does not give it)."""
    return action in OWN_REQUEST_ACTIONS.get(role, frozenset())


def owns(role: str, login: str, req: Request) -> bool:
    """The request is this person's like an assistant's: they logged it or hold it."""
    return role in OWN_REQUEST_ROLES and login in (req.created_by, req.assignee)


def may_on_request(staff: Staff, action: Action, req: Request) -> bool:
    return allowed(staff.role, action) or (
        allowed_on_own(staff.role, action) and owns(staff.role, staff.login, req)
    )


def may_tick(role: str, step_role: str, *, own: bool = False) -> bool:
    """Whose steps `role` may tick; on its own request, department staff tick as the desk does."""
    if own and role in OWN_REQUEST_ROLES:
        role = "assistant"
    return step_role in TICKABLE_STEP_ROLES.get(role, frozenset())


def may_close_escalated(role: str) -> bool:
    return role in SUPERVISORS


def may_see_details(
    role: str, login: str, *, confidential: bool, created_by: str, assignee: str | None
) -> bool:
    """Confidential details are for the supervisors, the manager and whoever handles it (the
    assistant, or department staff who logged it or hold it)."""
    if not confidential or role in SUPERVISORS:
        return True
    return role in OWN_REQUEST_ROLES and login in (created_by, assignee)


def can_see(viewer: Staff | None, req: Request) -> bool:
    """Whether `viewer` may see the request's details (everyone may, unless it is confidential)."""
    if viewer is None:
        return not req.confidential
    return may_see_details(
        viewer.role,
        viewer.login,
        confidential=req.confidential,
        created_by=req.created_by,
        assignee=req.assignee,
    )


class Sight(StrEnum):
    """How much of a request a viewer sees (README "What each role sees")."""

    FULL = "full"  # everything: not confidential, or the viewer may see its details
    TASK = "task"  # confidential, and the procedure has steps for the viewer's role: where, and the steps
    NONE = "none"  # confidential, nothing in it for the viewer's role: that it exists, its state and times


# What each sight leaves out: fields of the request, and the same keys in its events' payloads.
_PERSONAL = frozenset(
    {
        "requester_name",
        "phone",
        "description",
        "outcome",
        "handed_to",
        "note",
        "value",
        "reason",
        "notes",
        "reply_text",
    }
)
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


def may_see_order(role: str, login: str, technician: str | None) -> bool:
    """A technician sees their own work orders only; everyone else sees every order (a confidential
    request's details on it are still for those who may see them: `can_see`)."""
    return role != "technician" or technician == login


def may_work_order(role: str, login: str, technician: str | None) -> bool:
    """Arrive, wait for parts, finish: the workshop on any order, a technician on their own."""
    return allowed(role, Action.ORDER_WORK) and may_see_order(role, login, technician)


# The household file's parts, and who sees which. Personal data follows the confidential-request
# rule (the desk that helps residents sees it all); others see what their job needs: a guard sent
# to a flat or meeting an ambulance, the flags, the people and whom to call; a technician or
# another department, the flags and who lives there (to knock on the right door, in the right
# language); never phones, notes or the unit's history.
HOUSEHOLD_PARTS = ("flags", "people", "phones", "emergency_contact", "notes", "history")
_HOUSEHOLD_VIEW: dict[str, frozenset[str]] = {
    **{role: frozenset(HOUSEHOLD_PARTS) for role in DESK},
    "security_lead": frozenset({"flags", "people", "emergency_contact"}),
    "guard": frozenset({"flags", "people", "emergency_contact"}),
    "technician": frozenset({"flags", "people"}),
    "dept_staff": frozenset({"flags", "people"}),
}


def household_parts(role: str) -> frozenset[str]:
    """Which parts of a household file `role` may see (unknown roles: the flags only)."""
    return _HOUSEHOLD_VIEW.get(role, frozenset({"flags"}))


def may_see_staff_records(viewer: Staff, login: str) -> bool:
    """Training and assessments: supervisors and the manager see everyone's, others their own."""
    return viewer.role in SUPERVISORS or viewer.login == login

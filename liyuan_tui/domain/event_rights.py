"""Which kinds of event each role may record: the kinds its allowed actions write. The desk's
store checks the action; on PostgreSQL the server checks the kind too (store/postgres_sql.py), so
a login with psql can add no event its role could not have caused through the desk.

The ladder's rungs and `db_change` are the system's: only the server's own functions write them.

A kind is recorded by the roles an action is allowed to (an `Action` in its set) — on their own
requests too (department staff reply, close and charge the calls they logged or hold:
permissions.OWN_REQUEST_ACTIONS) — or by a recorder
named outright (a role or a service in its set): the pager's sender (`pager`, a service's login,
not a staff role) records its attempts and what they found; a page with nobody to reach is said by
whichever desk caused it, whatever its role (a deadline any open desk notices pages too).
"""

from __future__ import annotations

from .events import EventKind
from .models import ROLES
from .permissions import ALLOWED, OWN_REQUEST_ACTIONS, Action

K = EventKind
PAGER = "pager"  # the pager's sender (store/postgres_matrix.py: its group role is liyuan_pager)
SERVICES = (PAGER,)
Recorder = Action | str  # an action (the roles allowed it), or a role or service by its name
RECORDED_BY: dict[EventKind, frozenset[Recorder]] = {
    K.CREATED: frozenset({Action.CREATE}),
    K.UPDATED: frozenset({Action.UPDATE, Action.CREATE}),
    K.REPLIED: frozenset({Action.REPLY}),
    K.ESCALATED: frozenset({Action.ESCALATE}),
    K.MAJOR: frozenset({Action.MARK_MAJOR}),
    K.MAJOR_CLEARED: frozenset({Action.MARK_MAJOR}),
    K.ACKNOWLEDGED: frozenset({Action.ACKNOWLEDGE}),
    K.BRANCH: frozenset({Action.CHOOSE_BRANCH}),  # which help: the desk and the security lead
    K.BRANCH_SWITCHED: frozenset({Action.UPDATE}),
    K.STEP: frozenset({Action.TICK}),
    K.CLOSED: frozenset({Action.CLOSE}),
    K.REOPENED: frozenset({Action.REOPEN, Action.FOLLOWUP}),
    K.CANCELLED: frozenset({Action.CANCEL, Action.CREATE}),  # whoever logged a blank draft voids it
    K.ASSIGNED: frozenset({Action.TAKE, Action.REASSIGN}),
    K.CHARGE: frozenset({Action.CHARGE}),
    K.FOLLOWUP: frozenset({Action.FOLLOWUP}),
    # the desk's own records (issue 22)
    K.REPLY_NOTED: frozenset({Action.REPLY}),
    K.LINKED: frozenset({Action.LINK}),
    K.UNLINKED: frozenset({Action.LINK}),
    K.PAID: frozenset({Action.PAY}),
    K.COMMENDED: frozenset({Action.STAFF_RECORDS}),
    K.RECOMMENDED: frozenset({Action.STAFF_RECORDS}),
    K.DUTY_NOTE: frozenset({Action.DUTY_LOG}),
    K.HANDOVER_SIGNED: frozenset({Action.HANDOVER}),
    K.HANDOVER_ACCEPTED: frozenset({Action.HANDOVER}),
    K.RECEPTION: frozenset({Action.RECEPTION}),
    K.STAFF_ADDED: frozenset({Action.MANAGE_STAFF}),
    K.STAFF_CHANGED: frozenset({Action.MANAGE_STAFF}),
    K.ESTATE_ADDED: frozenset({Action.MANAGE_STAFF}),
    K.RESIDENT_ADDED: frozenset({Action.IMPORT, Action.EDIT_HOUSEHOLD}),
    K.HOUSEHOLD_CHANGED: frozenset({Action.EDIT_HOUSEHOLD}),
    K.TRAINING_RECORDED: frozenset({Action.STAFF_RECORDS}),
    K.ASSESSED: frozenset({Action.STAFF_RECORDS}),
    K.IMPORTED: frozenset({Action.IMPORT}),
    K.MIGRATED: frozenset({Action.MIGRATE}),
    K.RULES_PUBLISHED: frozenset({Action.PUBLISH_RULES}),
    K.ANALYSIS_WRITTEN: frozenset({Action.REPORT}),
    K.ORDER_CREATED: frozenset({Action.ORDER_DISPATCH}),
    K.ORDER_DISPATCHED: frozenset({Action.ORDER_DISPATCH}),
    K.ORDER_ARRIVED: frozenset({Action.ORDER_WORK}),
    K.ORDER_WAITING: frozenset({Action.ORDER_WORK}),
    K.ORDER_FINISHED: frozenset({Action.ORDER_WORK}),
    K.ORDER_CANCELLED: frozenset({Action.ORDER_CANCEL}),
    K.MATERIAL_ADDED: frozenset({Action.STOCK_MANAGE}),
    K.STOCK_IN: frozenset({Action.STOCK_MANAGE}),
    K.STOCK_COUNTED: frozenset({Action.STOCK_MANAGE}),
    K.STOCK_USED: frozenset({Action.STOCK_USE}),
    K.TOOL_ADDED: frozenset({Action.TOOL_MANAGE}),
    K.TOOL_ISSUED: frozenset({Action.TOOL_LEND}),
    K.TOOL_RETURNED: frozenset({Action.TOOL_LEND}),
    # the pager (issue 21)
    K.ROSTER_ADDED: frozenset({Action.ROSTER}),
    K.ROSTER_REMOVED: frozenset({Action.ROSTER}),
    K.PAGER_TEST: frozenset({Action.PAGER_TEST, PAGER}),  # (`pager test` run as the sender too)
    K.PAGE_NOBODY: frozenset(ROLES),  # with the page's cause: a major case, a deadline, a follow-up
    K.PAGE_ATTEMPT: frozenset({PAGER}),
    K.PAGE_SENT: frozenset({PAGER}),
    K.PAGE_FAILED: frozenset({PAGER}),
    K.PAGE_UNACKNOWLEDGED: frozenset({PAGER}),  # the next rung, paged by the sender
    K.PAGE_UNANSWERED: frozenset({PAGER}),
}
# Written only by the server's own functions: the ladder's rungs (after their deadline really
# passed) and the audit of a change made without the desk.
SYSTEM_KINDS = frozenset(
    {
        K.DEADLINE_WARNING,
        K.AUTO_ESCALATED,
        K.OVERDUE_ALERT,
        K.ORDER_WARNING,
        K.ORDER_LATE,
        K.DB_CHANGE,
        K.SITE_REPAIRED,
    }
)


def _records(role: str, recorder: Recorder) -> bool:
    if isinstance(recorder, Action):
        return role in ALLOWED[recorder] or recorder in OWN_REQUEST_ACTIONS.get(role, frozenset())
    return role == recorder


def kinds_for(role: str) -> tuple[str, ...]:
    """The kinds of event `role` (a staff role, or a service) may record, sorted."""
    return tuple(sorted(str(kind) for kind, by in RECORDED_BY.items() if any(_records(role, r) for r in by)))


def kinds_by_role() -> dict[str, tuple[str, ...]]:
    """Every staff role's kinds, then each service's."""
    return {role: kinds_for(role) for role in (*ROLES, *SERVICES)}

"""Which kinds of event each role may record: the kinds its allowed actions write. The desk's
store checks the action; on PostgreSQL the server checks the kind too (store/postgres_sql.py), so
a login with psql can add no event its role could not have caused through the desk.

The ladder's rungs and `db_change` are the system's: only the server's own functions write them.
"""

from __future__ import annotations

from .events import EventKind
from .models import ROLES
from .permissions import ALLOWED, Action

K = EventKind
RECORDED_BY: dict[EventKind, frozenset[Action]] = {
    K.CREATED: frozenset({Action.CREATE}),
    K.UPDATED: frozenset({Action.UPDATE, Action.CREATE}),
    K.REPLIED: frozenset({Action.REPLY}),
    K.ESCALATED: frozenset({Action.ESCALATE}),
    K.MAJOR: frozenset({Action.MARK_MAJOR}),
    K.MAJOR_CLEARED: frozenset({Action.MARK_MAJOR}),
    K.ACKNOWLEDGED: frozenset({Action.ACKNOWLEDGE}),
    K.BRANCH: frozenset({Action.TICK}),
    K.BRANCH_SWITCHED: frozenset({Action.UPDATE}),
    K.STEP: frozenset({Action.TICK}),
    K.CLOSED: frozenset({Action.CLOSE}),
    K.REOPENED: frozenset({Action.REOPEN, Action.FOLLOWUP}),
    K.CANCELLED: frozenset({Action.CANCEL, Action.CREATE}),  # whoever logged a blank draft voids it
    K.ASSIGNED: frozenset({Action.TAKE, Action.REASSIGN}),
    K.CHARGE: frozenset({Action.CHARGE}),
    K.FOLLOWUP: frozenset({Action.FOLLOWUP}),
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


def kinds_for(role: str) -> tuple[str, ...]:
    """The kinds of event `role` may record, sorted."""
    return tuple(
        sorted(str(kind) for kind, actions in RECORDED_BY.items() if any(role in ALLOWED[a] for a in actions))
    )


def kinds_by_role() -> dict[str, tuple[str, ...]]:
    return {role: kinds_for(role) for role in ROLES}

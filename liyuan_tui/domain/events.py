"""Every kind of event the desk records, by name: the audit log's vocabulary in one place."""

from __future__ import annotations

from enum import StrEnum


class EventKind(StrEnum):
    # a request's life
    CREATED = "created"
    UPDATED = "updated"
    REPLIED = "replied"
    ESCALATED = "escalated"
    MAJOR = "major"
    MAJOR_CLEARED = "major_cleared"
    ACKNOWLEDGED = "acknowledged"
    BRANCH = "branch"
    STEP = "step"
    CLOSED = "closed"
    REOPENED = "reopened"
    CANCELLED = "cancelled"
    ASSIGNED = "assigned"
    CHARGE = "charge"
    # the deadline ladder (recorded once, by whichever terminal notices first)
    DEADLINE_WARNING = "deadline_warning"
    AUTO_ESCALATED = "auto_escalated"
    OVERDUE_ALERT = "overdue_alert"
    # the staff list, the archive, imports
    STAFF_ADDED = "staff_added"
    STAFF_CHANGED = "staff_changed"
    ESTATE_ADDED = "estate_added"
    RESIDENT_ADDED = "resident_added"
    IMPORTED = "imported"
    MIGRATED = "migrated"
    # PostgreSQL: a change to a request made without the desk (psql …), recorded by the server
    DB_CHANGE = "db_change"


# Kinds that change who may use the desk: terminals re-read the staff list when they see one.
STAFF_KINDS = frozenset({EventKind.STAFF_ADDED, EventKind.STAFF_CHANGED})
# The ladder's rungs, written by the system rather than a person.
LADDER_KINDS = frozenset({EventKind.DEADLINE_WARNING, EventKind.AUTO_ESCALATED, EventKind.OVERDUE_ALERT})

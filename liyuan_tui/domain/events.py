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
    BRANCH_SWITCHED = "branch_switched"
    STEP = "step"
    CLOSED = "closed"
    REOPENED = "reopened"
    CANCELLED = "cancelled"
    ASSIGNED = "assigned"
    CHARGE = "charge"
    FOLLOWUP = "followup"  # a follow-up call after the close (one that finds it not solved reopens it)
    REPLY_NOTED = "reply_noted"  # what the caller was told, recorded after the reply
    LINKED = "linked"  # part of an incident with other calls
    UNLINKED = "unlinked"
    PAID = "paid"  # a charge's receipt paid
    # the deadline ladder (recorded once, by whichever terminal notices first)
    DEADLINE_WARNING = "deadline_warning"
    AUTO_ESCALATED = "auto_escalated"
    OVERDUE_ALERT = "overdue_alert"
    # the staff list, the archive, imports
    STAFF_ADDED = "staff_added"
    STAFF_CHANGED = "staff_changed"
    ESTATE_ADDED = "estate_added"
    RESIDENT_ADDED = "resident_added"
    HOUSEHOLD_CHANGED = "household_changed"
    TRAINING_RECORDED = "training_recorded"
    ASSESSED = "assessed"
    COMMENDED = "commended"  # a commendation, reward or penalty
    RECOMMENDED = "recommended"
    # the shift: the duty log, the signed handover, visitors received
    DUTY_NOTE = "duty_note"
    HANDOVER_SIGNED = "handover_signed"
    HANDOVER_ACCEPTED = "handover_accepted"
    RECEPTION = "reception"
    IMPORTED = "imported"
    MIGRATED = "migrated"
    RULES_PUBLISHED = "rules_published"  # a supervisor published the site's procedures or fees
    SITE_REPAIRED = "site_repaired"  # PostgreSQL: the administrator put the server's definitions back
    # the month report
    ANALYSIS_WRITTEN = "analysis_written"
    # PostgreSQL: a change to any table made without an event of its writer (psql …), recorded by
    # the server
    DB_CHANGE = "db_change"
    # the back office: work orders (recorded on their request), the materials ledger, the tools
    ORDER_CREATED = "order_created"
    ORDER_DISPATCHED = "order_dispatched"
    ORDER_ARRIVED = "order_arrived"
    ORDER_WAITING = "order_waiting"
    ORDER_FINISHED = "order_finished"
    ORDER_CANCELLED = "order_cancelled"
    ORDER_WARNING = "order_warning"  # the ladder: a limit is near (recorded once)
    ORDER_LATE = "order_late"  # the ladder: a limit has passed (recorded once)
    MATERIAL_ADDED = "material_added"
    STOCK_IN = "stock_in"
    STOCK_USED = "stock_used"
    STOCK_COUNTED = "stock_counted"
    TOOL_ADDED = "tool_added"
    TOOL_ISSUED = "tool_issued"
    TOOL_RETURNED = "tool_returned"
    # the pager: pages to people off the desk (each on its request's timeline), the duty roster
    PAGE_ATTEMPT = "page_attempt"
    PAGE_SENT = "page_sent"
    PAGE_FAILED = "page_failed"
    PAGE_UNACKNOWLEDGED = "page_unacknowledged"  # nobody acknowledged in time: the next rung paged
    PAGE_NOBODY = "page_nobody"  # a page was due and nobody could be paged
    PAGE_UNANSWERED = "page_unanswered"  # every rung paged and nobody acknowledged
    PAGER_TEST = "pager_test"
    ROSTER_ADDED = "roster_added"
    ROSTER_REMOVED = "roster_removed"


# Kinds that change who may use the desk: terminals re-read the staff list when they see one.
STAFF_KINDS = frozenset({EventKind.STAFF_ADDED, EventKind.STAFF_CHANGED})
# The ladder's rungs, written by the system rather than a person.
LADDER_KINDS = frozenset(
    {
        EventKind.DEADLINE_WARNING,
        EventKind.AUTO_ESCALATED,
        EventKind.OVERDUE_ALERT,
        EventKind.ORDER_WARNING,
        EventKind.ORDER_LATE,
    }
)
# Kinds of the shift's own record: the handover screen reads again when it sees one.
SHIFT_KINDS = frozenset({EventKind.DUTY_NOTE, EventKind.HANDOVER_SIGNED, EventKind.HANDOVER_ACCEPTED})
# Kinds that change a work order: the work-order screens read again when they see one.
ORDER_KINDS = frozenset(
    {
        EventKind.ORDER_CREATED,
        EventKind.ORDER_DISPATCHED,
        EventKind.ORDER_ARRIVED,
        EventKind.ORDER_WAITING,
        EventKind.ORDER_FINISHED,
        EventKind.ORDER_CANCELLED,
        EventKind.ORDER_WARNING,
        EventKind.ORDER_LATE,
    }
)
STOCK_KINDS = frozenset(
    {
        EventKind.MATERIAL_ADDED,
        EventKind.STOCK_IN,
        EventKind.STOCK_USED,
        EventKind.STOCK_COUNTED,
        EventKind.ORDER_FINISHED,
    }
)  # a finish may use materials
TOOL_KINDS = frozenset({EventKind.TOOL_ADDED, EventKind.TOOL_ISSUED, EventKind.TOOL_RETURNED})
# The pager's own events (the sender's attempts and what they found): a desk reads them on the timeline.
PAGE_KINDS = frozenset(
    {
        EventKind.PAGE_ATTEMPT,
        EventKind.PAGE_SENT,
        EventKind.PAGE_FAILED,
        EventKind.PAGE_UNACKNOWLEDGED,
        EventKind.PAGE_NOBODY,
        EventKind.PAGE_UNANSWERED,
        EventKind.PAGER_TEST,
    }
)
ROSTER_KINDS = frozenset({EventKind.ROSTER_ADDED, EventKind.ROSTER_REMOVED})

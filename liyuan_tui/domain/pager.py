"""What pages whom, and when (pure): the duty roles of the roster, the rungs a page climbs while
nobody acknowledges it, who is paged when the roster names nobody, and how long a failed
delivery waits before it is tried again.

- a major case → the duty manager at once;
- the automatic escalation at the reply deadline → the duty supervisor at once;
- a follow-up call that found the problem not solved → the duty supervisor;
- not acknowledged within the limit (5 minutes unless the pager's config says otherwise) →
  repeated, then the duty role's backup, then the next role up (and its backup), one rung per
  limit; a rung that names nobody is passed at once;
- nobody on the roster for a duty at that moment → every active supervisor (and, for the duty
  manager, the manager too).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

DUTIES = ("duty_supervisor", "duty_manager", "duty_security_lead")
# The next role up, for a page nobody acknowledges (the duty manager is the top).
UP = {"duty_security_lead": "duty_supervisor", "duty_supervisor": "duty_manager"}
# Who may stand each duty (staff roles).
ELIGIBLE = {
    "duty_supervisor": frozenset({"cs_supervisor", "manager"}),
    "duty_manager": frozenset({"manager", "cs_supervisor"}),
    "duty_security_lead": frozenset({"security_lead"}),
}
# Who is paged for a duty when the roster names nobody for it at that moment.
WITHOUT_ROSTER = {
    "duty_supervisor": ("cs_supervisor",),
    "duty_manager": ("cs_supervisor", "manager"),
    "duty_security_lead": ("security_lead",),
}

REASONS = ("major", "escalated", "unacknowledged", "not_solved", "test")
STATUSES = ("queued", "sent", "failed", "acknowledged")
OPEN_STATUSES = ("queued", "sent", "failed")  # not yet acknowledged
# The duty each cause pages first.
FIRST_DUTY = {"major": "duty_manager", "escalated": "duty_supervisor", "not_solved": "duty_supervisor"}

ACK_MINUTES = 5  # the default limit for an acknowledgement (the pager's config: [limits] ack_minutes)
MAX_ATTEMPTS = 10  # a page that keeps failing is given up after this many attempts
SHIFT_LONGEST = timedelta(days=31)  # a longer shift is a typing mistake
SENDER_DEAD_AFTER = timedelta(minutes=2)  # no heartbeat for this long: the pager is down
HEARTBEAT_EVERY = timedelta(seconds=10)
LEASE_EXPIRES = timedelta(seconds=60)  # another sender may take over a lease this stale


@dataclass(frozen=True)
class Rung:
    """One step of a page's climb: whom (a duty's people on duty or its backup) and why."""

    duty: str
    backup: bool
    kind: str  # first | repeat | backup | up


def rungs(first_duty: str) -> list[Rung]:
    """The rungs of a page that starts with `first_duty`, in order (rung 0 is the first page)."""
    out = [
        Rung(first_duty, False, "first"),
        Rung(first_duty, False, "repeat"),
        Rung(first_duty, True, "backup"),
    ]
    duty = UP.get(first_duty)
    while duty is not None:
        out += [Rung(duty, False, "up"), Rung(duty, True, "backup")]
        duty = UP.get(duty)
    return out


def rung_due(started: datetime, rung: int, limit: timedelta) -> datetime:
    """When rung `rung` of a chain started at `started` is due (if nobody has acknowledged)."""
    return started + rung * limit


def retry_after(attempts: int) -> timedelta:
    """How long a failed delivery waits before the next attempt: 10 s, 20 s, 40 s … at most 5 min."""
    return timedelta(seconds=min(10 * 2 ** max(0, attempts - 1), 300))


def chain_id(reason: str, event_id: int | None) -> str:
    return f"{reason}:{event_id}"


def page_key(chain: str, rung: int, login: str) -> str:
    """The idempotency key a receiver sees: one per page (chain, rung and person)."""
    return f"liyuan:{chain}:{rung}:{login}"


def late_seconds(reply_due_at: datetime, replied_at: datetime | None, now: datetime) -> int:
    """How late the reply is (negative: time still left), frozen at the reply once replied."""
    return int(((replied_at or now) - reply_due_at).total_seconds())

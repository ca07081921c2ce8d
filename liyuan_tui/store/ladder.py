"""The warning ladder of the reply deadline, recorded once however many terminals are open.

3 minutes before the deadline the holder is warned; at the deadline the request is escalated
automatically and every supervisor alerted; the alert repeats every 5 minutes until the resident
has been replied to. Every open session runs `Ladder.record_deadline_alerts()` from its poller: each rung is
an Event with a unique dedupe key, so the first session to notice writes it and the others find it
there. Sessions then raise their notifications from the events, like any other change.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from liyuan_tui.domain.deadlines import WARNING_WINDOW
from liyuan_tui.domain.events import EventKind
from liyuan_tui.domain.models import Event, Request

from .kernel import Kernel

REPEAT_EVERY = timedelta(minutes=5)
SYSTEM = "system"  # the actor of automatic events; the noticing session's login is in the payload


def rungs_due(request_id: int, reply_due_at: datetime, now: datetime) -> list[tuple[str, EventKind]]:
    """(dedupe_key, kind) of the rungs an unreplied open request has reached by `now` (only the
    newest repeat: a terminal opened late does not replay an hour of alerts)."""
    left = reply_due_at - now
    if left >= WARNING_WINDOW:
        return []
    if left >= timedelta(0):
        return [(f"warn:{request_id}", EventKind.DEADLINE_WARNING)]
    rungs = [(f"overdue:{request_id}:0", EventKind.AUTO_ESCALATED)]
    n = int((now - reply_due_at) / REPEAT_EVERY)
    if n >= 1:
        rungs.append((f"overdue:{request_id}:{n}", EventKind.OVERDUE_ALERT))
    return rungs


class Ladder:
    """Records the ladder's rungs as events."""

    def __init__(self, kernel: Kernel) -> None:
        self.k = kernel
        self._rungs_recorded: set[str] = set()  # rungs this session already knows are on record

    def record_deadline_alerts(self) -> list[Event]:
        """Record every rung reached and not yet recorded; returns the events written (usually
        none: the check is one indexed read, and only a missing rung takes the write lock)."""
        now = self.k.clock.now()
        horizon = now + WARNING_WINDOW
        known = self._rungs_recorded
        with self.k.read() as s:
            candidates = s.exec(
                select(Request.id, Request.reply_due_at).where(
                    col(Request.status) == "open", col(Request.replied_at).is_(None),
                    col(Request.reply_due_at) <= horizon)).all()
            wanted = {key: (rid, kind) for rid, due in candidates for key, kind in rungs_due(rid, due, now)}
            unknown = [key for key in wanted if key not in known]
            if not unknown:
                return []
            found = self._recorded(s, unknown)
            known |= found
            missing = set(unknown) - found
        if not missing:
            return []
        written: list[Event] = []
        with self.k.write() as tx:
            s = tx.s
            missing -= self._recorded(s, sorted(missing))  # another terminal may have been first
            for key in sorted(missing):
                request_id, kind = wanted[key]
                fresh = s.get(Request, request_id)
                if fresh is None or fresh.replied_at is not None or not fresh.is_open:
                    continue
                late = int((now - fresh.reply_due_at).total_seconds())
                payload = {"noticed_by": self.k.login, "late_seconds": max(0, late), "seconds_left": max(0, -late)}
                if kind is EventKind.AUTO_ESCALATED and fresh.escalated_at is None:
                    # A system annotation, not a user's edit: it leaves the version alone so an
                    # assistant typing in the form at the deadline is not refused as stale.
                    fresh.escalated_at, fresh.escalated_to, fresh.escalated_by = now, "cs_supervisor", SYSTEM
                    tx.add(fresh)
                written.append(tx.record(fresh, kind, payload, dedupe_key=key, actor=SYSTEM))
        known |= missing
        return written

    @staticmethod
    def _recorded(s: Session, keys: list[str]) -> set[str]:
        found: set[str] = set()
        for i in range(0, len(keys), 500):
            chunk = keys[i:i + 500]
            found |= set(s.exec(select(Event.dedupe_key).where(col(Event.dedupe_key).in_(chunk))))
        return found

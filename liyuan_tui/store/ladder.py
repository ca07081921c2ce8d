"""The warning ladder of the reply deadline and of work orders' on-site limits, recorded once
however many terminals are open.

3 minutes before the deadline the holder is warned; at the deadline the request is escalated
automatically and every supervisor alerted; the alert repeats every 5 minutes until the resident
has been replied to. Every open session runs `Ladder.record_deadline_alerts()` from its poller: each rung is
an Event with a unique dedupe key, so the first session to notice writes it and the others find it
there. Sessions then raise their notifications from the events, like any other change.

A poll that finds every rung reached already on record also works out when the next rung can come
(a warning begins, a deadline passes, an alert repeats); until then, and while no event has been
written anywhere (every write records one), a poll is one indexed look-up of the newest event id
instead of the scan.

A work order counting down to its arrival or finishing limit (the category's procedure file sets
them) warns its technician before the limit and alerts the supervisors once it has passed
(work_orders.order_rungs), in the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from sqlalchemy import func, text, union
from sqlalchemy import select as select_columns
from sqlmodel import Session, col, select

from liyuan_tui.domain.deadlines import WARNING_WINDOW
from liyuan_tui.domain.events import EventKind
from liyuan_tui.domain.models import Event, Request
from liyuan_tui.domain.work_orders import WARNING_BEFORE, order_rungs, order_rungs_change_at
from liyuan_tui.domain.workshop import WorkOrder

from . import outbox
from .kernel import Kernel, Tx
from .rows import EventRow, as_model
from .tables import table

# rung(tx, dedupe key, now): records it, if still due
Rung = Callable[[Tx, str, datetime], Event | EventRow | None]

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


def rungs_change_at(reply_due_at: datetime, now: datetime) -> datetime:
    """The first moment from `now` on at which `rungs_due` may answer otherwise for an unreplied
    open request (the warning begins, the deadline passes, the next repeat)."""
    for at in (reply_due_at - WARNING_WINDOW, reply_due_at):
        if at >= now:
            return at
    return reply_due_at + REPEAT_EVERY * ((now - reply_due_at) // REPEAT_EVERY + 1)


@dataclass(frozen=True)
class Calm:
    """Every rung reached was on record when the newest event was `newest`: so it stays, while no
    event is written and the clock is in [since, until) (until None: no rung ahead at all)."""

    newest: int
    since: datetime
    until: datetime | None

    def holds(self, newest: int, now: datetime) -> bool:
        return newest == self.newest and self.since <= now and (self.until is None or now < self.until)


class Ladder:
    """Records the ladder's rungs as events."""

    def __init__(self, kernel: Kernel) -> None:
        self.k = kernel
        self._rungs_recorded: set[str] = set()  # rungs this session already knows are on record
        self._calm: Calm | None = None

    def calm_until(self) -> datetime | None:
        """The next moment a rung may be reached while nothing is written (None: not worked out
        yet, a write since, or no rung ahead at all)."""
        return self._calm.until if self._calm is not None else None

    def record_deadline_alerts(self, newest: int | None = None) -> list[Event]:
        """Record every rung reached and not yet recorded, of requests and of work orders; returns
        the events written (usually none: while calm, the newest event id; else one read of a
        few indexed queries; only a missing rung takes the write lock). `newest`: the newest
        event's id as the caller has just read it (the desk's change check), else read here."""
        now = self.k.clock.now()
        if newest is None:  # before the scan: a write during it makes the next poll look
            newest = self._newest_event()
        if self._calm is not None and self._calm.holds(newest, now):
            return []
        self._calm = None
        known = self._rungs_recorded
        with self.k.read() as s:
            requests, request_change = self._request_rungs(s, now)
            orders, order_change = self._order_rungs(s, now)
            wanted = {**requests, **orders}
            unknown = [key for key in wanted if key not in known]
            if unknown:
                known |= self._recorded(s, unknown)
            missing = set(unknown) - known
            if not missing:  # all on record: calm until the next rung or the next write
                changes = [at for at in (request_change, order_change, *self._later(s, now)) if at]
                self._calm = Calm(newest, now, min(changes, default=None))
                return []
        written: list[Event] = []
        # SQLite: every rung in one transaction (the file's lock keeps out every other writer).
        # PostgreSQL: a transaction a rung, which locks its request's or order's row before it looks
        # whether the rung is on record and records it: two desks noticing one rung take turns on
        # that row (the second finds it recorded), and no transaction takes a row lock after its
        # first event (transaction.Tx.record), so none waits on another in a circle.
        batches = [sorted(missing)] if self.k.sqlite else [[key] for key in sorted(missing)]
        for batch in batches:
            with self.k.write() as tx:
                keys = sorted(set(batch) - self._recorded(tx.s, batch)) if self.k.sqlite else batch
                for key in keys:  # (SQLite: less those another terminal recorded first)
                    event = self._server_rung(tx, key) if self.k.db_roles else wanted[key](tx, key, now)
                    if event is not None:
                        written.append(as_model(event))  # (as the ORM's: the desk shows it)
        # (where the server keeps the ladder, a rung its clock has not reached yet is asked again)
        known |= {str(e.dedupe_key) for e in written} if self.k.db_roles else missing
        return written

    @staticmethod
    def _server_rung(tx: Tx, key: str) -> Event | EventRow | None:
        """PostgreSQL with the roles enforced: the server records the rung itself, once its own
        clock says it is due (postgres_sql.py: nobody else may write the ladder's keys)."""
        new_id = tx.s.execute(text("SELECT public.liyuan_ladder_rung(:key)"), {"key": key}).scalar()
        if new_id is None:
            return None
        event = tx.s.get(Event, new_id)
        if event is not None:
            tx.changed = True
            tx.events.append(event)
            if event.kind == EventKind.AUTO_ESCALATED and event.request_id is not None:
                req = tx.s.get(Request, event.request_id)
                if req is not None:
                    tx.s.refresh(req)  # (escalated by the server's function)
                    outbox.page(tx, req, "escalated", event)  # the duty supervisor, at once
        return event

    # --- the reply deadline ----------------------------------------------------------------------

    def _request_rungs(self, s: Session, now: datetime) -> tuple[dict[str, Rung], datetime | None]:
        """The rungs open unreplied requests have reached, each with how to record it; and when
        the next may come of those in or past their warning."""
        r = table(Request).c
        candidates = s.execute(
            select_columns(r.id, r.reply_due_at).where(
                r.status == "open", r.replied_at.is_(None), r.reply_due_at <= now + WARNING_WINDOW
            )
        ).all()
        rungs: dict[str, Rung] = {
            key: partial(self._request_rung, rid, kind)
            for rid, due in candidates
            for key, kind in rungs_due(rid, due, now)
        }
        return rungs, min((rungs_change_at(due, now) for _, due in candidates), default=None)

    def _request_rung(
        self, request_id: int, kind: EventKind, tx: Tx, key: str, now: datetime
    ) -> Event | EventRow | None:
        fresh = tx.locked(select(Request).where(Request.id == request_id))
        if fresh is None or fresh.replied_at is not None or not fresh.is_open:
            return None
        if not self.k.sqlite and self._recorded(tx.s, [key]):
            return None  # another terminal was first (looked at once the row is ours)
        late = int((now - fresh.reply_due_at).total_seconds())
        payload = {"noticed_by": self.k.login, "late_seconds": max(0, late), "seconds_left": max(0, -late)}
        if kind is EventKind.AUTO_ESCALATED and fresh.escalated_at is None:
            # A system annotation, not a user's edit: it leaves the version alone so an
            # assistant typing in the form at the deadline is not refused as stale.
            fresh.escalated_at, fresh.escalated_to, fresh.escalated_by = now, "cs_supervisor", SYSTEM
            tx.add(fresh)
        event = tx.record(fresh, kind, payload, dedupe_key=key, actor=SYSTEM)
        if kind is EventKind.AUTO_ESCALATED:
            outbox.page(tx, fresh, "escalated", event)  # the duty supervisor, at once
        return event

    # --- work orders' on-site limits -------------------------------------------------------------

    def _order_rungs(self, s: Session, now: datetime) -> tuple[dict[str, Rung], datetime | None]:
        # Columns, not whole rows, and one query per limit so each is a range on its own index:
        # every open desk runs this each second, over every order still open.
        o = table(WorkOrder).c
        columns = select_columns(o.id, o.state, o.arrived_at, o.arrive_due_at, o.finish_due_at).where(
            o.state.in_(("dispatched", "on_site", "waiting_parts"))
        )
        near = s.execute(
            union(
                columns.where(o.arrive_due_at <= now + WARNING_BEFORE["arrive"], o.arrived_at.is_(None)),
                columns.where(o.finish_due_at <= now + WARNING_BEFORE["finish"]),
            )
        ).all()
        rungs: dict[str, Rung] = {
            key: partial(self._order_rung, c.id, kind, which)
            for c in near
            for key, kind, which in order_rungs(c.id, c, now)
        }
        return rungs, min((at for c in near if (at := order_rungs_change_at(c, now))), default=None)

    def _order_rung(
        self, order_id: int, kind: str, which: str, tx: Tx, key: str, now: datetime
    ) -> Event | EventRow | None:
        order = tx.locked(select(WorkOrder).where(WorkOrder.id == order_id))
        if order is None or (key, kind, which) not in order_rungs(order_id, order, now):
            return None  # arrived or finished meanwhile
        if not self.k.sqlite and self._recorded(tx.s, [key]):
            return None  # another terminal was first (looked at once the row is ours)
        due = order.arrive_due_at if which == "arrive" else order.finish_due_at
        late = int((now - due).total_seconds()) if due else 0
        payload = {
            "order": order.number,
            "technician": order.technician,
            "limit": which,
            "noticed_by": self.k.login,
            "late_seconds": max(0, late),
            "seconds_left": max(0, -late),
        }
        event_kind = EventKind.ORDER_LATE if kind == "late" else EventKind.ORDER_WARNING
        return tx.record(
            tx.s.get(Request, order.request_id), event_kind, payload, dedupe_key=key, actor=SYSTEM
        )

    # --- when the next rung can come -------------------------------------------------------------

    @staticmethod
    def _later(s: Session, now: datetime) -> tuple[datetime | None, datetime | None, datetime | None]:
        """When the first warning comes of the requests and the orders' limits not yet near (the
        others are the scans' own): one statement, each part the first row of a range on the
        index its scan uses."""
        r, o = table(Request).c, table(WorkOrder).c
        counting = o.state.in_(("dispatched", "on_site", "waiting_parts"))
        firsts = (
            select_columns(func.min(r.reply_due_at)).where(
                r.status == "open", r.replied_at.is_(None), r.reply_due_at > now + WARNING_WINDOW
            ),
            select_columns(func.min(o.arrive_due_at)).where(
                counting, o.arrived_at.is_(None), o.arrive_due_at > now + WARNING_BEFORE["arrive"]
            ),
            select_columns(func.min(o.finish_due_at)).where(
                counting, o.finish_due_at > now + WARNING_BEFORE["finish"]
            ),
        )
        reply, arrive, finish = s.execute(select_columns(*(q.scalar_subquery() for q in firsts))).one()
        return (
            reply - WARNING_WINDOW if reply else None,
            arrive - WARNING_BEFORE["arrive"] if arrive else None,
            finish - WARNING_BEFORE["finish"] if finish else None,
        )

    def _newest_event(self) -> int:
        """The newest event's id, read as the desks' change check reads it (lookup.last_event_id:
        on a site, the committed counter, never max(id) under row-level security)."""
        self.k.ready()
        with self.k.said(), self.k.engine.connect() as conn:
            return conn.exec_driver_sql(self.k.last_event_sql).scalar() or 0

    @staticmethod
    def _recorded(s: Session, keys: list[str]) -> set[str]:
        found: set[str] = set()
        for i in range(0, len(keys), 500):
            chunk = keys[i : i + 500]
            stmt = select(col(Event.dedupe_key)).where(col(Event.dedupe_key).in_(chunk))
            found |= {key for key in s.exec(stmt) if key is not None}
        return found

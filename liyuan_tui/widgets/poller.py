"""The desk's look at what other terminals changed (and the deadline ladder, which every desk
records once for all, and the pager's health): the newest event id, and only when it moved, the
events since with their requests as they are now — never the desk's own writes, which it has
shown already (store/watch.py).

`ChangePoller.look_once()` is one look, in a thread: the desk runs it in a loop (`run`, waiting
between looks until a change wakes it: LISTEN on PostgreSQL, the database's files written on
SQLite; a look every few seconds all the same, for what comes with the clock — a rung of the
ladder, the pager's health — and every `interval` where nothing wakes it) and a test runs it when
it wants the changes (`LiyuanApp.poll_now`), so no test waits on a clock."""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping
from typing import TYPE_CHECKING

from liyuan_tui.domain.clock import stopwatch
from liyuan_tui.domain.errors import DeskError
from liyuan_tui.domain.events import STAFF_KINDS
from liyuan_tui.domain.i18n import Translator
from liyuan_tui.domain.models import Event, Request, Staff
from liyuan_tui.domain.notices import notices_for
from liyuan_tui.domain.permissions import SECURITY_ROLES
from liyuan_tui.domain.procedures import Procedures, Step
from liyuan_tui.domain.shift_notices import shift_notices, waiting_notices
from liyuan_tui.domain.views import waiting_steps
from liyuan_tui.store import JournalLost, Store
from liyuan_tui.store.watch import QUIET

from .messages import PagerHealthRead, RequestsChanged
from .pager_banner import PagerLook

if TYPE_CHECKING:
    from liyuan_tui.app import LiyuanApp

CHANGES_AT_ONCE = 500  # more events than this since the last look: read every open request afresh
# A storm of changes (eight writers on a typhoon night) is taken in at most this often: what arrived
# meanwhile waits for the next look, which reads it all at once (issue 24).
LOOK_GAP = 0.25
# ... and less often while taking them in costs the desk more than SHARE of a core (the look, the
# queue sorted and counted again, the table drawn: about the same work for 10 changes as for 40),
# never less often than every LONGEST_GAP: a change is on screen well within a second still.
SHARE, LONGEST_GAP = 0.2, 0.6
HANDOVER_WAIT = 30.0  # the longest the poller waits for the UI to take what it found before looking again


def look_gap(gap: float, share: float) -> float:
    """The least time from one look to the next, after looks `gap` apart took `share` of a core
    (the desk's process, every thread: the look, the UI taking what it found, drawing it, the
    ticks): as far apart as keeps the share at SHARE, within LOOK_GAP and LONGEST_GAP. Changes now
    and then cost little and are looked at every LOOK_GAP; a storm's are spaced out."""
    return min(LONGEST_GAP, max(LOOK_GAP, gap * share / SHARE))


def security_waiting(
    store: Store, requests: Mapping[str, Request], procedures: Procedures
) -> dict[str, list[Step]]:
    """ref → the security steps that can be done now (what the security lead's queue lists)."""
    done = store.lookup.open_step_keys()
    return {
        r.ref: steps
        for r in requests.values()
        if r.is_open
        if (steps := waiting_steps(r, done.get(r.id or 0, ()), procedures, SECURITY_ROLES))
    }


def failure(exc: Exception, t: Translator) -> str:
    """A failure of the poller as one plain line (the store says a database's failure as a
    DeskError naming what failed, store/faults.py: never the driver's text and its link)."""
    if isinstance(exc, DeskError):
        return exc.message(t)
    return " ".join(str(exc).split()) or type(exc).__name__


class ChangePoller:
    """One desk's looks for changes, one at a time (the loop's and a test's share `seen`)."""

    def __init__(self, app: LiyuanApp) -> None:
        self.app = app
        self.store: Store = app.store
        self.me: Staff = app.me
        self.seen: int | None = None  # the newest event the desk has been told of
        self.watch = self.store.change_watch()
        self.pager = PagerLook(self.store, app.clock)  # the pager's health, read every few seconds
        self.lost_said = False  # the journal's loss has been said (once)
        self.first: RequestsChanged | None = None  # the first look, when made before the desk started
        self._lock = threading.Lock()
        self._taken = threading.Event()  # the UI has taken the last changes found (`taken`)
        self._taken.set()
        self._poke = threading.Event()
        self._stopping = threading.Event()

    def run(self, interval: float) -> None:
        """Look, then wait until a change, a poke or the next look; until the desk closes (a
        thread). `interval`: between looks where no change wakes the desk."""
        watch, app = self.store.change_watch(), self.app
        gap, cpu, wall = LOOK_GAP, time.process_time(), stopwatch()
        while not self._stopping.is_set():
            started = stopwatch()
            if self.look_once():
                self.handed_over()
            self._stopping.wait(max(0.0, gap - (stopwatch() - started)))  # (coalescing)
            try:
                watch.wait(self.wait_for(watch.wakes, interval), self._poke, self.seen)
            except Exception as exc:  # the server went away: say so, look again after a while
                app.call_from_thread(app.notify, failure(exc, app.t), severity="error")
                watch.close()
                self._poke.wait(interval)
            self._poke.clear()
            cpu_now, wall_now = time.process_time(), stopwatch()  # (this look and its wait)
            gap = look_gap(gap, (cpu_now - cpu) / max(wall_now - wall, 0.001))
            cpu, wall = cpu_now, wall_now
        watch.close()

    def wait_for(self, woken: bool, interval: float) -> float:
        """Seconds until the next look. Where changes wake the desk (`woken`), QUIET: what comes
        with the clock alone (the pager gone quiet) is seen this late at most, and never later
        than the ladder's next rung (an overdue request's repeat, a work order's limit; a request's
        warning and deadline also wake it: LiyuanApp.tick pokes). Else every `interval`."""
        if not woken:
            return interval
        wait = max(interval, QUIET)
        rung = self.store.ladder.calm_until()
        if rung is not None:
            wait = min(wait, max(0.0, (rung - self.app.clock.now()).total_seconds()))
        return wait

    def taken(self) -> None:
        """The UI has applied the changes the poller found (app.py, on RequestsChanged)."""
        self._taken.set()

    def handed_over(self, timeout: float = HANDOVER_WAIT) -> bool:
        """Wait until the UI has taken what the last look found: never more than one update waits
        in its queue, however fast the changes come (the next look reads them together)."""
        deadline = stopwatch() + timeout
        while not self._taken.wait(0.05):
            if self._stopping.is_set() or stopwatch() >= deadline:
                return False
        return True

    def poke(self) -> None:
        """Look at once (a tick whose clock crossed a rung of the deadline ladder)."""
        self._poke.set()

    def stop(self) -> None:
        self._stopping.set()
        self._poke.set()

    def look_first(self) -> None:
        """The first look, before the desk's event loop runs (`run_app`): the app takes it as it
        mounts, so the queue's first frame lists the requests. What goes wrong is left to the
        poller's thread, which looks again (and says it)."""
        try:
            self.first = self.look(self.app.requests)
        except Exception:
            self.first = None

    def look_once(self) -> bool:
        """One look, in a thread: what it found goes to the app as a message (True), what went
        wrong is said in the desk's words and the desk keeps watching."""
        app = self.app
        try:
            health = self.pager.look()  # the red header while no sender is alive (pager_banner.py)
            if health is not None:
                app.post_message(PagerHealthRead(health))
            found = self.look(app.requests)
        except JournalLost as exc:  # said once, plainly, for as long as the desk stays open
            if not self.lost_said:
                self.lost_said = True
                app.call_from_thread(app.notify, exc.message(app.t), severity="error", timeout=3600)
            return False
        except DeskError as exc:  # a lock held too long …
            app.call_from_thread(app.notify, exc.message(app.t), severity="error")
            return False
        except Exception as exc:  # a vanished file, a server gone: said in one line, keep watching
            app.call_from_thread(app.notify, failure(exc, app.t), severity="error")
            return False
        if found is not None:
            self._taken.clear()
            app.post_message(found)
        return found is not None

    def look(self, requests: Mapping[str, Request]) -> RequestsChanged | None:
        """Record the ladder's rungs that are due, then what changed since the last look (None:
        nothing another terminal did). `requests` is the desk's open requests as it shows them."""
        with self._lock:
            store = self.store
            newest = store.lookup.last_event_id()  # (the ladder's calm goes by it too: one read a look)
            if store.broken is None and store.ladder.record_deadline_alerts(newest):
                newest = store.lookup.last_event_id()  # (a desk whose journal went writes nothing more)
            if newest == self.seen:
                return None
            first = self.seen is None
            changes = None if first else self.watch.others_since(self.seen or 0, newest, CHANGES_AT_ONCE)
            found = None if changes == [] else self._changed(changes, newest, requests, first=first)
            self.seen = newest  # (a look that failed is made again: the first one, whole)
            return found  # None: only the desk's own writes, shown when they were made

    def _changed(
        self,
        changes: list[tuple[Event, Request | None]] | None,
        newest: int,
        known: Mapping[str, Request],
        *,
        first: bool = False,
    ) -> RequestsChanged:
        """The events with their requests as they are now (every open request on the first look,
        or after too many at once), what this user must be told (on the first look, only the
        handovers waiting for them), and what security waits on."""
        store, me = self.store, self.me
        full = changes is None
        events = [e for e, _ in changes or []]
        notices = notices_for(changes or [], me, store.procedures) + shift_notices(events, me)
        if first:  # the desk opens: the handovers still waiting for this user (any, for a supervisor)
            notices += waiting_notices(store.shift.pending(), self.app.tz)
        requests = (
            store.lookup.open_requests(me.estate)  # this desk's queue is its estate's
            if full
            else [r for _, r in changes or [] if r is not None and r.estate == me.estate]
        )
        staff_changed = full or any(e.kind in STAFF_KINDS for e in events)
        security = None
        if me.role in SECURITY_ROLES:
            current = {r.ref: r for r in requests} if full else {**known, **{r.ref: r for r in requests}}
            security = security_waiting(store, current, store.procedures)
        return RequestsChanged(
            requests,
            events,
            newest,
            full,
            staff=store.staff.list_staff() if staff_changed else None,
            notices=notices,
            security=security,
        )

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
from collections.abc import Mapping
from typing import TYPE_CHECKING

from liyuan_tui.domain.errors import DeskError
from liyuan_tui.domain.events import STAFF_KINDS
from liyuan_tui.domain.models import Event, Request, Staff
from liyuan_tui.domain.notices import notices_for
from liyuan_tui.domain.permissions import SECURITY_ROLES
from liyuan_tui.domain.procedures import Procedures, Step
from liyuan_tui.domain.shift_notices import shift_notices, waiting_notices
from liyuan_tui.domain.views import waiting_steps
from liyuan_tui.store import JournalLost, Store

from .messages import PagerHealthRead, RequestsChanged
from .pager_banner import PagerLook

if TYPE_CHECKING:
    from liyuan_tui.app import LiyuanApp

CHANGES_AT_ONCE = 500  # more events than this since the last look: read every open request afresh
# Seconds between looks while changes wake the desk: what comes with the clock alone (an overdue
# request's repeated alert, a work order's limit, the pager gone quiet) is seen this late at most
# (a request's warning and deadline wake it at once: LiyuanApp.tick pokes).
WOKEN_LOOK_EVERY = 5.0


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
        self._poke = threading.Event()
        self._stopping = threading.Event()

    def run(self, interval: float) -> None:
        """Look, then wait until a change, a poke or the next look; until the desk closes (a
        thread). `interval`: between looks where no change wakes the desk."""
        watch, app = self.store.change_watch(), self.app
        while not self._stopping.is_set():
            self.look_once()
            try:
                watch.wait(max(interval, WOKEN_LOOK_EVERY) if watch.wakes else interval, self._poke)
            except Exception as exc:  # the server went away: say so, look again after a while
                app.call_from_thread(app.notify, str(exc), severity="error")
                watch.close()
                self._poke.wait(interval)
            self._poke.clear()
        watch.close()

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
        except Exception as exc:  # a vanished file: say so, keep watching
            app.call_from_thread(app.notify, str(exc), severity="error")
            return False
        if found is not None:
            app.post_message(found)
        return found is not None

    def look(self, requests: Mapping[str, Request]) -> RequestsChanged | None:
        """Record the ladder's rungs that are due, then what changed since the last look (None:
        nothing another terminal did). `requests` is the desk's open requests as it shows them."""
        with self._lock:
            store = self.store
            if store.broken is None:  # a desk whose journal went writes nothing more
                store.ladder.record_deadline_alerts()
            newest = store.lookup.last_event_id()
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

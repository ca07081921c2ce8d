"""Watching for other terminals' changes: on PostgreSQL the server NOTIFYs every new event and the
desk LISTENs (with nothing said, a desk looks every QUIET seconds); on SQLite the desk is woken when
the database's files are written (file_wake.py: inotify, through watchfiles). Either way a change
shows in well under half a second, and a poke (the desk's own tick or a test) ends the wait at
once; the wait's timeout is only the fallback (`wakes`: a desk whose files cannot be watched looks
on that timer). What the desk wrote itself (a recording, written.py) is never read back: it has
shown it already."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from liyuan_tui.domain.clock import stopwatch
from liyuan_tui.domain.models import Event, Request

from .file_wake import FileWake
from .kernel import Kernel
from .lookup import Lookup

if TYPE_CHECKING:
    import psycopg

CHANNEL = "liyuan_events"
SLICE = 0.05  # how often a wait on PostgreSQL also looks at the poke
# PostgreSQL: an idle desk's poller waits this long at least (a NOTIFY, or the tick crossing a rung
# of the ladder, wakes it at once): a few transactions a minute, not a look every second (issue 24).
QUIET = 5.0
# A SQLite write is seen on the files before it can be read (the WAL's frames are written, then the
# commit, then the index in -shm that readers go by, which inotify does not see): after a wake the
# newest event is looked up every SETTLE_STEP until it moves, SETTLE at most (a write that records
# no event, a checkpoint or the pager's heartbeat, ends the wait then).
SETTLE, SETTLE_STEP = 0.5, 0.02


class ChangeWatch:
    def __init__(self, kernel: Kernel) -> None:
        self.k = kernel
        self._conn: psycopg.Connection[tuple[Any, ...]] | None = None  # LISTEN (PostgreSQL), opened waiting
        path = kernel.path if kernel.sqlite else None
        self._files = FileWake(path) if path is not None else None  # (SQLite), watching from the first wait

    @property
    def wakes(self) -> bool:
        """A change ends the wait (LISTEN, or the database's files watched): the timeout is then
        only the fallback, and may be long."""
        if not self.k.sqlite:
            return True
        return self._files is not None and self._files.watching

    def others_since(self, seen: int, newest: int, limit: int) -> list[tuple[Event, Request | None]] | None:
        """The events in (seen, newest] the desk did not write itself, each with its request as it
        is now (one query; none when every one of them is the desk's own). None when there are
        `limit` or more: read every open request afresh."""
        mine = self.k.written.delivered(seen, newest)
        if len(mine) >= newest - seen:
            return []
        changes = Lookup(self.k).changes_since(seen, limit)
        if len(changes) >= limit:
            return None
        return [(e, r) for e, r in changes if e.id is not None and e.id <= newest and e.id not in mine]

    def wait(self, timeout: float, poke: threading.Event, seen: int | None = None) -> None:
        """Until a change, a poke or the timeout. `seen`: the newest event the caller has read; on
        SQLite a newer one ends the wait at once (written between the caller's look and this wait,
        its files' change already gathered), and a wake lasts until one can be read."""
        if self.k.sqlite:
            if self._files is None or not self._files.watching:  # (no file, or it cannot be watched)
                poke.wait(timeout)
                return
            lookup = Lookup(self.k)
            before = lookup.last_event_id()
            if seen is not None and before != seen:
                return
            if self._files.wait(timeout, poke):  # written: until what was written can be read
                settled = stopwatch() + SETTLE
                while lookup.last_event_id() == before and stopwatch() < settled:
                    if poke.wait(SETTLE_STEP):
                        return
            return
        with self.k.said():  # the server gone: said as the desk's refusal
            conn = self._listening()
            deadline = stopwatch() + timeout
            while not poke.is_set():
                left = deadline - stopwatch()
                if left <= 0:
                    return
                if any(True for _ in conn.notifies(timeout=min(left, SLICE), stop_after=1)):
                    for _also in conn.notifies(timeout=0):  # every NOTIFY so far: one look reads them all
                        pass
                    return

    def _listening(self) -> psycopg.Connection[tuple[Any, ...]]:
        if self._conn is None or self._conn.closed:
            import psycopg

            from .engine import APPLICATION
            from .postgres_site import libpq_params

            params = dict(libpq_params(str(self.k.engine.url)), application_name=APPLICATION)
            self._conn = psycopg.connect(
                psycopg.conninfo.make_conninfo(**params), autocommit=True, connect_timeout=10
            )
            self._conn.execute(f"LISTEN {CHANNEL}")
        return self._conn

    def close(self) -> None:
        if self._files is not None:
            self._files.close()
        if self._conn is not None:
            self._conn.close()
            self._conn = None

"""SQLite's writers served in the order they came (issue 23: 8 desks writing at once, p99 ≤ 1 s).

SQLite has no queue for its write lock: a writer that finds it taken sleeps in the busy handler
(1, 2, 5 … 100 ms) and whoever asks when it comes free takes it — most often the writer that just
let it go — so under load a few writes wait seconds. A blocking lock before BEGIN IMMEDIATE is no
better: Linux wakes every waiter and the fastest wins again.

Here the desk's writers on one database queue before BEGIN IMMEDIATE, first come first served,
through byte-range locks on a small file beside the database (`<db>-queue`, made 0660 like the
database): a writer takes the next ticket (a counter in the file, read and written under a lock on
its first byte, held for microseconds), locks its own ticket's byte, and waits until the byte of
the ticket before it is free — its predecessor has committed or rolled back, or its process has
ended (the kernel drops a dead process's locks). Each writer waits for one other only, so the
lock passes from each writer to the next in ticket order; the waiter looks every millisecond or
two, which is noise beside a write (5–20 ms with synchronous=FULL).

The queue decides the order only: SQLite's own lock still guards the data, so a writer that is not
queued (another SQLite client, a second writing thread of a desk already in the queue, a queue
file the user cannot open) or one that waited longer than the busy timeout simply goes on to
BEGIN IMMEDIATE and SQLite's busy handler, exactly as before.
"""

from __future__ import annotations

import fcntl
import os
import threading
import weakref
from pathlib import Path

from liyuan_tui.domain.clock import pause, stopwatch

SUFFIX = "-queue"
COUNTER = 0  # bytes 0-7: the next ticket; a lock on byte 0 guards taking one
SLOTS = 4096  # ticket t's byte is FIRST_SLOT + t % SLOTS (far more than writers ever queue at once)
FIRST_SLOT = 8
LOOK_EVERY = (0.0005, 0.001, 0.002)  # seconds between looks at the predecessor's byte (then the last)


_queues: weakref.WeakValueDictionary[Path, WriteQueue] = weakref.WeakValueDictionary()
_queues_lock = threading.Lock()


def queue_for(database: Path) -> WriteQueue:
    """This process's queue for the database, shared by every engine on it (the byte-range locks
    are the process's: two queues of one process on one file would unlock each other's). Its file
    is closed once no engine holds the queue any more."""
    key = Path(os.path.abspath(database))
    with _queues_lock:
        queue = _queues.get(key)
        if queue is None:
            queue = _queues[key] = WriteQueue(key)
        return queue


class WriteQueue:
    """The queue of one database's writers, for one process: `enter()` before BEGIN IMMEDIATE,
    `leave(place)` once the transaction has ended. The file stays open as long as the queue."""

    def __init__(self, database: Path) -> None:
        self.path = Path(f"{database}{SUFFIX}")
        self._fd: int | None = None
        self._busy = threading.Lock()  # one queued writer a process (the others go to SQLite's handler)
        self._opened = threading.Lock()

    def enter(self, timeout: float) -> int | None:
        """Wait for this writer's turn (at most `timeout` seconds); its place in the queue, to hand
        to `leave`, or None when it did not queue (it goes on without: see the module's docstring)."""
        fd = self._file()
        if fd is None or not self._busy.acquire(blocking=False):
            return None
        try:
            ticket = self._ticket(fd)
        except OSError:
            self._busy.release()
            return None
        self._after(fd, ticket - 1, stopwatch() + timeout)
        return ticket

    def leave(self, ticket: int) -> None:
        """The writer's transaction has ended: the next in the queue goes."""
        try:
            if self._fd is not None:
                fcntl.lockf(self._fd, fcntl.LOCK_UN, 1, slot(ticket))
        finally:
            self._busy.release()

    def taken(self) -> int:
        """How many tickets were ever taken on this database (read through the queue's own file:
        closing any other descriptor of the file would drop this process's locks on it, POSIX's
        rule, so nothing else here opens it)."""
        fd = self._file()
        raw = os.pread(fd, 8, COUNTER) if fd is not None else b""
        return int.from_bytes(raw, "little") if len(raw) == 8 else 0

    def _file(self) -> int | None:
        with self._opened:
            if self._fd is None:
                try:
                    self._fd = _open(self.path)
                except OSError:
                    return None  # (a folder or file this login cannot write: no queue, SQLite's handler)
                weakref.finalize(self, os.close, self._fd)
            return self._fd

    def _ticket(self, fd: int) -> int:
        """The next ticket, its byte locked before anyone can take the one after it."""
        fcntl.lockf(fd, fcntl.LOCK_EX, 1, COUNTER)
        try:
            raw = os.pread(fd, 8, COUNTER)
            ticket = int.from_bytes(raw, "little") if len(raw) == 8 else 0
            os.pwrite(fd, (ticket + 1).to_bytes(8, "little"), COUNTER)
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 1, slot(ticket))
        finally:
            fcntl.lockf(fd, fcntl.LOCK_UN, 1, COUNTER)
        return ticket

    def _after(self, fd: int, before: int, deadline: float) -> None:
        """Until the writer with ticket `before` has left the queue (or the deadline)."""
        if before < 0:
            return
        looks = 0
        while True:
            try:
                fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 1, slot(before))
            except OSError:
                if stopwatch() >= deadline:
                    return  # (SQLite's busy handler decides from here)
                pause(LOOK_EVERY[min(looks, len(LOOK_EVERY) - 1)])
                looks += 1
                continue
            fcntl.lockf(fd, fcntl.LOCK_UN, 1, slot(before))
            return


def slot(ticket: int) -> int:
    return FIRST_SLOT + ticket % SLOTS


def _open(path: Path) -> int:
    """The queue file, made beside the database with the database's own mode (0660: every member
    of a shared folder's group queues in the same file)."""
    try:
        return os.open(path, os.O_RDWR | os.O_CLOEXEC)
    except FileNotFoundError:
        pass
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o660)
    except FileExistsError:
        return os.open(path, os.O_RDWR | os.O_CLOEXEC)
    os.fchmod(fd, 0o660)
    return fd

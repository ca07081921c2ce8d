"""Waking when another terminal writes a SQLite database: every commit writes the database's WAL
(its checkpoints the file itself), and the kernel's inotify sees each write whoever makes it. The
watching is watchfiles' (the Rust `notify` crate behind a small Python API): its watcher thread
gathers the folder's changes, and a wait returns within a step (50 ms) of one to the database's
files. A folder that cannot be watched (inotify's limits reached, a file system without it) is
looked at on a timer instead, as before: the caller's timeout is then every wait's length.
"""

from __future__ import annotations

import threading
from pathlib import Path

from watchfiles._rust_notify import RustNotify

from liyuan_tui.domain.clock import stopwatch

STEP_MS = 50  # how soon after a write the wait ends (and how often the watcher looks at what it has)
SUFFIXES = ("", "-wal", "-journal")  # the database and its journals (never -shm: mapped, not written)


class FileWake:
    """A wait that ends when the database's files are written, on a poke, or after its timeout."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.names = {f"{path.name}{suffix}" for suffix in SUFFIXES}
        self._notify: RustNotify | None = None
        self.broken: str | None = None  # why the files cannot be watched (then: timed waits only)

    @property
    def watching(self) -> bool:
        return self._watcher() is not None

    def wait(self, timeout: float, poke: threading.Event) -> bool:
        """True when woken by a write to the database's files; False after the timeout or a poke."""
        notify = self._watcher()
        if notify is None:
            poke.wait(timeout)
            return False
        end = stopwatch() + timeout
        while (left := end - stopwatch()) > 0:
            try:
                changes = notify.watch(STEP_MS, STEP_MS, max(1, int(left * 1000)), poke)
            except Exception as exc:  # the watcher failed while running: timed waits from now on
                self._give_up(exc)
                poke.wait(timeout)
                return False
            if not isinstance(changes, set):  # "timeout", "stop" (the poke), "signal"
                return False
            if any(Path(path).name in self.names for _change, path in changes):
                return True
            # (only other files of the folder changed: wait for what is left of the timeout)
        return False

    def _watcher(self) -> RustNotify | None:
        if self._notify is None and self.broken is None:
            try:  # the folder, not the file: the WAL comes and goes with the last connection
                self._notify = RustNotify([str(self.path.parent)], False, False, 0, False, True)
            except Exception as exc:  # no inotify here, or its limits reached
                self._give_up(exc)
        return self._notify

    def _give_up(self, exc: Exception) -> None:
        self.broken = " ".join(str(exc).split()) or type(exc).__name__
        self.close()

    def close(self) -> None:
        if self._notify is not None:
            self._notify.close()
            self._notify = None

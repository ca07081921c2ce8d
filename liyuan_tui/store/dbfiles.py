"""The SQLite file and the two files beside it (`-wal`, the journal, and `-shm`, its index): noticing
that one was removed or replaced under an open desk, and finding who holds the database.

While any connection is open SQLite keeps writing to the journal it opened. If someone removes or
replaces `desk.db-wal` meanwhile, every later commit goes into a file nobody else can see and is
lost when the desk quits, while `PRAGMA integrity_check` still says ok. The kernel therefore notes
the three files' identities (device and inode) when it opens the database, keeps one connection
open for as long as it lives (so SQLite itself never removes the journal under it), and compares
them before and after every write. A desk that finds them changed stops writing and leaves a note
beside the database that `liyuan check` reports.
"""

from __future__ import annotations

import os
import socket
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from liyuan_tui.domain.errors import DeskError

BUSY_TIMEOUT_MS = 15_000  # how long a writer waits for another's lock before it is refused
SIDE_FILES = ("-wal", "-shm")
LOST_NOTE = "-journal-lost"  # beside the database: a desk found its journal removed or replaced
WAL_WRITE_LOCK = 120  # the byte of the -shm file a WAL writer locks (SQLite's WAL_WRITE_LOCK)


def side(path: Path, suffix: str) -> Path:
    return Path(f"{path}{suffix}")


def identity(path: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino


@dataclass
class FileWatch:
    """The identities of the database and its journal files as this process opened them."""

    path: Path
    seen: dict[str, tuple[int, int] | None]

    @classmethod
    def of(cls, path: Path) -> FileWatch:
        return cls(path, {suffix: identity(side(path, suffix)) for suffix in ("", *SIDE_FILES)})

    def changed(self) -> str | None:
        """The file that is no longer the one opened ("desk.db-wal removed" …), or None."""
        for suffix, was in self.seen.items():
            now = identity(side(self.path, suffix))
            if was is None:
                continue  # not there when opened (SQLite made it later, or never): nothing to compare
            if now is None:
                return f"{side(self.path, suffix).name} removed"
            if now != was:
                return f"{side(self.path, suffix).name} replaced"
        return None


class NoDatabase(DeskError):
    """The database named is not there (or is empty): nothing was created."""


class JournalLost(DeskError):
    """The database's journal (or the file itself) was removed or replaced under this desk."""


class DatabaseBusy(DeskError):
    """Another program held the database's write lock past the timeout: nothing was written."""


def busy_refusal(path: Path | None, url: str, timeout_ms: int | None = None) -> DatabaseBusy:
    """What to say when the write lock was held past the timeout: who may be holding it."""
    holders = write_lock_holders(path) if path is not None else []
    return DatabaseBusy(
        "error.busy",
        "db",
        path=str(path or url),
        seconds=round((timeout_ms or BUSY_TIMEOUT_MS) / 1000),
        holders=", ".join(holders) or "?",
    )


class JournalGuard:
    """One connection kept open for the kernel's life (so SQLite never removes the journal under
    it), the files' identities as opened, and once they change, the refusal every write gets."""

    def __init__(self, path: Path, timeout_ms: int) -> None:
        self.path, self.timeout_ms = path, timeout_ms
        self.broken: JournalLost | None = None
        self._watch: FileWatch | None = None
        self._keeper: sqlite3.Connection | None = None

    def open(self) -> None:
        if self._watch is not None:
            return
        keeper = sqlite3.connect(self.path, timeout=self.timeout_ms / 1000, check_same_thread=False)
        try:
            keeper.execute("SELECT count(*) FROM sqlite_master").fetchone()  # opens the journal (WAL)
        except BaseException:  # (said as the desk's refusal by the kernel's opening, faults.py)
            keeper.close()
            raise
        self._keeper = keeper
        self._watch = FileWatch.of(self.path)

    def check(self, login: str, now: datetime, after_commit: bool = False) -> None:
        """Refuse to write (or to call a write saved) once the journal was removed or replaced."""
        if self.broken is None and self._watch is not None:
            what = self._watch.changed()
            if what is not None:
                self.broken = JournalLost(
                    "error.journal_lost_after" if after_commit else "error.journal_lost",
                    what=what,
                    path=str(self.path),
                )
                leave_note(self.path, what, login, now)
                raise self.broken
        if self.broken is not None:
            raise JournalLost("error.journal_lost", what=self.broken.params["what"], path=str(self.path))

    def close(self) -> None:
        if self._keeper is not None:
            self._keeper.close()
            self._keeper = None


def leave_note(path: Path, what: str, login: str, at: datetime) -> None:
    """Say beside the database that a desk found its journal gone (read by `liyuan check`)."""
    note = side(path, LOST_NOTE)
    try:
        fd = os.open(note, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o660)
        with os.fdopen(fd, "a", encoding="utf-8") as out:
            out.write(
                f"{at.isoformat(timespec='seconds')}  {what}  (noticed by {login}, pid {os.getpid()} "
                f"on {socket.gethostname()})\n"
            )
    except OSError:
        pass  # a read-only folder: the desk still refuses to write, and says so


def lost_notes(path: Path) -> list[str]:
    note = side(path, LOST_NOTE)
    try:
        return [
            line for line in note.read_text(encoding="utf-8", errors="replace").splitlines() if line.strip()
        ]
    except OSError:
        return []


# --- other processes, from /proc (Linux; elsewhere these find nothing) ----------------------------


def _who(pid: int) -> str:
    """`pid 1234 python3 (night1)`."""
    try:
        comm = Path(f"/proc/{pid}/comm").read_text().strip()
        uid = os.stat(f"/proc/{pid}").st_uid
    except OSError:
        return f"pid {pid}"
    try:
        import pwd

        user = pwd.getpwuid(uid).pw_name
    except KeyError:
        user = str(uid)
    return f"pid {pid} {comm} ({user})"


def _open_files() -> list[tuple[int, str]]:
    """(pid, target) of every file descriptor this user may look at."""
    found: list[tuple[int, str]] = []
    try:
        pids = [int(p) for p in os.listdir("/proc") if p.isdigit()]
    except OSError:
        return found
    for pid in pids:
        try:
            fds = os.listdir(f"/proc/{pid}/fd")
        except OSError:
            continue
        for fd in fds:
            try:
                found.append((pid, os.readlink(f"/proc/{pid}/fd/{fd}")))
            except OSError:
                continue
    return found


def write_lock_holders(path: Path) -> list[str]:
    """Who holds the database's write lock (from /proc/locks), else who has it open at all."""
    shm = identity(side(path, "-shm"))
    holders: list[int] = []
    if shm is not None:
        dev, ino = shm
        want = f"{os.major(dev):02x}:{os.minor(dev):02x}:{ino}"
        try:
            lines = Path("/proc/locks").read_text().splitlines()
        except OSError:
            lines = []
        for line in lines:
            parts = line.split()
            # "1: POSIX  ADVISORY  WRITE 1234 08:01:123456 120 120"
            if (
                len(parts) >= 8
                and parts[5] == want
                and parts[6] == str(WAL_WRITE_LOCK)
                and parts[3] == "WRITE"
            ):
                holders.append(int(parts[4]))
    if not holders:
        target = str(path)
        holders = sorted({pid for pid, name in _open_files() if name == target and pid != os.getpid()})
    return [_who(pid) for pid in dict.fromkeys(holders)]


def removed_but_open(path: Path) -> list[str]:
    """Processes still writing to a removed copy of the database or its journal (their changes
    are lost when they close it)."""
    names = {f"{side(path, suffix)} (deleted)" for suffix in ("", *SIDE_FILES)}
    return sorted({f"{_who(pid)}: {name}" for pid, name in _open_files() if name in names})


def free_bytes(folder: Path) -> int | None:
    """Bytes free for this user on the disk holding `folder`."""
    try:
        st = os.statvfs(folder)
    except OSError:
        return None
    return st.f_bavail * st.f_frsize

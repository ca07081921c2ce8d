"""The database engine: SQLite tuned for several terminals on one file (WAL, synchronous=FULL,
busy_timeout, foreign keys, BEGIN IMMEDIATE for writes), or PostgreSQL through psycopg 3, where a
desk action's transaction holds no lock of the whole database: row locks on what it writes, and two
short locks held only from the statement that needs them to the commit (transaction.py: a month's
series while a ref is numbered, the events' order from its first event), and a desk holds at most
two connections, each named: one pooled connection that its thread workers and its poller take
in turn, and the LISTEN one (watch.py)."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.pool import ConnectionPoolEntry

from liyuan_tui.domain.clock import stopwatch

from . import faults
from .dbfiles import BUSY_TIMEOUT_MS
from .urls import normalize_url, sqlite_path
from .write_queue import queue_for

WRITE = "liyuan_write"  # execution option: this connection's transaction will write
DESK_ACTION = "liyuan_desk_action"  # PostgreSQL: … a desk action's (kernel.py), which takes no write lock
APPLICATION = "liyuan"  # every connection's application_name, the LISTEN one's too (watch.py)
# PostgreSQL: the advisory lock the writers that are not desk actions take at their start (the
# schema made, a migration, `site repair`, the pager's lease): rare, short, one at a time. A desk
# action never takes it (kernel.py); readers never do.
WRITE_LOCK_KEY = 0x4C69_7975  # "Liyu"
# PostgreSQL: the events' order (transaction.py, `Tx.record`): held from a transaction's first event
# to its commit, so event ids are committed in their order and a desk that read the newest id N has
# every event up to N to read (where the server numbers the events, its counter's row lock does it).
EVENT_ORDER_KEY = 0x4C69_7976
# PostgreSQL: a month's series of refs (`Tx.next_seq`), with the series' hash as the second key.
SERIES_KEY = 0x4C69_7977
QUEUED = "liyuan_queued"  # a SQLite connection's place in its database's write queue (write_queue.py)
QUEUE_NOTICED_MS = 100  # a wait in the queue longer than this shortens SQLite's busy timeout after it


def prepare_file(path: Path) -> bool:
    """Create the database file (and a private folder for it) if missing, never world-readable.

    Returns True when the file was created. The mode is 0660 so a group-owned shared folder
    (mode 2770) works for every member; SQLite gives the -wal and -shm files the same mode.
    """
    if path.exists():
        return False
    folder = path.parent
    if not folder.exists():
        folder.mkdir(parents=True, mode=0o700)
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o660)
    os.close(fd)
    os.chmod(path, 0o660)
    return True


def world_readable(path: Path) -> bool:
    return bool(path.stat().st_mode & (stat.S_IROTH | stat.S_IWOTH))


def make_engine(url: str, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> Engine:
    """The engine for `url`; an unknown kind of URL or a missing driver is a one-line refusal."""
    url = normalize_url(url)
    with faults.url_refused(url):
        if url.startswith("postgresql+"):
            return _postgres_engine(url)
        if not url.startswith("sqlite"):
            return create_engine(url, pool_pre_ping=True)
        engine = create_engine(
            url,
            # The pool hands a connection to one thread at a time (UI thread workers, the poller).
            connect_args={"timeout": busy_timeout_ms / 1000, "check_same_thread": False},
        )

    path = sqlite_path(url)
    queue = queue_for(path) if path is not None else None

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: object) -> None:
        # Let SQLAlchemy's "begin" event below issue BEGIN itself (pysqlite's own is deferred).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        cur.execute("PRAGMA journal_mode = WAL")
        cur.execute("PRAGMA synchronous = FULL")
        cur.execute("PRAGMA foreign_keys = ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # A deferred transaction that later needs the write lock fails with "database is locked"
        # whatever the timeout; taking the lock up front makes writers queue instead.
        if conn.get_execution_options().get(WRITE):
            # Writers take the lock in the order they came, not whoever asks when it comes free;
            # the time in the queue counts against the busy timeout (one wait of 15 s in all).
            waited = 0
            if queue is not None and QUEUED not in conn.info:
                started = stopwatch()
                place = queue.enter(busy_timeout_ms / 1000)
                if place is not None:
                    conn.info[QUEUED] = place
                waited = int((stopwatch() - started) * 1000)
            if waited > QUEUE_NOTICED_MS:
                full = f"PRAGMA busy_timeout = {int(busy_timeout_ms)}"
                conn.exec_driver_sql(f"PRAGMA busy_timeout = {max(1, int(busy_timeout_ms) - waited)}")
                try:
                    conn.exec_driver_sql("BEGIN IMMEDIATE")
                except BaseException:
                    with contextlib.suppress(Exception):  # (the refusal is BEGIN's, said as such)
                        conn.exec_driver_sql(full)
                    raise
                conn.exec_driver_sql(full)
            else:
                conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql("BEGIN")

    if queue is not None:

        @event.listens_for(engine.pool, "checkin")
        def _on_checkin(_dbapi_conn: object, entry: ConnectionPoolEntry) -> None:
            # Back in the pool, its transaction committed or rolled back: the next writer goes.
            place = entry.info.pop(QUEUED, None)
            if place is not None:
                queue.leave(place)

        @event.listens_for(engine.pool, "invalidate")
        def _on_invalidate(_dbapi_conn: object, entry: ConnectionPoolEntry, _exc: object) -> None:
            place = entry.info.pop(QUEUED, None)
            if place is not None:
                queue.leave(place)

    return engine


def _postgres_engine(url: str) -> Engine:
    engine = create_engine(
        url,
        pool_pre_ping=True,
        # One connection, taken in turn by the desk's thread workers and its poller (each holds it
        # for one session: no code asks for a second while holding it), beside the LISTEN one
        # (watch.py): 2 per desk on the server whatever it has opened (issue 24: 200 desks on one
        # server). A thread waits for it as a writer waits for the write lock, then is refused.
        pool_size=1,
        max_overflow=0,
        pool_timeout=BUSY_TIMEOUT_MS / 1000,
        connect_args={
            "connect_timeout": 10,
            "application_name": APPLICATION,
            # (per connection, not a SET LOCAL round trip per transaction)
            "options": f"-c lock_timeout={BUSY_TIMEOUT_MS}",
        },
    )

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        options = conn.get_execution_options()
        if options.get(WRITE) and not options.get(DESK_ACTION):
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITE_LOCK_KEY})")

    return engine

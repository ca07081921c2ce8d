"""SQLite's writers queue first come first served (store/write_queue.py): processes that queued
behind a writer get their turn in the order they queued, a writer whose process dies lets the next
one go, and a writer that waited longer than its timeout goes on to SQLite's own lock."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from liyuan_tui.store.write_queue import WriteQueue, queue_for

WAIT = 120.0  # (a writer's process starts slowly on a loaded machine: it waits in the queue meanwhile)

# A writer: queue, say so on stdout, hold the turn a moment, leave.
WRITER = """
import sys, time
from pathlib import Path
from liyuan_tui.store.write_queue import WriteQueue

queue = WriteQueue(Path(sys.argv[1]))
place = queue.enter(timeout=float(sys.argv[3]))
print(sys.argv[2], place, time.monotonic(), flush=True)
time.sleep(float(sys.argv[4]))
queue.leave(place)
"""


def tickets_taken(db: Path) -> int:
    return queue_for(db).taken()  # (never another open and close of the file: POSIX drops our locks)


def writer(db: Path, name: str, timeout: float = WAIT, hold: float = 0.05) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, str(db), name, str(timeout), str(hold)],
        stdout=subprocess.PIPE,
        text=True,
    )


def queued_behind(db: Path, names: list[str], timeout: float = WAIT) -> list[subprocess.Popen[str]]:
    """Start the writers one after another, each once the one before it has taken its ticket."""
    procs = []
    for name in names:
        before = tickets_taken(db)
        procs.append(writer(db, name, timeout))
        deadline = time.monotonic() + WAIT
        while tickets_taken(db) == before:
            assert time.monotonic() < deadline, f"{name} did not queue"
            time.sleep(0.005)
    return procs


def turns(procs: list[subprocess.Popen[str]]) -> list[tuple[str, float]]:
    said = []
    for p in procs:
        out, _ = p.communicate(timeout=WAIT)
        assert p.returncode == 0
        name, _place, at = out.split()
        said.append((name, float(at)))
    return [(name, at) for name, at in sorted(said, key=lambda item: item[1])]


def test_writers_get_their_turn_in_the_order_they_queued(tmp_path):
    db = tmp_path / "desk.db"
    first = queue_for(db)
    place = first.enter(timeout=WAIT)
    assert place == 0
    procs = queued_behind(db, ["b", "c", "d", "e", "f"])
    time.sleep(0.2)  # (none of them may go while the first writer holds its turn)
    released = time.monotonic()
    first.leave(place)
    order = turns(procs)
    assert [name for name, _ in order] == ["b", "c", "d", "e", "f"]
    assert order[0][1] >= released


def test_a_writer_whose_process_died_lets_the_next_one_go(tmp_path):
    db = tmp_path / "desk.db"
    stuck = writer(db, "stuck", hold=60)
    assert stuck.stdout is not None
    stuck.stdout.readline()  # (it holds its turn)
    procs = queued_behind(db, ["next"])
    stuck.kill()
    stuck.wait(WAIT)
    assert [name for name, _ in turns(procs)] == ["next"]


def test_a_writer_waits_no_longer_than_its_timeout(tmp_path):
    db = tmp_path / "desk.db"
    first = queue_for(db)
    place = first.enter(timeout=WAIT)
    procs = queued_behind(db, ["impatient"], timeout=0.3)
    queued = time.monotonic()
    ((name, went),) = turns(procs)
    assert name == "impatient"  # it went on (to SQLite's own lock) though the first is still writing
    assert went - queued < 10
    first.leave(place)


def test_the_queue_file_is_the_databases_group_s_to_write(tmp_path):
    db = tmp_path / "desk.db"
    queue = WriteQueue(db)
    place = queue.enter(timeout=1)
    assert place is not None
    queue.leave(place)
    assert Path(f"{db}-queue").stat().st_mode & 0o777 == 0o660


def test_a_second_writer_of_the_same_process_does_not_queue_behind_itself(tmp_path):
    queue = WriteQueue(tmp_path / "desk.db")
    place = queue.enter(timeout=WAIT)
    assert place is not None
    assert queue.enter(timeout=WAIT) is None  # (it goes straight to SQLite's lock, which decides)
    queue.leave(place)


HOLDER = """
import sys, time
from sqlalchemy import text
from liyuan_tui.store.engine import WRITE, make_engine

engine = make_engine(f"sqlite:///{sys.argv[1]}")
with engine.connect().execution_options(**{WRITE: True}) as conn:
    conn.execute(text("INSERT INTO t VALUES (1)"))
    print("holding", flush=True)
    time.sleep(30)
"""


def test_the_time_in_the_queue_counts_against_the_busy_timeout(tmp_path):
    """A writer behind one that holds the lock (queued, then in SQLite's lock) is refused once
    the busy timeout has passed in all, not after the queue's wait and then SQLite's again."""
    import sqlalchemy
    from sqlalchemy import text

    from liyuan_tui.store.engine import WRITE, make_engine

    db = tmp_path / "desk.db"
    with make_engine(f"sqlite:///{db}").begin() as conn:
        conn.execute(text("CREATE TABLE t (x)"))
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(db)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
        engine = make_engine(f"sqlite:///{db}", busy_timeout_ms=2000)
        t0 = time.monotonic()
        try:
            with engine.connect().execution_options(**{WRITE: True}) as conn:
                conn.execute(text("INSERT INTO t VALUES (2)"))
        except sqlalchemy.exc.OperationalError as exc:
            assert "locked" in str(exc)
        else:
            raise AssertionError("written while another writer held the lock")
        waited = time.monotonic() - t0
        assert 1.9 < waited < 3.2  # (the queue's 2 s, then SQLite's remaining milliseconds; never 4 s)
        engine.dispose()
    finally:
        holder.kill()
        holder.wait(WAIT)

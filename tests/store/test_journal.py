"""A journal (`desk.db-wal`) removed or replaced under an open desk: SQLite would go on committing
into a file nobody else sees, lost when the desk quits, while integrity_check still says ok. The
kernel notices before its next write, refuses it and every later one in plain words, leaves a note
beside the database, and `liyuan check` reports it. A database held busy past the timeout is one
clear refusal naming who may hold it."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from cli_runner import run_liyuan

from liyuan_tui.domain.i18n import Translator
from liyuan_tui.store import DatabaseBusy, JournalLost, Store

EN = Translator("en")


def units_on_disk(db_path: Path) -> list[str]:
    """What another process finds in the file (this one's SQLite still holds the removed journal)."""
    code = (
        "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
        "print('\\n'.join(u for (u,) in c.execute('SELECT unit FROM request')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(db_path)], capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0, out.stderr
    return out.stdout.split()


def log(store: Store, unit: str = "3-1201"):
    return store.intake.create_request(category="B", unit=unit, phone="123", complete=True)


def test_a_removed_journal_stops_the_next_write_and_says_so(staff, db_path, cli_env):
    desk = staff["assistant"]
    log(desk)
    wal = Path(f"{db_path}-wal")
    assert wal.exists()
    wal.unlink()
    with pytest.raises(JournalLost) as lost:
        log(desk, "5-0803")
    said = lost.value.message(EN)
    assert "desk.db-wal removed" in said and "NOT saved" in said and "liyuan check" in said
    for _ in range(2):  # and every later write, even by another area of the same desk
        with pytest.raises(JournalLost):
            desk.lifecycle.mark_replied(desk.lookup.open_requests()[0].ref)
    note = Path(f"{db_path}-journal-lost")
    assert "desk.db-wal removed" in note.read_text() and "ann" in note.read_text()
    check = run_liyuan(dict(cli_env, LIYUAN_USER="sup"), "check")
    assert check.returncode == 1
    assert "found the journal removed or replaced" in check.stdout
    assert "still writing to a removed database file" in check.stdout  # this test process is such a desk
    for store in staff.values():  # the desks quit: what is on disk now is all there is
        store.close()
    assert "5-0803" not in units_on_disk(db_path)  # refused, and indeed not there


def test_a_replaced_journal_or_database_file_is_noticed_too(staff, db_path, tmp_path):
    desk = staff["assistant"]
    log(desk)
    other = tmp_path / "other-wal"
    shutil.copy(f"{db_path}-wal", other)
    os.replace(other, f"{db_path}-wal")
    with pytest.raises(JournalLost) as lost:
        log(desk)
    assert "desk.db-wal replaced" in lost.value.message(EN)

    sup = staff["cs_supervisor"]  # the same process: every store on the file stops
    with pytest.raises(JournalLost):
        sup.staff.add_staff("x1", "X", "guard")


def test_a_database_moved_away_and_back_as_a_copy_is_noticed(staff, db_path, tmp_path):
    desk = staff["assistant"]
    log(desk)
    copy = tmp_path / "copy.db"
    shutil.copy(db_path, copy)
    os.replace(copy, db_path)
    with pytest.raises(JournalLost) as lost:
        log(desk)
    assert "desk.db replaced" in lost.value.message(EN)


def test_a_healthy_desk_keeps_writing_whoever_opens_and_closes_the_file(staff, db_path, store_for):
    """No false alarm: other connections opening, writing, checkpointing and closing leave the
    journal the same file while this desk is open."""
    desk = staff["assistant"]
    for _ in range(3):
        other = store_for("sup")
        log(other)
        other.close()
        with sqlite3.connect(db_path) as conn:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        log(desk)
    assert len(units_on_disk(db_path)) == 6 and desk.kernel.broken is None


HOLDER = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
time.sleep(60)
"""


@pytest.fixture
def held(staff, db_path):
    """Another program holding the write lock (a long write, a sqlite3 shell left in a transaction)."""
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(db_path)], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "locked"
    yield holder
    holder.kill()
    holder.wait()


def test_a_database_held_busy_past_the_timeout_is_one_clear_refusal(
    staff, db_url, clock, procedures, held, db_path
):
    quick = Store(db_url, clock, "ann", procedures=procedures, busy_timeout_ms=300)
    try:
        with pytest.raises(DatabaseBusy) as busy:
            log(quick)
    finally:
        quick.close()
    said = busy.value.message(EN)
    assert f"pid {held.pid}" in said and "nothing was written" in said and "try again" in said
    assert units_on_disk(db_path) == []


def test_the_command_line_says_busy_in_one_line(staff, cli_env, held, monkeypatch):
    monkeypatch.setattr("liyuan_tui.store.kernel.BUSY_TIMEOUT_MS", 300)
    done = run_liyuan(
        dict(cli_env, LIYUAN_USER="ann"), "log", "--category", "B", "--unit", "1", "--phone", "123"
    )
    assert done.returncode == 2 and done.stdout == ""
    [line] = done.stderr.strip().splitlines()
    assert "busy" in line and "nothing was written" in line and f"pid {held.pid}" in line

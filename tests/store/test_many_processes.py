"""Several terminals on one SQLite file: real processes writing at once, and a writer killed
with SIGKILL in the middle of its work."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e  # real processes on one database file

WRITER = Path(__file__).with_name("writer.py")


def spawn(db_url: str, login: str, count: int) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(WRITER.parents[2]))
    return subprocess.Popen(
        [sys.executable, str(WRITER), db_url, login, str(count)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_two_processes_write_500_requests_each_into_one_file(supervisor, db_url, db_path):
    supervisor.staff.add_staff("w1", "Writer 1", "assistant")
    supervisor.staff.add_staff("w2", "Writer 2", "assistant")
    procs = [spawn(db_url, login, 500) for login in ("w1", "w2")]
    outputs = [p.communicate(timeout=300) for p in procs]
    for p, (_out, err) in zip(procs, outputs, strict=True):
        assert p.returncode == 0, err
        assert "locked" not in err
    printed = [line for out, _ in outputs for line in out.split()]
    with sqlite3.connect(db_path) as conn:
        refs = [r for (r,) in conn.execute("SELECT ref FROM request")]
        events = conn.execute("SELECT count(*) FROM event WHERE kind = 'created'").fetchone()[0]
        units = {u for (u,) in conn.execute("SELECT unit FROM request")}
    assert len(refs) == 1000 == len(set(refs)) == events
    assert sorted(printed) == sorted(refs)
    assert units == {f"w{n}-{i}" for n in (1, 2) for i in range(500)}


def test_a_writer_killed_mid_stream_loses_nothing_it_reported(supervisor, db_url, db_path):
    supervisor.staff.add_staff("w1", "Writer 1", "assistant")
    proc = spawn(db_url, "w1", 100_000)
    printed = []
    assert proc.stdout is not None
    for line in proc.stdout:
        printed.append(line.strip())
        if len(printed) == 300:
            proc.send_signal(signal.SIGKILL)
            break
    proc.wait(timeout=30)
    printed += [line.strip() for line in proc.stdout.read().split()]  # what it said before dying
    assert proc.returncode == -signal.SIGKILL
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        stored = {r for (r,) in conn.execute("SELECT ref FROM request")}
        orphans = conn.execute(
            "SELECT count(*) FROM request r WHERE NOT EXISTS "
            "(SELECT 1 FROM event e WHERE e.request_id = r.id AND e.kind = 'created')"
        ).fetchone()[0]
    assert set(printed) <= stored
    assert len(stored) >= 300 and orphans == 0  # each request came with its event, or not at all

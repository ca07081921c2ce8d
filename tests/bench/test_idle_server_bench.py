"""An idle desk on PostgreSQL is nearly silent (issue 24, item 2): one real desk in a pseudo-terminal,
open on a database with many open requests, nobody writing; the figure is the transactions a minute
the server counts for that database (pg_stat_database: xact_commit + xact_rollback), less what the
same database counts over a window as long with no desk open (measured first, in the same run).

    LIYUAN_TEST_PG=<socket folder> uv run pytest tests/bench/test_idle_server_bench.py -n 0 -s
    LIYUAN_BENCH_SIZE=full …   (1,500 open requests, a 60 s window: the issue's figure)

The issue's budget is 120 a minute: the ratio is to it (small: 1.5x, a loaded machine's slack on a
10 s window, two of the idle desk's looks; full: 1x). The server flushes a backend's counts when it
goes idle, at most once a second and at the latest 10 s after (PostgreSQL 15), so a window's edges
are a look or two off; the full window is long enough for that to be small, and the desk is given
12 s after its queue is live before the window opens, so its start-up's counts land before it
(given 6 s, a 10 s window counted 160 a minute, twice, where it counts about 50). Small size
(about 30 s, the suite's): the filling's counts given 1 s to land (a backend flushes them as it
exits) and the window with no desk 4 s, instead of 11 s and 60 s.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent.parent))  # pg.py
import pg
from bench_desk_db import fill
from bench_sizing import load, sized
from live_desk import wait_live
from pty_app import PtyApp

BUDGET = 120.0  # transactions a minute (the issue's)
SHOWN = 90.0  # seconds at most for the queue to show


def transactions(database: str) -> int:
    """What the server has counted for `database` so far (the admin's own connection is elsewhere)."""
    with pg.admin_connection() as conn:
        row = conn.execute(
            "SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = %s", (database,)
        ).fetchone()
    return int(row[0]) if row else 0


def per_minute(database: str, seconds: float) -> float:
    before = transactions(database)
    t0 = time.perf_counter()
    time.sleep(seconds)
    return (transactions(database) - before) * 60 / (time.perf_counter() - t0)


def settled(database: str) -> None:
    """The new rows vacuumed and analysed now, so the server's autovacuum (a minute after a fill,
    counted in the same pg_stat_database) has nothing left to do in either window: at the small
    size's 10 s windows it once made the window with no desk read 270 a minute, and once the desk's
    174."""
    import psycopg

    with psycopg.connect(dbname=database, user=pg.ADMIN, host=pg.SOCKET, autocommit=True) as conn:
        conn.execute("VACUUM (ANALYZE)")


@pytest.fixture
def database():
    with pg.scratch_database() as name:
        yield name


def test_an_idle_desk_on_postgresql_makes_few_transactions(database, bench_env, figure):
    open_count, seconds = sized(200, 1500), sized(10.0, 60.0)
    url = pg.url(database)
    fill(url, open_count=open_count)
    settled(database)
    time.sleep(sized(1, 11))  # (the filling's own counts flushed: its backends' as they exit)
    floor = per_minute(database, sized(4.0, seconds))  # no desk: the server's own (autovacuum …)
    desk = PtyApp(["--db", url, "--user", "ann"], bench_env, size=(120, 40))
    try:
        wait_live(desk, SHOWN)
        time.sleep(12)  # past the desk's start-up and its first looks' counts (flushed ≤ 10 s late)
        cpu0, t0 = desk.cpu_seconds(), time.perf_counter()
        idle = per_minute(database, seconds)
        cpu = (desk.cpu_seconds() - cpu0) / (time.perf_counter() - t0)
        assert desk.proc.poll() is None, desk.text()[-1500:]
    finally:
        desk.kill()
    print(
        f"\nidle desk on PostgreSQL, {open_count} open requests, {seconds:g} s: {idle:.0f} transactions a "
        f"minute, {floor:.0f} with no desk open; the desk's CPU {cpu:.2%} of a core; {load()}"
    )
    figure(
        f"an idle desk's transactions a minute on PostgreSQL ({open_count} open requests)",
        max(0.0, idle - floor),
        BUDGET,
        "a minute",
        baseline_is="the issue's budget",
        small=1.5,
        full=1.0,
    )

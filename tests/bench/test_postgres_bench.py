"""PostgreSQL mode's three figures, each beside its baseline in the same run:

- the month report over 1,000,000 requests (30,000 at the small size, test_report_bench.ROWS) on
  PostgreSQL against the bare SQL it sends (the very statements, executed and fetched through a
  bare psycopg connection); bound 1.5× at full size (issue 23), 12× at the small size (measured
  2.6–5.5× before issue 23's work, 3.0× after at a load of 2.9; the higher on a machine at a load of 10, and 9.5× beside a whole second suite: the
  report's fixed work, in Python, beside a month of 800 whose bare SQL the server does in C).
  Measured at full size, the slowest format of each run (medians of REPEATS alternating runs):
  before issue 23's work 1.77–2.46× (report 2.75–3.27 s, bare SQL 1.24–1.63 s, load 3.9); after,
  three runs at a load of 1.5–2.2: 1.41, 1.39, 1.40× (report 0.98–1.00 s, bare SQL 0.70–0.71 s;
  json, md and csv within 1.32–1.41×), and 1.44–1.60× at a load of 4–5 (the report screen's
  bench running beside it on the 2 cores). The earlier figures mixed two plans: the repeat
  repairs' query hashed the whole history (0.5 s a month) until psycopg prepared it on its fifth
  run, which only the bare connection ever reached; it now takes 6 ms on every run
  (store/figures/quality.py). What remains beside the SQL is Python: the month's lists (about
  20,000 rows of two months) made into figures, then into the format (reports/). With repeat
  repairs linked in the history (REPEAT_LINKS, since): 1.31-1.39× at a load of 7-9.
- the staff scorecard over the same history (with repeat repairs linked, REPEAT_LINKS) beside
  reading its two months' requests bare: bound 10× at full size, 60× small (see its test).
- the time from one desk's write to another desk's screen: LISTEN/NOTIFY on PostgreSQL against
  the SQLite desk's timed look (its default, once a second), medians of 15 writes (5 small);
  bound 0.1× at full size (measured 17.8 ms), 0.5× small. Every wait has a timeout (WAIT).

    LIYUAN_TEST_PG=<socket folder> uv run pytest tests/bench/test_postgres_bench.py -s
(.ci/postgres.sh start DIR starts a throwaway cluster and prints the socket folder; without one
these skip, and CI, which sets LIYUAN_TEST_PG_REQUIRED, fails instead)."""

from __future__ import annotations

import asyncio
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import event

sys.path.insert(0, str(Path(__file__).parent.parent))  # pg.py
import pg
from bench_sizing import sized
from test_report_bench import COLUMNS, LAST, MONTH, REPEATS, ROWS, _medians, history_rows

from liyuan_tui.domain.clock import FakeClock
from liyuan_tui.domain.config import Settings
from liyuan_tui.domain.i18n import Translator
from liyuan_tui.domain.procedure_files import load_procedures
from liyuan_tui.reports.month import Month, month_report
from liyuan_tui.reports.month_render import render
from liyuan_tui.reports.scorecard import scorecard
from liyuan_tui.reports.scorecard_render import render_scorecard
from liyuan_tui.store import Store
from liyuan_tui.widgets.poller import LOOK_GAP

# One repair in 12 repeats its unit's previous repair, linked as intake links them (store/repeats.py):
# the repeat-repair figures join these (16,781 links in 1,000,000 requests).
REPEAT_LINKS = """UPDATE request r SET repeat_of = p.prev
    FROM (SELECT id, lag(ref) OVER (PARTITION BY unit ORDER BY received_at) AS prev
          FROM request WHERE category = 'repair') p
    WHERE r.id = p.id AND p.prev IS NOT NULL AND r.id % 12 = 0"""


@pytest.fixture(scope="module")
def million_on_postgres():
    pg.need_cluster()
    name = pg.create_database()
    url = pg.url(name)
    store = Store(url, FakeClock(LAST), "sup", tz="Asia/Shanghai", create=True)
    store.staff.ensure_identity()
    store.close()
    import psycopg

    t0 = time.perf_counter()
    with psycopg.connect(dbname=name, user=pg.ADMIN, host=pg.SOCKET) as conn:
        with conn.cursor().copy(f"COPY request ({COLUMNS}) FROM STDIN") as copy:
            for row in history_rows():
                copy.write_row(row)
        conn.execute(
            "INSERT INTO feeitem VALUES ('lock', '更换门锁', 'Lock change', '次', 'job', 8000, true)"
        )
        conn.execute(
            "INSERT INTO charge (request_id, item_code, qty, unit_price_cents, amount_cents, at, by, note)"
            " SELECT id, 'lock', 1, 8000, 8000, received_at, 'ann', '' FROM request WHERE id % 20 = 0"
        )
        conn.execute(REPEAT_LINKS)
        conn.commit()
        conn.autocommit = True
        conn.execute("VACUUM ANALYZE")
    print(f"\nloaded {ROWS:,} requests into PostgreSQL in {time.perf_counter() - t0:.1f} s")
    yield url, name
    pg.drop_database(name)


CARD_READS = (
    "SELECT created_by, replied_by, escalated_by, assignee, category, status, received_at, reply_due_at,"
    " replied_at, escalated_at, closed_at, repeat_of FROM request"
)


def utc(t: datetime) -> datetime:
    """As the store keeps a time (UTC, without its zone)."""
    return t.astimezone(UTC).replace(tzinfo=None)


def test_scorecard_on_postgresql_beside_reading_its_two_months(million_on_postgres, figure):
    """The staff scorecard as `liyuan staff scorecard` makes it, on a store of its own each run (a
    report's session sends each statement at most twice: psycopg never prepares one, so every run
    gets the plans a report gets), beside the least it must read: the two months' requests through
    a bare psycopg connection. A query reading the whole history shows here, as it cannot beside
    the report's own statements (they read it too). Bound 10× at full size, 60× small. Measured at
    a load of 6.5-7: full size 5.94× (505 ms against 85 ms), small 22.7× (149 ms against 6.6 ms: a
    store opened, fixed work in Python); with the team's repeat count outer-joined to the whole
    history as the month report's once was (store/figures/quality.py), 13.2× (2.90 s)."""
    import psycopg

    url, name = million_on_postgres

    def card():
        store = Store(url, FakeClock(LAST), "sup", tz="Asia/Shanghai")
        render_scorecard(scorecard(store, MONTH), "json", Translator("zh"))
        store.close()

    month, tz = Month.parse(MONTH), ZoneInfo("Asia/Shanghai")
    windows = [[utc(m.start(tz)), utc(m.end(tz))] for m in (month, month.previous())]
    bare = psycopg.connect(dbname=name, user=pg.ADMIN, host=pg.SOCKET, autocommit=True)

    def two_months():
        for window in windows:
            assert bare.execute(
                f"{CARD_READS} WHERE received_at >= %s AND received_at < %s", window
            ).fetchall()

    store = Store(url, FakeClock(LAST), "sup", tz="Asia/Shanghai")
    assert scorecard(store, MONTH).team.requests > ROWS // 50
    store.close()
    card(), two_months()
    card_s, bare_s = _medians(card, two_months)
    bare.close()
    figure(
        f"PostgreSQL: staff scorecard {MONTH} over {ROWS:,} requests, --format json",
        card_s,
        bare_s,
        "s",
        baseline_is="its two months' requests read through a bare psycopg connection",
        small=60.0,
        full=10.0,
    )


WAIT = 30.0  # seconds at most for a desk to show another's write


def test_month_report_on_postgresql_within_one_and_a_half_times_the_bare_sql(million_on_postgres, figure):
    import psycopg

    url, name = million_on_postgres
    procedures = load_procedures()
    store = Store(url, FakeClock(LAST), "sup", procedures=procedures, tz="Asia/Shanghai")
    t = Translator("zh")
    statements: list[tuple[str, object]] = []

    def capture(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith(("SELECT", "WITH")):
            statements.append((statement, parameters))

    event.listen(store.engine, "before_cursor_execute", capture)
    report = month_report(store, MONTH)
    event.remove(store.engine, "before_cursor_execute", capture)
    assert report.current.total > ROWS // 50
    bare = psycopg.connect(dbname=name, user=pg.ADMIN, host=pg.SOCKET, autocommit=True)

    def bare_sql():
        for sql, params in statements:
            bare.execute(sql, params).fetchall()

    runs = {
        fmt: (lambda fmt=fmt: render(month_report(store, MONTH), fmt, t, procedures))
        for fmt in ("json", "md", "csv")
    }
    runs["json"](), bare_sql()
    timings = {fmt: _medians(run, bare_sql) for fmt, run in runs.items()}
    print(
        f"\nPostgreSQL: month report {MONTH} over {ROWS:,} requests ({report.current.total:,} in the month), "
        f"{len(statements)} statements; medians of {REPEATS} alternating runs"
    )
    for fmt, (report_s, bare_s) in timings.items():
        print(
            f"  report --format {fmt:<4} {report_s * 1000:7.1f} ms   bare SQL {bare_s * 1000:7.1f} ms"
            f"   ratio {report_s / bare_s:.2f}"
        )
    bare.close()
    store.close()
    fmt, (report_s, bare_s) = max(timings.items(), key=lambda item: item[1][0] / item[1][1])
    figure(
        f"PostgreSQL: month report over {ROWS:,} requests, --format {fmt} (the slowest format)",
        report_s,
        bare_s,
        "s",
        baseline_is="its statements through a bare psycopg connection",
        small=12.0,
        full=1.5,
    )


async def _latencies(url: str, tmp_path: Path, poll_interval: float, writes: int) -> list[float]:
    """Seconds from another terminal's committed write to this desk's queue holding it."""
    from liyuan_tui.app import LiyuanApp
    from liyuan_tui.domain.clock import SystemClock
    from liyuan_tui.store.opening import open_store

    clock = SystemClock()
    sup = Store(url, clock, "sup", create=True)
    sup.staff.ensure_identity()
    sup.staff.add_staff("ann", "Ann", "assistant")
    settings = Settings(db_url=url, lang="en", login="ann", os_login="ann")
    app = LiyuanApp(
        open_store(settings, clock), settings, clock, tick_interval=None, poll_interval=poll_interval
    )
    took = []
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause(0.5)
        for i in range(writes):
            req = await asyncio.to_thread(
                sup.intake.create_request, category="B", unit=f"1-{i}", phone="123", complete=True
            )
            committed = time.monotonic()
            async with asyncio.timeout(WAIT):
                while req.ref not in app.requests:
                    await asyncio.sleep(0.002)
            took.append(time.monotonic() - committed)
            # Writes land at different points of the desk's wait, each after the desk's last look by
            # more than the poller's LOOK_GAP: one write's latency (a storm's is coalesced on
            # purpose, at most LOOK_GAP apart: tests/ui/test_storm_on_postgres.py).
            await pilot.pause(LOOK_GAP + 0.05 + (i % 5) * 0.137)
    app.store.close()
    sup.close()
    return took


async def test_listen_notify_against_the_sqlite_poller(tmp_path, figure, monkeypatch):
    pg.need_cluster()
    writes = sized(5, 15)
    name = pg.create_database()
    try:
        on_postgres = await _latencies(pg.url(name), tmp_path, poll_interval=1.0, writes=writes)
    finally:
        pg.drop_database(name)
    from liyuan_tui.store import file_wake

    monkeypatch.setattr(file_wake, "RustNotify", None)  # the SQLite desk that looks (not woken by its files)
    on_sqlite = await _latencies(f"sqlite:///{tmp_path / 'desk.db'}", tmp_path, 1.0, writes)
    for label, took in (("PostgreSQL LISTEN/NOTIFY", on_postgres), ("SQLite, a look each second", on_sqlite)):
        print(
            f"\n{label:<28} median {statistics.median(took) * 1000:6.1f} ms   worst {max(took) * 1000:6.1f} ms"
        )
    figure(
        f"another desk's write on screen, PostgreSQL LISTEN/NOTIFY (median of {writes})",
        statistics.median(on_postgres),
        statistics.median(on_sqlite),
        "s",
        baseline_is="the SQLite desk's look once a second",
        small=0.5,
        full=0.1,
    )

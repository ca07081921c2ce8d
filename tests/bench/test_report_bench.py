"""Month report over 1,000,000 historical requests vs the bare SQL it needs, in the same run.

Run: uv run pytest tests/bench/test_report_bench.py -s   (not part of the default run)

The baseline is the very statements the report sends (captured from SQLAlchemy during a warm-up
report, with their parameters), executed through a bare sqlite3 connection and fetched: what the
report would cost with no Python around the SQL at all. A report run is what `liyuan report` does:
the figures, the written summary and one format (json, md, csv). Target: each ≤ 2 × baseline.
"""

from __future__ import annotations

import os
import random
import sqlite3
import statistics
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import event

from liyuan_tui.domain.clock import FakeClock
from liyuan_tui.domain.i18n import Translator
from liyuan_tui.domain.procedure_files import load_procedures
from liyuan_tui.reports.month import month_report
from liyuan_tui.reports.month_render import render
from liyuan_tui.store import Store

ROWS = 1_000_000
FIRST = datetime(2023, 7, 1, tzinfo=UTC)
LAST = datetime(2026, 7, 1, tzinfo=UTC)  # 36 months: about 28,000 requests a month
MONTH = "2026-05"
REPEATS = 7
STAFF = ("sup", "ann", "bob", "cat", "dan", "eve")
FMT = "%Y-%m-%d %H:%M:%S.000000"  # how SQLAlchemy stores a datetime in SQLite


COLUMNS = (
    "ref, ref_month, ref_seq, category, channel, requester_name, unit, phone, description, received_at,"
    " reply_due_at, replied_at, replied_by, escalated_at, escalated_to, escalated_by, major, confidential,"
    " status, assignee, created_by, branches, outcome, outcome_kind, handed_to, closed_at, closed_by, version"
)


def history_rows() -> list[tuple]:
    """1,000,000 requests over three years, as rows of COLUMNS (times as text, UTC)."""
    rng = random.Random(6)
    cats = (
        "medical",
        "repair",
        "repair",
        "repair",
        "complaint",
        "consultation",
        "consultation",
        "security",
        "disaster",
        "other",
        "other",
    )
    start, span = FIRST.timestamp(), (LAST - FIRST).total_seconds()
    gm = time.gmtime
    seq: dict[str, int] = {}
    rows = []
    for received in sorted(start + rng.random() * span for _ in range(ROWS)):
        local = gm(received + 8 * 3600)
        month = f"{local.tm_year}{local.tm_mon:02d}"
        seq[month] = seq.get(month, 0) + 1
        delay = rng.choice((rng.randint(5, 590), rng.randint(5, 590), rng.randint(5, 3600)))
        replied = received + delay if rng.random() < 0.97 else None
        closed = replied + 3600 if replied is not None and rng.random() < 0.9 else None
        handed = rng.choice(("工程部", "保安部", "")) if closed else ""
        escalated = received + 120 if rng.random() < 0.08 else None
        rows.append(
            (
                f"{month}-{seq[month]:04d}",
                month,
                seq[month],
                rng.choice(cats),
                rng.choice(("phone", "walk-in", "intercom")),
                "",
                f"{rng.randint(1, 30)}-{rng.randint(101, 2504)}",
                "13800000000",
                "",
                time.strftime(FMT, gm(received)),
                time.strftime(FMT, gm(received + 600)),
                time.strftime(FMT, gm(replied)) if replied else None,
                rng.choice(STAFF) if replied else None,
                time.strftime(FMT, gm(escalated)) if escalated else None,
                "cs_supervisor" if escalated else None,
                rng.choice(STAFF) if escalated else None,
                rng.random() < 0.01,
                rng.random() < 0.03,
                "closed" if closed else ("replied" if replied else "open"),
                rng.choice(STAFF),
                rng.choice(STAFF),
                "",
                "处理完毕" if closed else "",
                ("handed_on" if handed else "resolved") if closed else "",
                handed,
                time.strftime(FMT, gm(closed)) if closed else None,
                rng.choice(STAFF) if closed else None,
                1,
            )
        )
    return rows


def _generate(path) -> None:
    """1,000,000 requests through executemany in one transaction (the schema from the Store)."""
    store = Store(f"sqlite:///{path}", FakeClock(LAST), "sup", tz="Asia/Shanghai", create=True)
    store.init_schema()
    store.staff.ensure_identity()
    store.close()
    rows = history_rows()
    con = sqlite3.connect(path)
    con.execute("PRAGMA synchronous = OFF")
    con.executemany(f"INSERT INTO request ({COLUMNS}) VALUES (" + ",".join("?" * 28) + ")", rows)
    con.execute("INSERT INTO feeitem VALUES ('lock', '更换门锁', 'Lock change', '次', 'job', 8000, 1)")
    con.execute(
        "INSERT INTO charge (request_id, item_code, qty, unit_price_cents, amount_cents, at, by, note)"
        " SELECT id, 'lock', 1, 8000, 8000, received_at, 'ann', '' FROM request WHERE id % 20 = 0"
    )
    con.commit()
    con.close()


@pytest.fixture(scope="session")
def big_history(tmp_path_factory):
    reuse = os.environ.get("LIYUAN_BENCH_DB")  # a file made by an earlier run, to iterate faster
    if reuse and Path(reuse).exists():
        return Path(reuse)
    path = tmp_path_factory.mktemp("bench") / "million.db"
    t0 = time.perf_counter()
    _generate(path)
    print(
        f"\ngenerated {ROWS:,} requests in {time.perf_counter() - t0:.1f} s ({path.stat().st_size / 1e6:.0f} MB)"
    )
    return path


def _timed(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def _medians(a, b) -> tuple[float, float]:
    """Median times of a and b, run alternately so a busy machine slows both alike."""
    ta, tb = [], []
    for _ in range(REPEATS):
        ta.append(_timed(a))
        tb.append(_timed(b))
    return statistics.median(ta), statistics.median(tb)


def test_month_report_within_twice_the_bare_sql(big_history):
    procedures = load_procedures()
    store = Store(
        f"sqlite:///{big_history}", FakeClock(LAST), "sup", procedures=procedures, tz="Asia/Shanghai"
    )
    t = Translator("zh")
    statements: list[tuple[str, tuple]] = []

    def capture(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith(("SELECT", "WITH")):
            statements.append((statement, tuple(parameters)))

    event.listen(store.engine, "before_cursor_execute", capture)
    report = month_report(store, MONTH)
    event.remove(store.engine, "before_cursor_execute", capture)
    assert report.current.total > 20_000

    bare = sqlite3.connect(big_history)

    def bare_sql():
        for sql, params in statements:
            bare.execute(sql, params).fetchall()

    # One `liyuan report` run computes the figures and renders one format: time each format's run.
    runs = {
        fmt: (lambda fmt=fmt: render(month_report(store, MONTH), fmt, t, procedures))
        for fmt in ("json", "md", "csv")
    }
    runs["json"](), bare_sql()  # warm the page cache for both
    timings = {fmt: _medians(run, bare_sql) for fmt, run in runs.items()}
    plans = {
        row[-1]
        for sql, params in statements
        for row in bare.execute("EXPLAIN QUERY PLAN " + sql, params)
        if "request" in row[-1].lower() and ("SCAN" in row[-1] or "SEARCH" in row[-1])
    }
    print(
        f"\nmonth report {MONTH} over {ROWS:,} requests ({report.current.total:,} in the month, "
        f"{report.previous.total:,} the month before; {len(report.current.overdue):,} overdue listed), "
        f"{len(statements)} statements; medians of {REPEATS} alternating runs"
    )
    for fmt, (report_s, bare_s) in timings.items():
        print(
            f"  report --format {fmt:<4} {report_s * 1000:7.1f} ms   bare SQL {bare_s * 1000:7.1f} ms"
            f"   ratio {report_s / bare_s:.2f} (target ≤ 2.00)"
        )
    print("  query plans on request: " + "; ".join(sorted(plans)))
    bare.close()
    store.close()
    worst = max(report_s / bare_s for report_s, bare_s in timings.values())
    assert worst <= 2

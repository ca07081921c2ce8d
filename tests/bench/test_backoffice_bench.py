"""The back office's cost where it runs most often or reads most: the warning ladder that every
open desk runs once a second (now also over work orders), and the stock report over a large ledger.

    uv run pytest tests/bench/test_backoffice_bench.py -s      (LIYUAN_BENCH_SIZE=full for the full size)

- the ladder, 200 open requests and 500 open work orders (both sizes; full size polls more often):
  a poll with the clock a second on each time, beside the baseline of the reply-deadline scan
  alone (what each poll cost before work orders: 0.45 ms where the whole scan took 1.1-1.26 ms).
  Issue 23's target is 0.5 ms a poll: full-size bound 1.0× the baseline, small 1.5×. Also printed:
  a poll that must scan again (after any write), the cost the calm saves.
- the stock report for a month over 200,000 moves (20,000 small) beside the least any stock report
  must read: the catalogue and the month's moves, fetched through a bare sqlite3 connection (the
  report's own statements were the baseline until it showed nothing: they read the whole ledger
  and so did it, 1.03× at 243 ms full size). Bound 4× at full size, 30× small (medians of 11
  small: at a load of 4, 5 rounds read 21×, the report's few milliseconds of Python stretched by
  the load more than the bare read's C; the whole-ledger read it guards against was 40× quiet,
  and more under load, since it too is the report's). Measured at a load
  of 2.1–2.8: before the figures looked each material up through the index (store/figures/stock.py)
  49× full size (276 ms against 5.6 ms), 40× small (27.6 ms against 0.69 ms); after, 1.66× full
  size (9.0 ms against 5.4 ms), 7.0× small (4.1–4.4 ms against 0.58–0.62 ms: the report's own
  fixed work, in Python, beside a month of 800 moves).
"""

from __future__ import annotations

import random
import sqlite3
from datetime import UTC, datetime, timedelta

from bench_sizing import alternating, median, sized
from sqlalchemy import insert

from liyuan_tui.domain.clock import FakeClock
from liyuan_tui.domain.models import Request
from liyuan_tui.domain.workshop import Material, StockMove, WorkOrder
from liyuan_tui.reports.month import Month
from liyuan_tui.reports.stock import stock_report
from liyuan_tui.store import Store

NOW = datetime(2026, 11, 27, 14, 0, tzinfo=UTC)


def test_the_ladder_with_500_open_work_orders(tmp_path, figure):
    clock = FakeClock(NOW)
    store = Store(f"sqlite:///{tmp_path / 'desk.db'}", clock, "sup", create=True)
    store.init_schema()
    store.staff.ensure_identity()
    requests = [
        dict(
            ref=f"202611-{i + 1:04d}",
            ref_month="202611",
            ref_seq=i + 1,
            category="repair",
            unit=f"U{i}",
            phone="139",
            received_at=NOW - timedelta(minutes=1),
            reply_due_at=NOW + timedelta(hours=2),  # (no rung comes during the polls: nothing written)
            status="open",
            created_by="sup",
            version=1,
        )
        for i in range(200)
    ]
    orders = [
        dict(
            number=f"W202611-{i + 1:04d}",
            number_month="202611",
            number_seq=i + 1,
            request_id=i % 200 + 1,
            technician="tech",
            state="dispatched",
            created_at=NOW,
            created_by="sup",
            dispatched_at=NOW,
            arrive_due_at=NOW + timedelta(minutes=150 + i % 60),
            finish_due_at=NOW + timedelta(hours=24),
            wait_reason="",
            signed_by="",
            not_home=False,
            note="",
            finish_note="",
            cancel_reason="",
            version=1,
        )
        for i in range(500)
    ]
    with store.engine.begin() as conn:  # a bench's bulk rows, written past the store on purpose
        conn.execute(insert(Request), requests)
        conn.execute(insert(WorkOrder), orders)
    ladder = store.ladder
    ladder.record_deadline_alerts()  # warm: nothing is due, nothing is written

    def requests_only() -> None:  # what a poll read before work orders: one session, one query
        with store.kernel.read() as s:
            ladder._request_rungs(s, clock.now())

    def poll() -> None:  # what each open desk does once a second
        clock.advance(1)
        assert ladder.record_deadline_alerts() == []

    def poll_after_a_write() -> None:  # the calm ended: the scans, and when the next rung comes
        ladder._calm = None
        poll()

    polls = sized(300, 1000)
    base, desk = alternating(requests_only, poll, polls)
    _, scan = alternating(requests_only, poll_after_a_write, polls // 3)
    print(f"\nladder poll that must scan again (after any write): {median(scan) * 1000:.3f} ms")
    figure(
        f"ladder poll, 200 open requests, 500 open work orders (median of {polls})",
        median(desk),
        median(base),
        "s",
        baseline_is="the reply-deadline scan alone, as before work orders",
        small=1.5,
        full=1.0,
    )
    store.close()


def test_the_stock_report_over_a_long_ledger(tmp_path, figure):
    path = tmp_path / "desk.db"
    store = Store(f"sqlite:///{path}", FakeClock(NOW), "sup", create=True)
    store.init_schema()
    store.staff.ensure_identity()
    rng = random.Random(5)
    materials = [
        dict(
            code=f"M{i:03d}",
            name=f"材料{i}",
            unit="个",
            price_fen=100 + i,
            on_hand_milli=0,
            created_at=NOW - timedelta(days=800),
            version=1,
        )
        for i in range(100)
    ]
    moves, balance = [], [0] * 100
    start = NOW - timedelta(days=730)
    count = sized(20_000, 200_000)
    for n in range(count):
        m = rng.randrange(100)
        delta = (
            rng.randint(1, 5000) if balance[m] < 2000 or rng.random() < 0.4 else -rng.randint(1, balance[m])
        )
        balance[m] += delta
        moves.append(
            dict(
                material_id=m + 1,
                kind="in" if delta > 0 else "use",
                delta_milli=delta,
                balance_milli=balance[m],
                price_fen=100 + m,
                at=start + timedelta(seconds=n * 315 * 200_000 // count),
                by="sup",
                reason="",
            )
        )
    with store.engine.begin() as conn:
        conn.execute(insert(Material), materials)
        conn.execute(insert(StockMove), moves)
    month = Month.parse("2026-06")
    window = [
        f"{t.astimezone(UTC):%Y-%m-%d %H:%M:%S.%f}" for t in (month.start(store.tz), month.end(store.tz))
    ]
    raw = sqlite3.connect(path)

    def bare() -> None:
        raw.execute("SELECT id, code, name, unit, price_fen FROM material").fetchall()
        of_moves = "SELECT material_id, kind, delta_milli, balance_milli, price_fen FROM stockmove"
        assert raw.execute(f"{of_moves} WHERE at >= ? AND at < ?", window).fetchall()

    report, bare_sql = alternating(lambda: stock_report(store, month), bare, sized(11, 7))
    figure(
        f"stock report, 100 materials, {count:,} moves",
        median(report),
        median(bare_sql),
        "s",
        baseline_is="the catalogue and the month's moves through a bare sqlite3 connection",
        small=30.0,
        full=4.0,
    )
    raw.close()
    store.close()

"""The back office's cost where it runs most often or reads most: the warning ladder that every
open desk runs once a second (now also over work orders), and the stock report over a large ledger.

Run: uv run pytest tests/bench/test_backoffice_bench.py -o addopts="" -s   (not part of the default run)

Baselines, measured in the same run: the ladder's reply-deadline half alone (what each poll cost
before work orders), and for the report the very statements it sends run through a bare sqlite3
connection. Targets: the whole ladder under 1 ms a poll with 500 open orders (each desk polls
once a second: under 0.1% of a core); the stock report ≤ 2 × its bare SQL.
"""

from __future__ import annotations

import random
import sqlite3
import statistics
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import event, insert

from liyuan_tui.domain.clock import FakeClock
from liyuan_tui.domain.models import Request
from liyuan_tui.domain.workshop import Material, StockMove, WorkOrder
from liyuan_tui.reports.stock import stock_report
from liyuan_tui.store import Store

NOW = datetime(2026, 11, 27, 14, 0, tzinfo=UTC)


def _median_ms(call, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        call()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def test_the_ladder_with_500_open_work_orders(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'desk.db'}", FakeClock(NOW), "sup", create=True)
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
            reply_due_at=NOW + timedelta(minutes=9),
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
            arrive_due_at=NOW + timedelta(minutes=30 + i % 60),
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
    store.ladder.record_deadline_alerts()  # warm: nothing is due, nothing is written
    reply_half = store.ladder._request_rungs

    def requests_only() -> None:  # what a poll read before work orders: one session, one query
        with store.kernel.read() as s:
            reply_half(s, store.clock.now())

    baseline = _median_ms(requests_only, 300)
    whole = _median_ms(store.ladder.record_deadline_alerts, 300)
    print(
        f"\nladder poll, 200 open requests: {baseline:.2f} ms (baseline: reply deadlines only); "
        f"with 500 open work orders: {whole:.2f} ms ({whole / baseline:.2f}×)"
    )
    assert whole < 1.0  # a poll a second per desk: under 0.1% of a core
    store.close()


def test_the_stock_report_over_200000_moves(tmp_path):
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
    for n in range(200_000):
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
                at=start + timedelta(seconds=n * 315),
                by="sup",
                reason="",
            )
        )
    with store.engine.begin() as conn:
        conn.execute(insert(Material), materials)
        conn.execute(insert(StockMove), moves)
    statements: list[tuple[str, tuple]] = []

    @event.listens_for(store.engine, "before_cursor_execute")
    def _capture(conn, cursor, statement, parameters, context, executemany):
        if "stockmove" in statement:
            statements.append((statement, parameters))

    stock_report(store, "2026-06")
    event.remove(store.engine, "before_cursor_execute", _capture)
    raw = sqlite3.connect(path)

    def bare() -> None:
        for sql, params in statements:
            raw.execute(sql, params).fetchall()

    baseline = _median_ms(bare, 7)
    report = _median_ms(lambda: stock_report(store, "2026-06"), 7)
    print(
        f"\nstock report, 100 materials, 200,000 moves: {report:.1f} ms; bare SQL {baseline:.1f} ms "
        f"({report / baseline:.2f}×)"
    )
    assert report <= 2 * baseline
    raw.close()
    store.close()

"""What the live desk's benches share (test_desk_live_bench.py, test_change_wake_bench.py): the size
knob, the figure each ends with, and a desk database filled in bulk.

LIYUAN_BENCH_SIZE=small (the default: what the suite runs, seconds a bench) or full (the sizes the
issue's figures are quoted at, on demand). Every figure is measured beside its baseline in the same
run and the ratio is asserted, never a time: at small size on a loaded machine the bound is
generous but real (a broken or badly slowed path still fails); the full-size bound is the target.
"""

from __future__ import annotations

import os
import statistics
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TypeVar

from sqlalchemy import insert

from liyuan_tui.domain.clock import SystemClock
from liyuan_tui.domain.models import Event, Request
from liyuan_tui.domain.workshop import WorkOrder
from liyuan_tui.store import Store

T = TypeVar("T")

SIZE = os.environ.get("LIYUAN_BENCH_SIZE", "small")
if SIZE not in ("small", "full"):
    raise ValueError(f"LIYUAN_BENCH_SIZE must be small or full, not {SIZE!r}")
FULL = SIZE == "full"


def sized(small: T, full: T) -> T:
    """This run's value of a size (rows, runs, seconds)."""
    return full if FULL else small


def median(values: list[float]) -> float:
    return statistics.median(values)


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (share 0.95 → p95)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def wait_live(term, timeout: float = 60.0) -> float:
    """Seconds from the program's start until a Textual app's queue is on the terminal: its rows
    after it took the terminal (the desk's first frame, drawn before, does not count)."""
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        with term.lock:
            taken = term.output.find(b"\x1b[?1049h")
            if taken >= 0 and term.output.find(b"OPENROW", taken) >= 0:
                return time.perf_counter() - term.started
        if term.proc.poll() is not None:
            break
        time.sleep(0.003)
    raise AssertionError(f"the live queue never showed; the program wrote:\n{term.text()[-1500:]}")


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.2f} / {five:.2f} on {os.cpu_count()} cores"


def figure(
    what: str, value: float, baseline: float, unit: str, *, baseline_is: str, small: float, full: float
):
    """Print the figure, its same-run baseline and their ratio; assert the ratio is within this
    size's bound (small: generous, for a loaded machine; full: the issue's target)."""
    ratio = value / baseline if baseline > 0 else float("inf")
    bound = sized(small, full)
    shown = {"s": lambda v: f"{v * 1000:.1f} ms", "core": lambda v: f"{v:.2%} of a core"}.get(
        unit, lambda v: f"{v:,.4g} {unit}"
    )
    line = (
        f"{what}: {shown(value)}; baseline ({baseline_is}) {shown(baseline)}; ratio {ratio:.2f}x, "
        f"bound {bound:g}x at {SIZE} size (full size: {full:g}x); {load()}"
    )
    print(f"\n{line}")
    assert ratio <= bound, line
    return ratio


def fill(db: Path | str, *, open_count: int, closed_count: int = 0, order_count: int = 0) -> None:
    """`open_count` requests received in the last few minutes (all counting down, none near the
    3-minute warning for a while), `closed_count` closed ones over the past years and
    `order_count` work orders on the open requests, dispatched, their limits hours away. `db`: a
    SQLite file, or a database's URL (PostgreSQL)."""
    store = Store(db if isinstance(db, str) else f"sqlite:///{db}", SystemClock(), "sup", create=True)
    store.init_schema()
    store.staff.ensure_identity()
    store.staff.add_staff("ann", "Ann", "assistant")
    now = datetime.now(UTC)
    closed = [
        dict(
            ref=f"{received:%Y%m}-C{i:06d}",
            ref_month=f"{received:%Y%m}",
            ref_seq=100000 + i,
            category="repair",
            unit=f"U{i % 500}",
            phone="13900000000",
            received_at=received,
            reply_due_at=received + timedelta(minutes=10),
            replied_at=received + timedelta(minutes=3),
            status="closed",
            outcome="done",
            outcome_kind="resolved",
            closed_at=received + timedelta(hours=1),
            created_by="ann",
            assignee="ann",
            version=3,
        )
        for i in range(closed_count)
        for received in [now - timedelta(days=1 + i * 1000 / max(closed_count, 1), minutes=i % 600)]
    ]
    opened = [
        dict(
            ref=f"{received:%Y%m}-{i + 1:04d}",
            ref_month=f"{received:%Y%m}",
            ref_seq=i + 1,
            category="repair",
            unit=f"OPENROW{i}",
            phone="13900000000",
            requester_name="Name",
            received_at=received,
            reply_due_at=received + timedelta(minutes=10),
            status="open",
            created_by="ann",
            assignee="ann",
            version=1,
        )
        for i in range(open_count)
        for received in [now - timedelta(seconds=10 + (i * 60) % 70)]  # 8½ to 10 minutes left
    ]
    orders = [
        dict(
            number=f"W{now:%Y%m}-{i + 1:04d}",
            number_month=f"{now:%Y%m}",
            number_seq=i + 1,
            request_id=len(closed) + i % max(open_count, 1) + 1,
            technician="tech",
            state="dispatched",
            created_at=now,
            created_by="ann",
            dispatched_at=now,
            arrive_due_at=now + timedelta(minutes=150 + i % 60),
            finish_due_at=now + timedelta(hours=24),
            version=1,
        )
        for i in range(order_count if open_count else 0)
    ]
    with store.engine.begin() as conn:  # a bench's bulk rows, written past the store on purpose
        for batch in (closed, opened):  # each its own insert: a bulk insert's rows share their columns
            if batch:
                conn.execute(insert(Request), batch)
        if orders:
            conn.execute(insert(WorkOrder), orders)
        events = [
            dict(request_id=i + 1, at=now, actor="ann", kind="created", payload="{}")
            for i in range(len(closed) + len(opened))
        ]
        if events:
            conn.execute(insert(Event), events)
    store.close()

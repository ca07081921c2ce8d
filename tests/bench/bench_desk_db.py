"""A desk database with many open and closed requests, written in bulk (setting up 100,000 closed
requests one transaction at a time would take longer than the benchmarks)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import insert

from liyuan_tui.domain.clock import SystemClock
from liyuan_tui.domain.models import Event, Request
from liyuan_tui.domain.workshop import WorkOrder
from liyuan_tui.store import Store


def fill(db_path: Path | str, open_count: int, closed_count: int = 0, order_count: int = 0) -> None:
    """`open_count` requests received in the last few minutes (all still counting down, none near
    the 3-minute warning for a while), `closed_count` closed ones over the past years and
    `order_count` work orders on the open requests, dispatched, their limits hours away. `db_path`:
    a SQLite file, or a database's URL (PostgreSQL)."""
    url = db_path if isinstance(db_path, str) else f"sqlite:///{db_path}"
    store = Store(url, SystemClock(), "sup", create=True)
    store.init_schema()
    store.staff.ensure_identity()
    store.staff.add_staff("ann", "Ann", "assistant")
    now = store.clock.now()
    closed, rows, events = [], [], []
    for i in range(closed_count):
        received = now - timedelta(days=1 + i * 1000 / max(closed_count, 1), minutes=i % 600)
        month = received.strftime("%Y%m")
        closed.append(
            dict(
                ref=f"{month}-C{i:06d}",
                ref_month=month,
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
        )
    for i in range(open_count):
        received = now - timedelta(seconds=10 + (i * 60) % 70)  # 8½ to 10 minutes left
        rows.append(
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
        )
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
        for batch in (closed, rows):  # each its own insert: a bulk insert's rows share their columns
            if batch:
                conn.execute(insert(Request), batch)
        if orders:
            conn.execute(insert(WorkOrder), orders)
        for i in range(len(closed) + len(rows)):
            events.append(dict(request_id=i + 1, at=now, actor="ann", kind="created", payload="{}"))
        if events:
            conn.execute(insert(Event), events)
    store.close()

"""Benchmark fixtures: a database with many open and closed requests, written in bulk (setting up
100,000 closed requests one transaction at a time would take longer than the benchmarks)."""

from __future__ import annotations

import os
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import insert

sys.path.insert(0, str(Path(__file__).parent.parent / "ui"))  # pty_app

from liyuan_tui.domain.clock import SystemClock
from liyuan_tui.domain.models import Event, Request
from liyuan_tui.store import Store

HERE = Path(__file__).parent


def fill(db_path: Path, open_count: int, closed_count: int) -> None:
    """`open_count` requests received in the last few minutes (all still counting down, none near
    the 3-minute warning for a while) and `closed_count` closed ones over the past years."""
    store = Store(f"sqlite:///{db_path}", SystemClock(), "sup", create=True)
    store.init_schema()
    store.staff.ensure_identity()
    store.staff.add_staff("ann", "Ann", "assistant")
    now = datetime.now(UTC)
    rows, events = [], []
    for i in range(closed_count):
        received = now - timedelta(days=1 + i * 1000 / max(closed_count, 1), minutes=i % 600)
        month = received.strftime("%Y%m")
        rows.append(
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
    with store.engine.begin() as conn:  # a bench's bulk rows, written past the store on purpose
        # (closed and open rows have different columns: one executemany each)
        if closed_count:
            conn.execute(insert(Request), rows[:closed_count])
        if open_count:
            conn.execute(insert(Request), rows[closed_count:])
        for i in range(len(rows)):
            events.append(dict(request_id=i + 1, at=now, actor="ann", kind="created", payload="{}"))
        conn.execute(insert(Event), events)
    store.close()


@pytest.fixture
def bench_env(tmp_path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        XDG_CONFIG_HOME=str(tmp_path / "cfg"),
        XDG_DATA_HOME=str(tmp_path / "data"),
        LIYUAN_LANG="en",
        LIYUAN_CONFIG=str(tmp_path / "etc-config.toml"),
    )
    for name in ("LIYUAN_USER", "LIYUAN_PROCEDURES"):
        env.pop(name, None)
    return env


@pytest.fixture
def baseline_command():
    def command(rows: int, tick: bool = False) -> list[str]:
        return [sys.executable, str(HERE / "baseline_app.py"), str(rows), *(["--tick"] if tick else [])]

    return command

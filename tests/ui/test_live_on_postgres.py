"""On PostgreSQL every open desk LISTENs: another terminal's change shows in under half a second,
though the desk's own timed look is set far slower here (5 s)."""

from __future__ import annotations

import asyncio
import time

import pytest
from ui_helpers import settle


@pytest.fixture
def engine_name() -> str:
    return "postgresql"


@pytest.mark.e2e  # the real poller thread, in real time: its latency is what this proves
async def test_another_terminals_change_shows_in_under_half_a_second(make_app, staff):
    app = make_app("ann", poll_interval=5.0)
    other = staff["cs_supervisor"]
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await pilot.pause(0.3)  # the poller is waiting now, listening
        for unit in ("1-101", "2-202", "3-303"):
            req = await asyncio.to_thread(
                other.intake.create_request, category="B", unit=unit, phone="123", complete=True
            )
            committed = time.monotonic()
            while req.ref not in app.requests:
                assert time.monotonic() - committed < 5, "the change never arrived"
                await asyncio.sleep(0.005)
            took = time.monotonic() - committed
            assert took < 0.5, f"{req.ref} showed after {took:.3f} s"
            await pilot.pause(0.1)
            assert app.queue.table.get_row_index(req.ref) >= 0  # and the queue lists it

"""On SQLite an open desk is woken when the database's files are written (inotify, through
watchfiles): another process's change shows in well under a second, though the desk's own timed
look is set far slower here (5 s), as it is whenever the files are watched."""

from __future__ import annotations

import asyncio
import time

import pytest
from ui_helpers import log_from_another_process, settle


@pytest.mark.e2e  # the real poller thread and another process, in real time: the latency is the test
async def test_another_processs_change_shows_in_well_under_a_second(make_app, desk, cli_env):
    app = make_app("ann", poll_interval=5.0)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await pilot.pause(0.3)  # the poller is waiting now, watching
        for _ in range(3):
            ref = await asyncio.to_thread(log_from_another_process, cli_env)  # (committed when it exits)
            committed = time.monotonic()
            while ref not in app.requests:
                assert time.monotonic() - committed < 5, "the change never arrived"
                await asyncio.sleep(0.005)
            took = time.monotonic() - committed
            assert took < 0.8, f"{ref} showed after {took:.3f} s"
            await pilot.pause(0.1)
            assert app.queue.table.get_row_index(ref) >= 0  # and the queue lists it

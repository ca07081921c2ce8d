"""A typhoon night on PostgreSQL (issue 24): a storm of other terminals' writes reaches the desk
in a few coalesced updates, never more than one waiting in the UI's queue, and the desk is exactly
current soon after the last write; whatever it has opened, it holds at most its pool's two
connections and the LISTEN one on the server, each named."""

from __future__ import annotations

import asyncio
import time

import pg
import pytest
from sqlalchemy.engine import make_url
from ui_helpers import settle

from liyuan_tui.store.engine import APPLICATION
from liyuan_tui.widgets.messages import RequestsChanged

STORM = 40


@pytest.fixture
def engine_name() -> str:
    return "postgresql"


def watch_the_queue(app) -> dict[str, int]:
    """How many updates the poller handed the UI, and the most that waited at once."""
    seen = {"posted": 0, "waiting": 0, "most": 0}
    post, taken = app.post_message, app.poller.taken

    def counted_post(message):
        if isinstance(message, RequestsChanged):
            seen["posted"] += 1
            seen["waiting"] += 1
            seen["most"] = max(seen["most"], seen["waiting"])
        return post(message)

    def counted_taken():
        seen["waiting"] -= 1
        taken()

    app.post_message, app.poller.taken = counted_post, counted_taken
    return seen


@pytest.mark.slow  # the real poller thread, in real time
async def test_a_storm_of_writes_arrives_coalesced_and_the_desk_is_current_at_once(make_app, staff):
    app = make_app("ann", poll_interval=1.0)
    other = staff["cs_supervisor"]
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await pilot.pause(0.3)
        seen = watch_the_queue(app)
        refs = []

        def storm():
            for i in range(STORM):
                refs.append(
                    other.intake.create_request(category="B", unit=f"9-{i}", phone="123", complete=True).ref
                )

        await asyncio.wait_for(asyncio.to_thread(storm), timeout=120)
        done = time.monotonic()
        while not all(ref in app.requests for ref in refs):
            assert time.monotonic() - done < 2, "the desk fell behind the storm"
            await asyncio.sleep(0.01)
        assert seen["most"] <= 1  # never two updates queued for the UI
        assert seen["posted"] < STORM / 2  # coalesced: not one update per write


@pytest.mark.slow
async def test_a_desk_holds_at_most_three_named_connections(make_app, staff, db_url):
    app = make_app("ann", poll_interval=1.0)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        for st in staff.values():
            st.close()  # (the other terminals' pools: only the desk's connections remain)
        reads = [asyncio.to_thread(app.store.lookup.open_requests) for _ in range(6)]
        await asyncio.wait_for(asyncio.gather(*reads), timeout=60)
        await pilot.pause(0.3)
        database = make_url(db_url).database
        with pg.admin_connection() as conn:
            names = [
                row[0]
                for row in conn.execute(
                    "SELECT application_name FROM pg_stat_activity WHERE datname = %s", (database,)
                )
            ]
    assert names and all(name == APPLICATION for name in names), names
    assert len(names) <= 3, names  # two from the pool, one listening

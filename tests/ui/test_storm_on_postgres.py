"""A typhoon night on PostgreSQL (issue 24): a storm of other terminals' writes reaches the desk
in a few coalesced updates, never more than one waiting in the UI's queue, and the desk is exactly
current soon after the last write; whatever it has opened, it holds at most two connections on
the server (its pool's one and the LISTEN one), each named."""

from __future__ import annotations

import asyncio
import threading
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


@pytest.mark.e2e  # the real poller thread, in real time
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


# What the desk opens on its way through a night (each key a screen reading through the store).
PAGES = ("n", "enter", "w", "v", "j", "h", "ctrl+r")


class Counting:
    """The most connections to `database` seen at once, counted every few milliseconds (a
    connection the pool opens for a moment and closes again counts too)."""

    def __init__(self, database: str) -> None:
        self.database, self.most, self.names = database, 0, set()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._count, daemon=True)

    def _count(self) -> None:
        with pg.admin_connection() as conn:
            while not self._stop.wait(0.003):
                rows = conn.execute(
                    "SELECT application_name FROM pg_stat_activity WHERE datname = %s"
                    " AND backend_type = 'client backend' AND pid <> pg_backend_pid()",
                    (self.database,),
                ).fetchall()
                self.most = max(self.most, len(rows))
                self.names |= {row[0] for row in rows}

    def __enter__(self) -> Counting:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=10)


@pytest.mark.e2e
async def test_a_desk_holds_at_most_two_named_connections_whatever_it_opened(make_app, staff, db_url):
    staff["assistant"].intake.create_request(category="B", unit="1-101", phone="123", complete=True)
    app = make_app("sup", poll_interval=1.0)  # (the real poller thread, LISTENing)
    database = make_url(db_url).database
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        for st in staff.values():
            st.close()  # (the other terminals' pools: only the desk's connections remain)
        with Counting(database) as seen:
            for key in PAGES:
                before = type(app.screen)
                await pilot.press(key)
                await settle(pilot)
                assert type(app.screen) is not before, key  # the page opened, and read what it shows
                if key == "n":
                    await pilot.press("b", "1", *"3-303", "tab")  # the intake form: a category, a unit
                    await settle(pilot)
                await pilot.press("escape")
                await settle(pilot)
            # Reads at once from six threads beside the poller: each waits its turn, none is refused.
            reads = [
                asyncio.to_thread(lambda: [app.store.lookup.open_requests() for _ in range(5)])
                for _ in range(6)
            ]
            app.poller.poke()
            await asyncio.wait_for(asyncio.gather(*reads), timeout=60)
            await pilot.pause(0.3)
    assert seen.names == {APPLICATION}, seen.names
    assert 0 < seen.most <= 2, seen.most  # the pool's one, and the LISTEN one

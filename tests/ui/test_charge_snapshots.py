"""Snapshots of paid services in Chinese and English, on a fixed night (FakeClock, fixed size):
a repair with two charges on its request screen, and the charge dialog."""

from __future__ import annotations

from datetime import timedelta

import pytest
from test_snapshots import SIZES
from ui_helpers import press_keys


@pytest.fixture
def repair_with_charges(staff, clock):
    """A leaking kitchen pipe at 21:35, replied to, the repairer sent, two paid services charged."""
    desk = staff["assistant"]
    start = clock.now()
    clock.set(start - timedelta(minutes=25))
    ref = desk.intake.create_request(
        category="repair",
        unit="5栋0803",
        phone="13911110803",
        requester_name="吴太太",
        description="厨房水管漏水,地上有积水",
        complete=True,
    ).ref
    clock.set(start - timedelta(minutes=22))
    desk.lifecycle.mark_replied(ref)
    desk.lifecycle.tick_step(ref, "fault", value="厨房水管接头漏水")
    desk.lifecycle.tick_step(ref, "dispatch", value="工程部 老杨")
    clock.set(start - timedelta(minutes=5))
    desk.charges.add_charge(ref, "pipe_leak")
    desk.charges.add_charge(ref, "labour", qty=1.5)
    clock.set(start)
    return ref


# Each screen state and the keys that reach it from the queue ("settle" waits for the database).
STATES = {
    "request_charges": ["enter"],  # the only open request
    "charge_dialog": ["enter", "settle", "p", "settle", "down", "down", "down", "enter", "2"],
}


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("state", list(STATES))
def test_screen(snap_compare, make_app, repair_with_charges, state, size, lang):
    async def run_before(pilot):
        await press_keys(pilot, STATES[state])

    assert snap_compare(make_app("ann", lang=lang), terminal_size=SIZES[size], run_before=run_before)

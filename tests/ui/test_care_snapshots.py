"""Snapshots of the back office's screens in Chinese and English at 80×24 and 120×40: the
follow-ups owed, a household file, the scorecard (FakeClock, fixed data)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from backoffice_helpers import close_repair, log_repair
from ui_helpers import press_keys

SIZES = {"80x24": (80, 24), "120x40": (120, 40)}


@pytest.fixture
def back_office(staff, clock):
    """Three repairs closed over the last days (one of them a repeat, one call missed), a household
    with an elderly resident living alone, a course and an assessment."""
    desk, sup = staff["assistant"], staff["cs_supervisor"]
    start = clock.now()
    clock.set(start - timedelta(days=6))
    first = close_repair(desk, log_repair(desk, unit="3栋1202", description="卫生间地漏堵塞").ref).ref
    clock.set(start - timedelta(days=5))
    close_repair(desk, log_repair(desk, unit="5栋0803", kind="electric", description="客厅插座没电").ref)
    clock.set(start - timedelta(days=4))
    again = close_repair(desk, log_repair(desk, unit="3栋1202", description="卫生间又漏水").ref).ref
    clock.set(start - timedelta(days=2))
    desk.followups.record(first, reached="yes", score=4, solved="yes", note="已修好")
    desk.followups.record(again, reached="no", note="无人接听")
    desk.households.edit(
        "3栋1202",
        elderly_alone="yes",
        language="粤语",
        emergency_name="张先生",
        emergency_relation="儿子",
        emergency_phone="13922221202",
        notes="老人耳背,敲门要大声",
    )
    desk.households.edit("3栋1202", person="张阿姨", relation="户主", phones="13911111202")
    sup.staff_records.assess("ann", month="2026-11", score=88, note="回复及时")
    clock.set(start)


STATES = {
    "followups": ("ann", ["v"]),
    "household": ("ann", ["v", "settle", "down", "u"]),  # the second row: 3栋1202
    "scorecard": ("sup", []),  # from the palette (its name differs by language): run as the palette would
}


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("state", list(STATES))
def test_screen(snap_compare, make_app, back_office, state, lang, size):
    login, keys = STATES[state]

    async def run_before(pilot):
        if state == "scorecard":
            await pilot.app.run_action("scorecard")
        await press_keys(pilot, keys)

    assert snap_compare(make_app(login, lang=lang), terminal_size=SIZES[size], run_before=run_before)

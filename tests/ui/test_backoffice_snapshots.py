"""Snapshots of the back office's screens — the work orders, one order, the stock, the tools — in
Chinese and English, at 80×24 (a laptop's SSH window) and 120×40, on a fixed night (FakeClock)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from ui_helpers import press_keys, settle


@pytest.fixture
def workshop(staff, clock):
    """22:00: four repairs with work orders — one late to arrive, one on site, one waiting for
    parts with an appointment tomorrow, one just dispatched; materials and tools in use."""
    desk, sup, tech = staff["assistant"], staff["cs_supervisor"], staff["technician"]
    start = clock.now()
    for code, name, unit, price, qty in (
        ("PIPE20", "PPR管 20mm", "米", "12.5", "24"),
        ("TAPE", "生料带", "卷", "3", "30"),
        ("VALVE", "角阀", "个", "28.8", "6"),
        ("BULB", "LED灯泡 9W", "个", "9.9", "0"),
    ):
        sup.stock.add_material(code, name, unit, price=price)
        if qty != "0":
            sup.stock.receive(code, qty)
    for code, name in (("T01", "管钳 18寸"), ("T02", "冲击电钻"), ("T03", "人字梯 2米"), ("T04", "万用表")):
        sup.tools.add_tool(code, name)

    def repair(minutes_ago: int, unit: str, name: str, text: str) -> str:
        clock.set(start - timedelta(minutes=minutes_ago))
        ref = desk.intake.create_request(
            category="repair",
            unit=unit,
            phone="13911110803",
            requester_name=name,
            description=text,
            complete=True,
        ).ref
        desk.lifecycle.mark_replied(ref)
        return ref

    late = desk.orders.create(repair(50, "5栋0803", "吴太太", "厨房水管漏水"), "tech", note="带管钳和生料带")
    sup.tools.issue("T01", "tech", order=late.number, due=start - timedelta(minutes=5))
    site = desk.orders.create(repair(40, "3栋1202", "张先生", "卫生间灯不亮"), "eng")
    clock.set(start - timedelta(minutes=25))
    staff["dept_staff"].orders.arrive(site.number)
    staff["dept_staff"].stock.use("TAPE", "1", order=site.number)
    parts = desk.orders.create(
        repair(30, "7栋0101", "黄伯", "角阀滴水"), "tech", appointment=start + timedelta(hours=12)
    )
    clock.set(start - timedelta(minutes=20))
    tech.orders.wait(parts.number, "缺角阀,明早领料")
    sup.tools.issue("T02", "eng", due=start + timedelta(hours=2))
    desk.orders.create(repair(5, "地下车库 B2", "物业", "车库排水沟堵塞"), "tech")
    clock.set(start)
    return late.number


# Each screen and the keys that reach it from the queue ("settle" waits for the database).
STATES = {
    "orders": ["w"],
    "order": ["w", "settle", "enter"],  # the late order is on top
    "stock": ["action:stock"],
    "tools": ["action:tools"],
    # T03 (in the store room): no order, no time, then whom (the picker dispatch uses)
    "tool_whom": ["action:tools", "settle", "down", "down", "i", "enter", "enter", "settle"],
}


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("state", list(STATES))
def test_screen(snap_compare, make_app, workshop, state, lang, size):
    async def run_before(pilot):
        keys = STATES[state]
        if keys[0].startswith("action:"):
            await settle(pilot)
            await pilot.app.run_action(keys[0].split(":", 1)[1])
            keys = keys[1:]
        await press_keys(pilot, keys)

    assert snap_compare(make_app("sup", lang=lang), terminal_size=size, run_before=run_before)

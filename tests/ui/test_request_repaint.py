"""The request screen at 80×24: its timeline shows the newest events. (What it sends to a real
terminal, beside the queue, is tests/bench/test_request_screen_bench.py, small in the suite.)"""

from __future__ import annotations

from ui_helpers import settle


async def test_at_80x24_the_timeline_shows_the_newest_events(make_app, desk):
    ref = desk.intake.create_request(category="repair", unit="5-0803", phone="139", complete=True).ref
    for n in range(12):
        desk.lifecycle.escalate(ref, note=f"第 {n} 次") if n == 0 else desk.charges.add_charge(ref, "drain")
    desk.lifecycle.mark_replied(ref)
    app = make_app("ann", lang="zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        pane = app.screen.query_one("#timeline-pane")
        assert pane.max_scroll_y > 0 and pane.scroll_y == pane.max_scroll_y  # the newest in view

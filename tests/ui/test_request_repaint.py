"""The request screen repaints what changed: its countdown once a second, not every row (a hidden
queue's ticking cells made Textual repaint the whole screen on top: 15 KB/s at 120×40, 6 KB/s at
80×24, the queue itself 330 B/s). Measured on a real terminal beside the queue in the same run
(tests/bench/test_request_screen_bench.py at a small size); at 80×24 the timeline shows the newest."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from test_request_screen_bench import repaint_rates
from ui_helpers import settle


@pytest.mark.slow
@pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=["120x40", "80x24"])
def test_the_request_screen_sends_no_more_than_the_queue(tmp_path, size):
    rates = repaint_rates(tmp_path, size, open_count=5, seconds=3.0)
    queue, request, closed = rates["queue"], rates["request"], rates["closed"]
    assert request <= max(2 * queue, 1024), rates  # a countdown's worth, not the screen
    assert closed <= max(queue, 512), rates  # a closed request has nothing ticking


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

"""The queue keeps its promises: `!` major always on top, the cursor on the request it was on
when an urgent one arrives above it, search results reached with ↓, the header after a reply."""

from __future__ import annotations

from datetime import timedelta

from screens_import import RequestScreen, SearchScreen
from ui_helpers import settle


async def test_the_cursor_follows_its_request_when_an_urgent_one_arrives_above(make_app, desk, staff, clock):
    desk.intake.create_request(category="repair", unit="5-0803", phone="139", complete=True)
    clock.advance(60)
    second = desk.intake.create_request(category="other", unit="1-0301", phone="139", complete=True).ref
    app = make_app("ann", lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        table = app.queue.table
        await pilot.press("down")
        assert table.current_ref == second
        # Another terminal logs a major case: it goes on top, the cursor stays with `second`.
        urgent = (
            staff["security_lead"]
            .intake.create_request(category="security", unit="B2", phone="138", major=True, complete=True)
            .ref
        )
        await settle(pilot)
        assert table.keys[0] == urgent
        assert table.current_ref == second and table.cursor_row == table.get_row_index(second)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, RequestScreen) and app.screen.ref == second


async def test_a_major_request_is_on_top_of_every_queue_even_above_escalated_overdue_ones(
    make_app, desk, clock
):
    start = clock.now()
    clock.set(start - timedelta(minutes=30))
    late = desk.intake.create_request(category="repair", unit="5-0803", phone="139", complete=True).ref
    desk.lifecycle.escalate(late)
    clock.set(start)
    major = desk.intake.create_request(
        category="complaint", unit="7-0602", phone="137", major=True, complete=True
    ).ref
    for login in ("ann", "sup", "mgr", "lead"):
        app = make_app(login, lang="en")
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            assert app.queue.table.keys[0] == major, login
            assert app.queue.table.keys.index(late) > 0


async def test_search_results_are_reached_with_down(make_app, desk):
    ref = desk.intake.create_request(category="repair", unit="5-0803", phone="139", complete=True).ref
    app = make_app("ann", lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"5-08")
        await settle(pilot)
        assert isinstance(app.screen, SearchScreen)
        await pilot.press("down")
        results = app.screen.query_one("#results")
        assert app.focused is results and results.highlighted_option.id == ref
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, RequestScreen) and app.screen.ref == ref


async def test_after_the_reply_the_header_says_when_not_a_frozen_countdown(make_app, desk, clock):
    desk.intake.create_request(category="repair", unit="5-0803", phone="139", complete=True)
    app = make_app("ann", lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        clock.advance(87)
        await pilot.press("r", "enter")  # replied (what was said left empty)
        await settle(pilot)
        text = str(app.screen.query_one("#request-countdown").render())
        assert "Replied 22:01, took 01:27" in text
        assert "Reply in" not in text and "replied" not in text.replace("Replied", "")

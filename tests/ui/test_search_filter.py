"""Finding requests: `/` search (closed ones too, then reopen), and `f` filters."""

from __future__ import annotations

from screens_import import AskScreen, PickScreen, RequestScreen, SearchScreen
from ui_helpers import advance, settle

from liyuan_tui.cli.demo import finish_required


async def test_search_finds_a_closed_request_which_can_be_reopened(make_app, desk):
    ref = desk.intake.create_request(
        category="other", unit="B8-1106", phone="13911111106", requester_name="Chen", complete=True
    ).ref
    desk.lifecycle.mark_replied(ref)
    finish_required(desk, ref)  # whatever the site's procedure for "other" asks
    desk.lifecycle.close_request(ref, "kept at the gate")
    app = make_app("ann", lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.queue.table.row_count == 0
        await pilot.press("slash")
        await settle(pilot)
        assert isinstance(app.screen, SearchScreen)
        await pilot.press(*"Chen")
        await settle(pilot)
        await pilot.press("enter", "enter")  # to the results, then open the first
        await settle(pilot)
        assert isinstance(app.screen, RequestScreen) and app.screen.ref == ref
        await pilot.press("o")
        await settle(pilot)
        assert isinstance(app.screen, AskScreen)
        await pilot.press(*"resident called again", "enter")
        await settle(pilot)
        assert desk.lookup.get_request(ref).status == "replied"
        await pilot.press("escape")
        await settle(pilot)
        assert app.queue.table.keys == [ref]


async def test_filters_show_mine_overdue_or_one_category(make_app, desk, staff, clock):
    mine = desk.intake.create_request(category="repair", unit="A1", phone="13900000000", complete=True).ref
    advance(clock, minutes=5)
    theirs = (
        staff["security_lead"]
        .intake.create_request(category="security", unit="B2", phone="13900000001", complete=True)
        .ref
    )
    advance(clock, minutes=6)  # the first is overdue now, the second is not
    app = make_app("ann", lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        table = app.queue.table
        assert set(table.keys) == {mine, theirs}

        await pilot.press("f")  # one key between "mine" and "all"
        await settle(pilot)
        assert table.keys == [mine]
        await pilot.press("f")
        await settle(pilot)
        assert set(table.keys) == {mine, theirs}

        async def choose(value: str) -> None:
            await pilot.press("F")
            await settle(pilot)
            assert isinstance(app.screen, PickScreen)
            values = [v for v, _ in app.screen.choices]
            await pilot.press("home", *["down"] * values.index(value), "enter")
            await settle(pilot)

        await choose("mine")
        assert table.keys == [mine]
        await choose("overdue")
        assert table.keys == [mine]
        await choose("category:security")
        assert table.keys == [theirs]
        assert "Security" in str(app.queue.counts.render())
        await choose("all")
        assert set(table.keys) == {mine, theirs}

"""The back office at the desk, driven by keys: a follow-up call that finds the problem not solved
reopens the request (and it is back in the queue); intake shows an elderly-living-alone flag and
the unit's last requests as soon as the unit is known, and marks a repeat repair; the household
file from the request screen; the scorecard for supervisors only."""

from __future__ import annotations

import pytest
from backoffice_helpers import close_repair, log_repair
from textual.widgets import DataTable
from ui_helpers import keys_here, settle
from walking import shown_text

from liyuan_tui.widgets.household_panel import HouseholdPanel

UNIT = "3栋1202"


async def test_a_follow_up_call_that_finds_it_not_solved_reopens_the_request(make_app, desk, clock):
    ref = close_repair(desk, log_repair(desk).ref).ref
    clock.advance(86400 * 4)  # a day overdue
    app = make_app("ann")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert ref not in app.requests
        await pilot.press("v")
        await settle(pilot)
        table = app.screen.query_one("#followups-table", DataTable)
        assert table.row_count == 1 and "逾期" in shown_text(app.screen.query_one("#followups-bar"))
        await pilot.press("enter")  # the call on the highlighted (most overdue) one
        await settle(pilot)
        await pilot.press("y", "2", "n")  # reached, satisfaction 2, not solved
        assert "重新打开" in shown_text(app.screen.query_one("#followup-warning"))
        await pilot.press(*"还在漏水", "enter")
        await settle(pilot)
        req = desk.lookup.get_request(ref)
        assert req.status == "replied" and req.closed_at is None
        assert ref in app.requests  # back in the queue at once
        assert table.row_count == 0  # nothing owed any more
        followups = desk.lookup.detail(ref).followups
        assert [(f.reached, f.score, f.solved, f.note) for f in followups] == [(True, 2, False, "还在漏水")]


async def test_intake_shows_an_elderly_person_living_alone_as_soon_as_the_unit_is_known(
    make_app, desk, staff
):
    desk.households.edit(UNIT, elderly_alone="yes", person="张阿姨", relation="户主", phones="13911111202")
    earlier = close_repair(desk, log_repair(desk, unit=UNIT, description="卫生间漏水").ref).ref
    app = make_app("ann")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        panel = app.screen.query_one(HouseholdPanel)
        assert not panel.display  # nothing known yet
        await pilot.press("b", "1", *UNIT, "tab")  # repair, by phone, the unit — left with tab
        await settle(pilot)
        text = shown_text(panel)
        assert panel.display and "独居老人" in text and earlier in text and "档案成员 1 人" in text
        assert panel.has_class("-flagged")
        # the kind of fault, last in the form: the same kind as the earlier repair makes it a repeat
        app.screen.query_one("#fault_kind").focus()
        await pilot.press("1")
        await settle(pilot)
        assert "二次维修" in shown_text(panel) and earlier in shown_text(panel)


async def test_the_household_file_from_the_request_screen(make_app, desk):
    desk.households.edit(
        UNIT, disability="yes", language="粤语", emergency_name="张先生", emergency_phone="139"
    )
    ref = log_repair(desk, unit=UNIT).ref
    app = make_app("ann", lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_request(ref)
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        flags = shown_text(app.screen.query_one("#household-flags"))
        assert "disability" in flags and "language: 粤语" in flags
        assert "张先生" in shown_text(app.screen.query_one("#household-info"))
        assert app.screen.query_one("#household-history", DataTable).row_count == 1
        await pilot.press("enter")  # the request of the highlighted line
        await settle(pilot)
        assert getattr(app.screen, "ref", None) == ref


@pytest.mark.parametrize("login, sees", [("sup", True), ("ann", False)])
async def test_the_scorecard_is_for_supervisors(make_app, desk, login, sees):
    close_repair(desk, log_repair(desk).ref)
    app = make_app(login, lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await app.run_action("scorecard")
        await settle(pilot)
        body = "\n".join(shown_text(w) for w in app.screen.query("#scorecard-body Static") if w.display)
        assert ("Requests taken" in body) is sees
        assert ("supervisors and the manager" in body) is not sees


async def test_the_household_file_from_the_palette_edited_by_keys(make_app, desk):
    app = make_app("ann", lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await app.run_action("find_household")  # the palette's "Household file…"
        await pilot.press(*UNIT, "enter")
        await settle(pilot)
        assert "No flags" in shown_text(app.screen.query_one("#household-flags"))
        await pilot.press("e")
        await settle(pilot)
        await pilot.press("space")  # an elderly person living alone
        app.screen.query_one("#person").focus()
        await pilot.press(*"张阿姨", "tab", *"户主", "tab", *"13911111202", "enter")
        await settle(pilot)
        assert "elderly living alone" in shown_text(app.screen.query_one("#household-flags"))
        f = desk.households.household(UNIT)
        assert f.flags == ["elderly_alone"] and [(p.name, p.relation) for p in f.people] == [
            ("张阿姨", "户主")
        ]


async def test_a_guard_cannot_edit_the_household_file(make_app, desk):
    desk.households.edit(UNIT, elderly_alone="yes", notes="钥匙在邻居家")
    app = make_app("gd", lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_household(UNIT)
        await settle(pilot)
        assert "edit_household" not in keys_here(app.screen)
        assert "钥匙" not in shown_text(app.screen.query_one("#household-info"))
        assert "elderly living alone" in shown_text(app.screen.query_one("#household-flags"))


@pytest.mark.parametrize("speed", ["pilot", "burst"])
async def test_a_follow_up_call_typed_at_full_speed_keeps_every_key(make_app, desk, clock, speed):
    """`v`, enter, `y 3 y`, a note, enter, typed without pauses: once every key after the first
    choice was lost."""
    from ui_helpers import type_fast

    ref = close_repair(desk, log_repair(desk).ref).ref
    clock.advance(86400 * 4)
    app = make_app("ann")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        keys = ["y", "3", "y", *"好了", "enter"]
        await (type_fast(pilot, *keys) if speed == "burst" else pilot.press(*keys))
        await settle(pilot)
        followups = desk.lookup.detail(ref).followups
        assert [(f.reached, f.score, f.solved, f.note) for f in followups] == [(True, 3, True, "好了")]

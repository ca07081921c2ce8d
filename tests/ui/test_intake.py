"""The intake form: fields saved as they are left, errors on the field in the user's language, and
a draft that survives the terminal being killed."""

from __future__ import annotations

import time

import pytest
from pty_app import PtyApp
from screens_import import IntakeScreen, RequestScreen
from ui_helpers import settle

from liyuan_tui.widgets.choice_bar import ChoiceBar


@pytest.mark.parametrize("lang, expected", [("zh", "不是有效的电话号码"), ("en", "is not a phone number")])
async def test_a_bad_phone_is_shown_on_its_field_and_nothing_is_written(make_app, desk, lang, expected):
    app = make_app("ann", lang=lang)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        ref = app.screen.ref
        await pilot.press("b", "1")
        await pilot.press("tab")  # past the unit, to the phone
        await pilot.press(*"12ab")
        await pilot.press("tab")
        await settle(pilot)
        error = app.screen.query_one("#error-phone")
        assert error.display and expected in str(error.render())
        assert app.screen.query_one("#phone").has_class("-refused")
        assert desk.lookup.get_request(ref).phone == ""
        # Corrected, the error goes and the value is saved.
        await pilot.click("#phone")
        await pilot.press("end", *["backspace"] * 4, *"13800138000", "tab")
        await settle(pilot)
        assert not app.screen.query_one("#error-phone").display
        assert desk.lookup.get_request(ref).phone == "13800138000"


async def test_done_needs_a_category(make_app):
    app = make_app("ann", lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, IntakeScreen)
        assert "choose a category first" in str(app.screen.query_one("#error-category").render())


async def test_unit_suggestions_come_from_the_resident_archive(make_app, supervisor):
    supervisor.archive.add_resident("B3-1202", "Zhang", "13922221202")
    supervisor.archive.add_resident("B3-1203", "He", "13911111203")
    app = make_app("ann", lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        ref = app.screen.ref
        await pilot.press("a", "1", *"B3-120")
        await settle(pilot)  # the look-up runs in the field's worker
        shown = str(app.screen.query_one("#unit-residents").render())
        assert "B3-1202  Zhang" in shown and "B3-1203  He" in shown
        await pilot.press("2", "tab")  # exactly one resident: name and phone are filled from the archive
        await settle(pilot)
        req = app.store.lookup.get_request(ref)
        assert (req.unit, req.requester_name, req.phone) == ("B3-1202", "Zhang", "13922221202")


@pytest.mark.e2e
def test_a_request_half_filled_when_the_app_is_killed_is_there_on_restart(db_path, cli_env, desk, make_app):
    """The real program in a terminal, killed with SIGKILL mid-form; then opened again."""
    term = PtyApp(["--user", "ann"], cli_env)
    try:
        term.wait_for_output("n ", timeout=30)  # the footer is up
        time.sleep(0.5)
        term.send("n")
        deadline = time.monotonic() + 10
        while not desk.lookup.open_requests() and time.monotonic() < deadline:
            time.sleep(0.05)
        [draft] = desk.lookup.open_requests()
        time.sleep(0.5)
        term.send("b")  # repair: saved at once
        deadline = time.monotonic() + 10
        while desk.lookup.get_request(draft.ref).category != "repair" and time.monotonic() < deadline:
            time.sleep(0.05)
        for key in "1B5-0803\t":  # channel, then the unit, left with tab; typed, not pasted
            term.send(key)
            time.sleep(0.05)
        deadline = time.monotonic() + 10
        while desk.lookup.get_request(draft.ref).unit != "B5-0803" and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        term.kill()
    assert term.proc.returncode == -9
    saved = desk.lookup.get_request(draft.ref)
    assert (saved.category, saved.unit, saved.phone) == ("repair", "B5-0803", "")

    import asyncio

    async def resume() -> None:
        app = make_app("ann", lang="en")
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            assert app.queue.table.keys == [draft.ref]
            await pilot.press("enter")  # a draft opens in the form, as it was left
            await settle(pilot)
            form = app.screen
            assert isinstance(form, IntakeScreen)
            assert form.query_one("#category", ChoiceBar).value == "repair"
            assert form.query_one("#unit").value == "B5-0803"
            await pilot.click("#phone")
            await pilot.press(*"13911110803", "tab")
            await settle(pilot)
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert isinstance(app.screen, RequestScreen)

    asyncio.run(resume())
    assert desk.lookup.get_request(draft.ref).phone == "13911110803"


async def test_a_resident_look_up_that_fails_leaves_the_form_open_and_the_unit_typed(make_app, monkeypatch):
    """The archive read while a unit is typed (a database busy too long, a server gone) is a hint:
    when it fails there is no hint, and the desk stays up with what was typed."""
    from liyuan_tui.domain.errors import DeskError

    app = make_app("ann", lang="en")

    def busy(text: str, limit: int = 5):
        raise DeskError("error.database", path="test.db", reason="database is locked")

    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        monkeypatch.setattr(app.store.archive, "residents_matching", busy)
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("a", "1", *"B3-120")
        await settle(pilot)
        assert app.is_running and isinstance(app.screen, IntakeScreen)
        assert app.screen.query_one("#unit").value == "B3-120"
        assert not app.screen.query_one("#unit-residents").display

"""`esc` on a form whose field the store refused always leaves: asked once, every other field kept
on record (once it did nothing at all, though the footer said "esc Back")."""

from __future__ import annotations

from screens_import import ConfirmScreen, IntakeScreen, QueueScreen
from ui_helpers import settle


async def test_esc_with_a_refused_field_asks_once_then_leaves(make_app, desk):
    app = make_app("ann", lang="zh")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        ref = app.screen.ref
        await pilot.press("b", "tab", *"5-0803", "tab", *"not-a-phone")  # the phone will be refused
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)  # not stuck: asked once
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, QueueScreen)
        req = desk.lookup.get_request(ref)
        assert req.unit == "5-0803" and req.phone == ""  # the rest kept; the refused text cannot be


async def test_no_stays_on_the_refused_field(make_app, desk):
    app = make_app("ann", lang="zh")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("b", "tab", *"5-0803", "tab", *"not-a-phone", "escape")
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, IntakeScreen)

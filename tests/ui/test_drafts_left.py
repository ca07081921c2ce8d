"""Leaving the form: a draft nobody typed into (`n`, a category, `esc`) is voided, as `n`+`esc`
is — it would otherwise run its clock and escalate; a draft left with something in it but no
unit is marked as a draft in the queue; a void's reason is offered and what is typed goes after it."""

from __future__ import annotations

from screens_import import IntakeScreen
from ui_helpers import settle


async def test_a_category_and_esc_voids_the_draft(make_app, desk):
    app = make_app("ann")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, IntakeScreen)
        ref = app.screen.ref
        await pilot.press("b", "escape")
        await settle(pilot)
        assert desk.lookup.get_request(ref).status == "cancelled"
        assert ref not in app.queue.table.keys


async def test_a_draft_without_a_unit_is_marked_in_the_queue(make_app, desk):
    draft = desk.intake.create_request()
    desk.intake.update_fields(draft.ref, category="B", description="漏水")
    app = make_app("ann")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        row = app.queue.table.get_row(draft.ref)
        assert any("草稿" in str(cell) for cell in row)


async def test_the_void_reason_is_offered_and_what_is_typed_goes_after_it(make_app, desk):
    app = make_app("ann")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        ref = app.screen.ref
        await pilot.press("b", "tab", *"5-0803")  # something typed: not a blank draft
        await pilot.press("ctrl+t")  # void
        await settle(pilot)
        await pilot.press(*"重复登记", "enter")
        await settle(pilot)
        req = desk.lookup.get_request(ref)
        assert req.status == "cancelled"
        cancelled = [e for e in desk.lookup.detail(ref).events if e.kind == "cancelled"]
        assert "登记有误;重复登记" in cancelled[-1].payload

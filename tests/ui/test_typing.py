"""Nothing typed is lost: keys at full speed land in the field they were meant for, a pasted
description keeps its lines, a refused field keeps the form open on it with the text as typed,
and a form left blank voids its draft instead of leaving a clock running on nothing."""

from __future__ import annotations

import pytest
from screens_import import AskScreen, IntakeScreen, QueueScreen, RequestScreen
from textual.widgets import Input, TextArea
from ui_helpers import advance, handled, paste, settle, type_fast

FIELDS = ["b", "1", *"B5-0803", "tab", *"13900139000", "tab", *"Mr Wu", "tab", *"Kitchen pipe leaking"]


async def new_form(app, pilot) -> str:
    await settle(pilot)
    await pilot.press("n")
    await settle(pilot)
    assert isinstance(app.screen, IntakeScreen)
    return app.screen.ref


@pytest.mark.parametrize("speed", ["pilot", "burst"])
async def test_every_field_typed_at_full_speed_lands_in_its_own_field(make_app, desk, speed):
    """A phone, tab, a name, tab, a description typed without pauses once stored
    `13900139000Mr WuKitchen pipe leaking` as the phone: each field must get its own keys."""
    app = make_app("ann", lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        ref = await new_form(app, pilot)
        keys = [*FIELDS, "ctrl+s"]
        await (type_fast(pilot, *keys) if speed == "burst" else pilot.press(*keys))
        await settle(pilot)
        assert isinstance(app.screen, RequestScreen), app.screen
    req = desk.lookup.get_request(ref)
    assert (req.category, req.channel, req.unit, req.phone, req.requester_name, req.description) == (
        "repair",
        "phone",
        "B5-0803",
        "13900139000",
        "Mr Wu",
        "Kitchen pipe leaking",
    )


async def test_n_and_the_whole_form_in_one_burst(make_app, desk):
    """`n`, and the whole form typed the moment it opens, before any field has been written.
    (The form opens once the draft exists: keys typed before that go to the queue, as they always
    did. The burst waits for that worker, not for a length of time, which a loaded machine broke.)"""
    app = make_app("ann", lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await type_fast(pilot, "n")
        await app.workers.wait_for_complete()  # the draft is written …
        await handled(app)  # … and the form is open, laid out
        await pilot.pause()
        assert isinstance(app.screen, IntakeScreen)
        await type_fast(pilot, *FIELDS)
        await settle(pilot)
        await type_fast(pilot, "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, RequestScreen), app.screen
        ref = app.screen.ref
    req = desk.lookup.get_request(ref)
    assert (req.unit, req.phone, req.requester_name, req.description) == (
        "B5-0803",
        "13900139000",
        "Mr Wu",
        "Kitchen pipe leaking",
    )


async def test_a_pasted_description_keeps_every_line(make_app, desk):
    text = "Kitchen pipe leaking under the sink\nwater on the floor\nneighbour below says ceiling is wet"
    app = make_app("ann", lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        ref = await new_form(app, pilot)
        await type_fast(pilot, "b", "1", *"B5-0803", "tab", *"13900139000", "tab", "tab")
        assert app.focused is app.screen.query_one("#description", TextArea)
        await paste(pilot, text)
        await type_fast(pilot, "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, RequestScreen)
    assert desk.lookup.get_request(ref).description == text


async def test_a_paste_into_a_one_line_field_keeps_all_of_it(make_app, desk):
    app = make_app("ann", lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        ref = await new_form(app, pilot)
        await type_fast(pilot, "b", "1")
        await paste(pilot, "Building 5\n0803")
        await type_fast(pilot, "tab")
        await settle(pilot)
    assert desk.lookup.get_request(ref).unit == "Building 5 0803"


@pytest.mark.parametrize("speed", ["pilot", "burst"])
async def test_ctrl_s_with_a_refused_phone_stays_on_the_phone_with_the_text_kept(make_app, desk, speed):
    app = make_app("ann", lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        ref = await new_form(app, pilot)
        keys = ["b", "1", *"B5-0803", "tab", *"139 0013 900O", "tab", *"Mr Wu", "ctrl+s"]
        await (type_fast(pilot, *keys) if speed == "burst" else pilot.press(*keys))
        await settle(pilot)
        form = app.screen
        assert isinstance(form, IntakeScreen), form
        phone = form.query_one("#phone", Input)
        assert app.focused is phone
        assert phone.value == "139 0013 900O"
        assert phone.has_class("-refused")
        assert "is not a phone number" in str(form.query_one("#error-phone").render())
        assert form.query_one("#requester_name", Input).value == "Mr Wu"
        saved = desk.lookup.get_request(ref)
        assert (saved.unit, saved.phone) == ("B5-0803", "")
        # Corrected, ctrl+s goes on to the checklist with everything on record.
        await pilot.press("end", "backspace", "0", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, RequestScreen)
    req = desk.lookup.get_request(ref)
    assert (req.phone, req.requester_name) == ("13900139000", "Mr Wu")


async def test_n_then_esc_voids_the_blank_request_on_record(make_app, desk, clock):
    app = make_app("ann", lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        ref = await new_form(app, pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, QueueScreen)
        assert ref not in app.requests
    req = desk.lookup.get_request(ref)
    assert req.status == "cancelled" and not req.is_open
    assert [e.kind for e in desk.lookup.detail(ref).events] == ["created", "cancelled"]
    advance(clock, minutes=30)  # no clock runs on: nothing escalates, nothing is overdue
    assert desk.ladder.record_deadline_alerts() == []


async def test_esc_after_typing_keeps_the_draft(make_app, desk):
    app = make_app("ann", lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        ref = await new_form(app, pilot)
        await type_fast(pilot, "tab", "tab", *"B5", "escape")
        await settle(pilot)
        assert isinstance(app.screen, QueueScreen)
    req = desk.lookup.get_request(ref)
    assert req.is_open and req.unit == "B5"


async def test_ctrl_t_voids_a_draft_with_the_reason_given(make_app, desk):
    app = make_app("ann", lang="zh")
    async with app.run_test(size=(120, 40)) as pilot:
        ref = await new_form(app, pilot)
        await pilot.press("b", "1", *"B5", "tab")
        await settle(pilot)
        await pilot.press("ctrl+t")
        await settle(pilot)
        assert isinstance(app.screen, AskScreen)
        assert app.screen.query_one("#answer", Input).value == "登记有误;"  # what is typed goes after it
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, QueueScreen)
    detail = desk.lookup.detail(ref)
    assert detail.request.status == "cancelled"
    assert '"reason": "登记有误"' in detail.events[-1].payload


async def test_a_late_draft_read_never_overwrites_what_was_typed(make_app, desk):
    app = make_app("ann", lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        ref = await new_form(app, pilot)
        old = desk.lookup.get_request(ref)
        await type_fast(pilot, "b", "1", *"B5-0803")
        app.screen.fill(old)  # the draft as read before anything was typed, arriving late
        await settle(pilot)
        assert app.screen.query_one("#unit", Input).value == "B5-0803"
        assert app.screen.query_one("#category").value == "repair"

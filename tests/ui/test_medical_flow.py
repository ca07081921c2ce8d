"""A medical emergency from the first ring to the close, driven by keys as the assistant would."""

from __future__ import annotations

import threading

from sqlalchemy import event

from liyuan_tui.widgets.checklist import Checklist
from screens_import import AskScreen, CloseScreen, IntakeScreen, PickScreen, RequestScreen
from ui_helpers import settle


async def type_text(pilot, text: str) -> None:
    await pilot.press(*text)


async def tick_current(pilot, answer: str | None = None) -> None:
    """Enter on the highlighted step; answer its question when it asks one."""
    await pilot.press("enter")
    await settle(pilot)
    if answer is not None:
        assert isinstance(pilot.app.screen, AskScreen)
        await type_text(pilot, answer)
        await pilot.press("enter")
        await settle(pilot)
    assert not isinstance(pilot.app.screen, AskScreen), pilot.app.screen.query_one(".dialog-error").render()


async def test_medical_emergency_with_ambulance_from_intake_to_close(make_app, desk):
    app = make_app("ann")
    loop_thread = threading.current_thread()
    on_loop: list[str] = []

    @event.listens_for(app.store.engine, "before_cursor_execute")
    def _no_io_on_the_event_loop(conn, cursor, statement, *args):
        if threading.current_thread() is loop_thread:
            on_loop.append(statement)

    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        intake = app.screen
        assert isinstance(intake, IntakeScreen)
        ref = intake.ref
        # The request exists (and its clock runs) from the key press, before any field is filled.
        assert desk.lookup.get_request(ref).received_at == app.clock.now()

        await pilot.press("a")  # category A: medical emergency; focus moves on to the channel
        await pilot.press("1")  # channel 1: phone; focus moves on to the unit
        await type_text(pilot, "B3-1202")
        await pilot.press("tab")
        await type_text(pilot, "13800138000")
        await pilot.press("tab")
        await type_text(pilot, "Zhang")
        await pilot.press("tab")
        await settle(pilot)
        saved = desk.lookup.get_request(ref)
        assert (saved.category, saved.channel, saved.unit, saved.phone, saved.requester_name) == (
            "medical", "phone", "B3-1202", "13800138000", "Zhang")

        await pilot.press("ctrl+s")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RequestScreen)
        checklist = screen.query_one(Checklist)
        assert checklist.current.key == "patient_address"
        assert checklist.highlighted_option.id == "patient_address"

        # Address and phone come first, offered from the form; then which help is wanted.
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.query_one("#answer").value == "B3-1202"
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("enter")  # contact phone, offered as typed in the form
        await settle(pilot)
        assert app.screen.query_one("#answer").value == "13800138000"
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("enter")  # which help: ticked, and the branch choice opens
        await settle(pilot)
        assert isinstance(app.screen, PickScreen)
        await pilot.press("down", "enter")  # hospital, [ambulance], care
        await settle(pilot)
        assert desk.lookup.get_request(ref).branch_list == ["ambulance"]
        assert checklist.current.key == "ambulance_condition"

        # Closing now is refused, naming the required steps still open; nothing is written.
        await pilot.press("r")
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, CloseScreen)
        await pilot.press("1")
        await type_text(pilot, "done")
        await pilot.press("enter")
        await settle(pilot)
        error = str(app.screen.query_one(".dialog-error").render())
        assert "ambulance_condition" in error and "ambulance_record" in error
        await pilot.press("escape")
        assert desk.lookup.get_request(ref).status == "replied"

        await tick_current(pilot, "chest pain")
        await tick_current(pilot, "120 confirmed 22:05")
        await tick_current(pilot)  # requester told: staff wait at the entrance
        await tick_current(pilot)  # security lead told
        await tick_current(pilot, "Wang Wei")
        await tick_current(pilot)  # ambulance guided
        await tick_current(pilot)  # lead reported back
        await tick_current(pilot, "met it")
        await tick_current(pilot)  # reported to the supervisor
        proc = app.procedures["medical"]
        done = desk.lookup.detail(ref).steps
        assert not [s.key for s in proc.checklist(["ambulance"], {"ordinary", "oral"})
                    if s.required and s.key not in done]

        await pilot.press("c")
        await settle(pilot)
        await pilot.press("1")
        await type_text(pilot, "to hospital")
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, CloseScreen)

    detail = desk.lookup.detail(ref)
    assert detail.request.status == "closed"
    assert detail.request.outcome == "to hospital"
    assert detail.steps["ambulance_call_120"].value == "120 confirmed 22:05"
    assert detail.steps["ambulance_gate_ready"].value == "Wang Wei"
    assert {r.done_by for r in detail.steps.values()} == {"ann"}
    assert [e.kind for e in detail.events][-1] == "closed"
    assert on_loop == [], f"database work on the event loop: {on_loop[:3]}"

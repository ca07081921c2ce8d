"""A medical emergency from the first ring to the close, driven by keys as the assistant would."""

from __future__ import annotations

import threading

from screens_import import AskScreen, CloseScreen, IntakeScreen, RequestScreen
from sqlalchemy import event
from textual.widgets import Input
from ui_helpers import settle

from liyuan_tui.widgets.checklist import Checklist


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
            "medical",
            "phone",
            "B3-1202",
            "13800138000",
            "Zhang",
        )

        await pilot.press("ctrl+s")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RequestScreen)
        # The address and the phone typed in the form answer the first two steps: not asked again.
        done = desk.lookup.detail(ref).steps
        assert (done["patient_address"].value, done["contact_phone"].value) == ("B3-1202", "13800138000")
        checklist = screen.query_one(Checklist)
        assert checklist.current.key == "ask_help_wanted"
        assert checklist.highlighted_option.id == "ask_help_wanted"

        await pilot.press("2")  # which help: 2, the ambulance (the question is answered with it)
        await settle(pilot)
        assert desk.lookup.get_request(ref).branch_list == ["ambulance"]
        assert "ask_help_wanted" in desk.lookup.detail(ref).steps
        assert checklist.current.key == "ambulance_condition"

        # Closing now is refused (nobody has been replied to yet); nothing is written.
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, CloseScreen)
        await pilot.press("1")
        await type_text(pilot, "done")
        await pilot.press("enter")
        await settle(pilot)
        assert "尚未回复" in str(app.screen.query_one(".dialog-error").render())
        await pilot.press("escape")
        assert desk.lookup.get_request(ref).status == "open"

        await tick_current(pilot, "chest pain")  # nothing offered (no description): asks
        await pilot.press("space")  # 120 called: "22:05 called, accepted" is offered, not said for us
        await settle(pilot)
        assert isinstance(app.screen, AskScreen) and "120" in app.screen.query_one("#answer", Input).value
        assert "ambulance_call_120" not in desk.lookup.detail(ref).steps  # nothing recorded yet
        await pilot.press("enter")  # confirmed by the operator
        await settle(pilot)
        await pilot.press("space")  # requester told staff will wait at the entrance: the reply
        await settle(pilot)
        replied = desk.lookup.get_request(ref)
        assert replied.replied_at == app.clock.now() and replied.replied_by == "ann"
        await pilot.press("space")  # security lead told
        await settle(pilot)
        await tick_current(pilot, "Wang Wei")
        await tick_current(pilot)  # ambulance guided
        await tick_current(pilot)  # lead reported back
        await tick_current(pilot, "met it")
        await tick_current(pilot)  # reported to the supervisor
        proc = app.procedures["medical"]
        done = desk.lookup.detail(ref).steps
        assert not [
            s.key
            for s in proc.checklist(["ambulance"], {"ordinary", "oral"})
            if s.required and s.key not in done
        ]

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
    assert detail.steps["ambulance_call_120"].value == "22:00 已拨通 120,已受理"  # the time it was ticked
    assert detail.steps["ambulance_gate_ready"].value == "Wang Wei"
    assert {r.done_by for r in detail.steps.values()} == {"ann"}
    assert [e.kind for e in detail.events][-1] == "closed"
    assert on_loop == [], f"database work on the event loop: {on_loop[:3]}"

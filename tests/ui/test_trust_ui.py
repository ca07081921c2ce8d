"""The desk keeps faith with what it shows: on a form the keys are the form's (a letter typed into a
checkbox is not `n` for a new request), and a journal removed under the open desk stops its writes
with a plain message — nothing is shown as saved that is not on disk."""

from __future__ import annotations

from pathlib import Path

from screens_import import IntakeScreen, PickScreen
from textual.widgets import Checkbox
from ui_helpers import settle


async def test_letters_typed_into_a_checkbox_belong_to_the_form(make_app, desk):
    app = make_app("ann", lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, IntakeScreen)
        assert app.check_action("new_request", ()) is False  # the app's own guard, whatever the widget does
        created = len(desk.lookup.open_requests())
        for box in ("#major", "#confidential"):
            form.query_one(box, Checkbox).focus()
            await pilot.press(*"no water in the kitchen", "slash", "h", "question_mark", "q", "ctrl+r")
            await settle(pilot)
            assert app.screen is form and app.is_running  # nothing opened, nothing quit
        assert len(desk.lookup.open_requests()) == created  # and no request made in anyone's name
        assert form.check_action("done", ()) is not False  # the form's own keys still work
        await pilot.press("escape")  # the draft is still blank: leaving voids it (recorded)
        await settle(pilot)
        assert len(desk.lookup.open_requests()) == created - 1
        await pilot.press("n")  # on the queue, `n` is the new request again
        await settle(pilot)
        assert len(desk.lookup.open_requests()) == created


async def test_a_letter_typed_in_a_dialog_is_the_dialogs(make_app, desk):
    app = make_app("ann", lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("F")
        await settle(pilot)
        assert isinstance(app.screen, PickScreen)
        await pilot.press("n", "q")
        await settle(pilot)
        assert isinstance(app.screen, PickScreen) and desk.lookup.open_requests() == []


async def test_a_removed_journal_stops_the_desks_writes_in_plain_words(make_app, desk, db_path):
    ref = desk.intake.create_request(category="B", unit="3-1201", phone="123", complete=True).ref
    app = make_app("ann", lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        Path(f"{db_path}-wal").unlink()
        earlier = len(list(app._notifications))
        await pilot.press("r", "enter")  # replied: refused, and said why (in the reply dialog)
        await settle(pilot)
        said = [n.message for n in list(app._notifications)[earlier:]]
        said.append(str(app.screen.query_one(".dialog-error").render()))
        assert any("journal" in m and "NOT saved" in m for m in said), said
        assert not any("replied" in m.lower() and "NOT" not in m for m in said), said  # never "done"
        assert app.requests[ref].replied_at is None
        assert app.store.kernel.broken is not None

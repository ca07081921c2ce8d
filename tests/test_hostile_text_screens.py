"""Text is data on every screen and notification of the desk: the hostile corpus (hostile.py) in
every field that is shown, and control characters that reached the file some other way, shown as
their escapes, never sent to the terminal raw; nothing a string says acts."""

from __future__ import annotations

import sqlite3

from hostile import FORMULAS, MARKUP, assert_shows, desk_app, hostile

__all__ = ["desk_app", "hostile"]  # the fixtures, shared


async def test_every_screen_shows_hostile_text_as_text_and_nothing_acts(desk_app, staff, hostile, clock):
    from textual.widgets import Input
    from ui.ui_helpers import settle

    sup = staff["cs_supervisor"]
    sup.staff.update_staff("sup", name="[@click=app.quit]x[/]")  # the header shows the user's own name
    target = (
        staff["assistant"]
        .intake.create_request(
            category="B",
            unit="[/x]",
            phone="8123",
            requester_name="[@click=app.new_request]x[/]",
            description="[link=file:///etc/passwd]a[/]",
            complete=True,
        )
        .ref
    )
    app = desk_app("sup")
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        assert_shows(app, "[/x]", "[/bold]", "[@click=app.quit]x[/]")  # queue, header
        # The request screen: summary, checklist, timeline.
        app.open_request(hostile[len(MARKUP)])  # closed: summary, outcome, every step's note and value
        await settle(pilot)
        assert_shows(app, FORMULAS[0][:30])
        app.pop_screen()
        app.open_request(target)
        await settle(pilot)
        assert_shows(app, "[/x]", "[@click=app.new_request]x[/]", "[link=file:///etc/passwd]a[/]")
        # The charge dialog and the charges list: names from a site's fee file.
        await pilot.press("p")
        await settle(pilot)
        assert_shows(app, "[@click=app.quit]x[/]", "[/x]")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert_shows(app, "[@click=app.quit]x[/]")  # the request's charges, and the toast saying so
        app.pop_screen()
        await settle(pilot)
        # Search results (the crash of the issue: a unit `[/x]`).
        await pilot.press("slash")
        await settle(pilot)
        await pilot.press(*"[/x]")
        await settle(pilot)
        assert_shows(app, target, "[/x]")
        await pilot.press("escape")
        await settle(pilot)
        # The handover sheet, the month report (departments, outcomes, names), the help.
        await pilot.press("h")
        await settle(pilot)
        assert_shows(app, "[/bold]", "[/x]")
        await pilot.press("escape", "ctrl+r")
        await settle(pilot)
        whole = assert_shows(app)
        assert "[/bold]" in whole or "=cmd|' /C calc'!A0" in whole or "[@click=app.quit]x[/]" in whole
        await pilot.press("escape", "question_mark")
        await settle(pilot)
        assert_shows(app)
        await pilot.press("escape")
        # A notification of another terminal's request, and a refusal repeating what was typed.
        staff["assistant"].intake.create_request(category="A", unit="[/bold]*", phone="8124", complete=True)
        app.poll_now()
        await settle(pilot)
        assert_shows(app, "[/bold]*")
        await pilot.press("n")
        await settle(pilot)
        phone = app.screen.query_one("#phone", Input)
        phone.focus()
        phone.value = "[@click=app.quit]x[/]"
        await pilot.press("tab")
        await settle(pilot)
        assert_shows(app, "'[@click=app.quit]x[/]' is not a phone number")
        # A click on the name in the header or the toast runs nothing.
        await pilot.click(offset=(80, 0))
        await settle(pilot)
        assert app.is_running


async def test_control_characters_in_the_file_reach_no_screen_raw(desk_app, staff, hostile, db_path):
    from ui.ui_helpers import settle

    with sqlite3.connect(db_path) as conn:
        conn.execute(
            "UPDATE request SET unit = ?, requester_name = ?, description = ? WHERE ref = ?",
            ("\x1b[2J", "\x1b]0;pwned\x07", "x\x9b31m", hostile[0]),
        )
        conn.execute("UPDATE staff SET name = ? WHERE login = 'evil'", ("\x1b]8;;file:///etc/passwd\x07x",))
    app = desk_app("sup")
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        assert_shows(app, "\\x1b[2J")
        app.open_request(hostile[0])
        await settle(pilot)
        assert_shows(app, "\\x1b[2J", "\\x1b]0;pwned\\x07", "x\\x9b31m")
        await pilot.press("escape", "h")
        await settle(pilot)
        assert_shows(app, "\\x1b[2J")

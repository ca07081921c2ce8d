"""Text is data in the workshop too (issue 13: work orders, the stock room, the tool register) and in
the month's written analysis: a control character that reached the file some other way (another
SQLite client, an old release) is shown as its escape on every screen, never sent to a terminal raw
(the work-order list, an order, the stock and tool lists, the form dialogs' titles, the report),
nor by the command line."""

from __future__ import annotations

import sqlite3

import pytest
from hostile import assert_shows, cli, desk_app, raw_controls

from liyuan_tui.reports.month import Month

__all__ = ["desk_app"]  # the fixture shared with the module this one extends


@pytest.fixture
def tainted(staff, db_path, clock):
    """A work order waiting for parts, a material, a tool and the month's analysis, each then given
    control characters by another SQLite client: (the request's ref, the order's number, the month)."""
    sup = staff["cs_supervisor"]
    ref = (
        staff["assistant"].intake.create_request(category="B", unit="5-803", phone="8123", complete=True).ref
    )
    number = sup.orders.create(ref, "tech").number
    staff["technician"].orders.wait(number, "parts")
    sup.stock.add_material("PIPE20", "pipe", "m", price="1")
    sup.tools.add_tool("DRILL1", "drill")
    month = Month.of(clock.now(), sup.kernel.tz)
    sup.analyses.write(str(month), "fine")
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE request SET unit = ? WHERE ref = ?", ("\x1b[2J", ref))
        conn.execute("UPDATE staff SET name = ? WHERE login = 'tech'", ("\x1b]0;pwned\x07",))
        conn.execute("UPDATE workorder SET wait_reason = ?", ("\x1b[5mwait",))
        conn.execute("UPDATE material SET name = ?, unit = ?", ("\x1b[31mpipe", "\x9b31m"))
        conn.execute("UPDATE tool SET name = ?", ("\x1b[?1049h",))
        conn.execute("UPDATE month_analysis SET text = ?", ("\x1b]8;;file:///etc/passwd\x07x",))
    return ref, number, month


def test_control_characters_in_the_workshops_tables_reach_no_terminal_raw_from_the_cli(tainted, cli_env):
    _ref, number, month = tainted
    for args in (
        ("order", "list"),
        ("order", "show", number),
        ("order", "sheet", number),
        ("stock", "list"),
        ("tools", "list"),
        ("report", "--month", str(month)),
    ):
        done = cli(cli_env, *args)
        assert done.returncode == 0, (args, done.stderr)
        assert not raw_controls(done.stdout + done.stderr), (args, raw_controls(done.stdout))
    assert "\\x1b[2J" in cli(cli_env, "order", "list").stdout


async def test_control_characters_in_the_workshops_tables_reach_no_screen_raw(desk_app, tainted):
    from ui.ui_helpers import settle

    from liyuan_tui.screens.dialogs import FormScreen
    from liyuan_tui.screens.pages.report import ReportScreen

    _ref, number, month = tainted
    app = desk_app("sup")
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        app.action_work_orders()  # the list: the request's unit, the technician's name
        await settle(pilot)
        assert_shows(app, "\\x1b[2J", "\\x1b]0;")  # (the name cut to its column)
        app.open_order(number)  # the order: why it waits
        await settle(pilot)
        assert_shows(app, "\\x1b[5mwait")
        app.pop_screen()
        app.pop_screen()
        app.action_stock()  # the materials, and a form's title naming one
        await settle(pilot)
        assert_shows(app, "\\x1b[31mpipe", "\\x9b31m")
        await pilot.press("i")
        await settle(pilot)
        assert isinstance(app.screen, FormScreen)
        assert_shows(app, "\\x1b[31mpipe")
        await pilot.press("escape")
        app.pop_screen()
        app.action_tools()  # the tools, and a form's title naming one
        await settle(pilot)
        assert_shows(app, "\\x1b[?1049h")
        await pilot.press("i")
        await settle(pilot)
        assert isinstance(app.screen, FormScreen)
        assert_shows(app, "\\x1b[?1049h")
        await pilot.press("escape")
        app.pop_screen()
        app.push_screen(ReportScreen(month))  # the supervisor's own words
        await settle(pilot)
        assert_shows(app, "\\x1b]8;;file:///etc/passwd\\x07x")

"""The shift handover screen (h): what came in, what is open and with whom, what is overdue,
escalations nobody answered; live when another process logs a request; `s` moves the shift's
start; `x` writes the sheet as Markdown."""

from __future__ import annotations

import io
import time
from datetime import timedelta

from report_data import build_night, local
from rich.console import Console
from ui_helpers import log_from_another_process, settle

from liyuan_tui.domain.i18n import Translator
from liyuan_tui.reports.handover import handover_sheet, render_handover
from liyuan_tui.screens.pages.handover import HandoverScreen

SIZE = (120, 40)


async def open_handover(pilot) -> HandoverScreen:
    await settle(pilot)
    await pilot.press("h")
    await settle(pilot)
    assert isinstance(pilot.app.screen, HandoverScreen)
    return pilot.app.screen


def part(screen: HandoverScreen, key: str) -> str:
    """One list of the sheet as drawn, as plain text."""
    console = Console(width=120, record=True, color_system=None, file=io.StringIO())
    console.print(screen.sections[key].content)
    return console.export_text()


def line_of(text: str, ref: str) -> str:
    return next(line for line in text.splitlines() if ref in line)


async def test_the_sheet_lists_the_shift_the_open_the_overdue_and_unanswered_escalations(
    make_app, staff, clock
):
    night = build_night(staff, clock)
    app = make_app("ann", lang="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_handover(pilot)
        assert "Shift handover · 18:00 to 22:00" in str(screen.bar.content)
        came_in = part(screen, "came_in")
        assert came_in.startswith("Came in during the shift: 3")
        assert night.before_shift not in came_in  # 17:00: the day shift's
        assert night.early in came_in and night.overdue in came_in and night.escalated in came_in

        still_open = part(screen, "still_open")
        assert still_open.startswith("Still open: 4")
        assert "ANN" in line_of(still_open, night.before_shift)  # with whom
        assert "-10:00" in line_of(still_open, night.overdue)  # 21:40, due 21:50: ten minutes late

        overdue = part(screen, "overdue")
        assert overdue.startswith("Overdue, not replied: 1") and night.overdue in overdue
        escalations = part(screen, "unanswered_escalations")
        # The one escalated by hand, and the overdue one the deadline ladder escalated by itself.
        assert escalations.startswith("Escalations not yet answered: 2")
        assert "customer-service supervisor" in line_of(escalations, night.escalated)
        assert night.overdue in escalations


async def test_a_request_logged_by_another_process_appears_without_a_key_press(
    make_app, staff, clock, cli_env
):
    build_night(staff, clock)
    app = make_app("ann", lang="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_handover(pilot)
        ref = log_from_another_process(cli_env)
        written = time.monotonic()
        await settle(pilot)
        assert ref in part(screen, "still_open")
        assert time.monotonic() - written <= 2.0
        assert "stranger trying car doors" in line_of(part(screen, "still_open"), ref)
        assert "(nobody)" in line_of(part(screen, "still_open"), ref)  # the lead logged it; nobody holds it


async def test_a_request_going_overdue_moves_to_the_overdue_list_within_a_minute(make_app, staff, clock):
    night = build_night(staff, clock)
    app = make_app("ann", lang="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_handover(pilot)
        clock.set(local(2026, 11, 27, 21, 59))
        late = (
            staff["assistant"]
            .intake.create_request(category="repair", unit="3栋1203", phone="13911111203", complete=True)
            .ref
        )
        await settle(pilot)
        assert late in part(screen, "still_open") and late not in part(screen, "overdue")
        clock.advance(timedelta(minutes=11).total_seconds())  # no event: only time passes
        app.tick()
        await settle(pilot)
        assert late in part(screen, "overdue") and night.overdue in part(screen, "overdue")


async def test_the_shift_start_can_be_changed_and_a_bad_time_is_refused(make_app, staff, clock):
    night = build_night(staff, clock)
    app = make_app("ann", lang="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_handover(pilot)
        for key in ("s", *"25:00", "enter"):
            await pilot.press(key)
        await settle(pilot)
        assert app.screen is not screen
        assert "not a time of day" in str(app.screen.query_one(".dialog-error").content)
        for key in ("ctrl+a", "ctrl+k", *"21:45", "enter"):
            await pilot.press(key)
        await settle(pilot)
        assert app.screen is screen
        assert "21:45 to 22:00" in str(screen.bar.content)
        came_in = part(screen, "came_in")
        assert came_in.startswith("Came in during the shift: 1") and night.escalated in came_in


async def test_the_sheet_is_exported_as_markdown(make_app, staff, clock, procedures, tmp_path, monkeypatch):
    build_night(staff, clock)
    monkeypatch.chdir(tmp_path)
    app = make_app("ann", lang="zh")
    async with app.run_test(size=SIZE) as pilot:
        await open_handover(pilot)
        for key in ("x", "enter"):
            await pilot.press(key)
        await settle(pilot)
        assert isinstance(app.screen, HandoverScreen)
    written = (tmp_path / "liyuan-handover-2026-11-27-1800.md").read_text(encoding="utf-8")
    desk = staff["assistant"]
    sheet = handover_sheet(desk, local(2026, 11, 27, 18, 0))
    assert written == render_handover(sheet, Translator("zh"), procedures, desk.tz)
    assert written.startswith("# 交接班记录")


async def test_a_long_list_shows_a_hundred_and_says_how_many_more(make_app, staff, clock):
    desk = staff["assistant"]
    for i in range(102):
        clock.set(local(2026, 11, 27, 18, 0) + timedelta(seconds=i * 30))
        desk.intake.create_request(category="repair", unit=f"U{i}", phone="13911110000", complete=True)
    clock.set(local(2026, 11, 27, 22, 0))
    app = make_app("ann", lang="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_handover(pilot)
        came_in = part(screen, "came_in")
        assert came_in.startswith("Came in during the shift: 102")
        assert sum(1 for line in came_in.splitlines() if "202611-" in line) == 100
        assert came_in.rstrip().endswith("… and 2 more (export with x for the whole sheet)")

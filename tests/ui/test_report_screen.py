"""The month report screen (ctrl+r): the figures of a month with known requests, stepping and
typing months, exporting each format to a file, refusing the assistant; confidential requests
counted and never named."""

from __future__ import annotations

import io
import json
import re
from datetime import timedelta

import pytest
from report_data import build_month, local
from rich.console import Console
from ui_helpers import settle

from liyuan_tui.domain.i18n import Translator
from liyuan_tui.reports.month import month_report
from liyuan_tui.reports.month_render import render
from liyuan_tui.screens.dialogs import ConfirmScreen, ExportScreen
from liyuan_tui.screens.pages.report import ReportScreen

SIZE = (120, 40)


async def open_report(pilot) -> ReportScreen:
    await settle(pilot)
    await pilot.press("ctrl+r")
    await settle(pilot)
    assert isinstance(pilot.app.screen, ReportScreen)
    return pilot.app.screen


async def press(pilot, *keys: str) -> None:
    """Each key, then wait for what it started (a report is counted in a worker)."""
    for key in keys:
        await pilot.press(key)
        await settle(pilot)


def section(screen: ReportScreen, title: str) -> str:
    """One section of the report as it is drawn (by its title's beginning), as plain text."""
    console = Console(width=120, record=True, color_system=None, file=io.StringIO())
    for widget in screen._sections:
        group = widget.content
        if group.renderables[0].plain.startswith(title):
            console.print(group)
            return console.export_text()
    raise AssertionError(
        f"no section {title!r}: {[w.content.renderables[0].plain for w in screen._sections]}"
    )


def row(text: str, label: str) -> list[str]:
    """The cells of the table line that starts with `label`."""
    for line in text.splitlines():
        if line.startswith(label):
            return re.split(r"\s{2,}", line.strip())
    raise AssertionError(f"no line {label!r} in\n{text}")


async def test_the_report_shows_the_figures_of_a_month_with_known_requests(make_app, staff, clock):
    month = build_month(staff, clock)
    app = make_app("sup", lang="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_report(pilot)
        assert str(screen.month) == "2026-11"  # the 27th: the month so far
        text = screen.body_text()
        titles = [w.content.renderables[0].plain for w in screen._sections]
        # The written summary first, then the supervisor's own analysis (none yet: how to write one).
        assert titles[:3] == ["Summary", "Supervisor's analysis", "Overview"]
        assert "press a to write" in section(screen, "Supervisor's analysis")
        assert [t.split(" (")[0] for t in titles[3:7]] == [
            "Requests per day",
            "Reply times",
            "Requests by category",
            "By hour of day",
        ]
        assert titles[7:] == [
            "By category",
            "By channel",
            "By status",
            "By outcome",
            "Handed on, by department",
            "Staff workload",
            "Overdue requests",
            "Escalations",
            "Major cases",
            "Paid services",
            "Back office: work orders, materials, tools",
            "Materials used this month, by value",
            "Tools damaged or lost this month",
            "Follow-up calls and service quality",
            "Satisfaction by category",
            "The desk's records (receipts, incidents, visitors, training)",
        ]

        summary = section(screen, "Summary")
        assert "5 requests in 2026-11; 2 the month before (+3 (+150%))." in summary
        assert "Confidential among them: 1" in summary

        overview = section(screen, "Overview")
        assert row(overview, "Requests") == ["Requests", "5", "2", "+3 (+150%)"]
        assert row(overview, "Reply time, median")[1] == "7 min"  # of 60, 120, 720 and 900 s
        assert row(overview, "Reply time, 90th")[1] == "14 min 6 s"
        assert row(overview, "Replied in time") == ["Replied in time", "40%", "100%", "-60 points"]
        assert row(overview, "Overdue") == ["Overdue", "3", "0", "+3"]
        assert row(overview, "Escalated")[1:3] == ["2", "0"]  # by hand, and by the deadline ladder
        assert row(overview, "Major cases")[1] == "1"
        assert row(overview, "Confidential")[1] == "1"
        assert row(overview, "Paid services")[1:] == ["50.00", "0.00", "+50.00"]

        categories = section(screen, "By category")
        assert row(categories, "Repair") == [
            "Repair",
            "1",
            "2",
            "-1 (-50%)",
            "0",
            "100%",
            "2 min",
            "2 min",
            "0",
            "—",
        ]
        assert row(categories, "Security")[1:6] == ["1", "0", "+1", "1", "0%"]
        assert row(categories, "Disaster")[1] == "0"

        overdue = section(screen, "Overdue requests")
        assert row(overdue, month.security)[2:4] == ["2026-11-10 22:30", "407 h 20 min"]  # and counting
        assert row(overdue, month.medical)[3] == "2 min"
        assert row(overdue, "(confidential)")[1:4] == ["Complaint", "2026-11-15 10:00", "5 min"]
        escalations = section(screen, "Escalations")
        assert (
            month.medical in escalations
            and month.security in escalations
            and "not acknowledged" in escalations
        )
        assert month.medical in section(screen, "Major cases")
        assert row(section(screen, "Paid services"), "Unblock a drain")[1:] == ["1", "1", "50.00"]
        staff_rows = section(screen, "Staff workload")
        assert row(staff_rows, "ANN")[1:3] == ["4", "3"]  # by name

        # The charts: per day and by hour of day carry their figures in their titles and bars.
        assert "most 2 on 11-03" in section(screen, "Requests per day (5 in all")
        assert "3 overdue" in section(screen, "By hour of day")
        distribution = section(screen, "Reply times (4 replied")
        for label, count in (
            ("under 1 min", "0"),
            ("1–2 min", "1"),
            ("2–5 min", "1"),
            ("5–10 min", "0"),
            ("10–15 min", "1"),
            ("15–30 min", "1"),
            ("30 min or more", "0"),
        ):
            assert row(distribution, label)[1] == count, label
        assert row(section(screen, "Requests by category"), "Security")[1:3] == ["1", "1 overdue"]

        palette = {c.title for c in app.get_system_commands(screen)}
        assert {"Previous month", "Next month", "Choose month", "Export", "Back"} <= palette

        # Confidential: counted above, but nothing that names it anywhere on the screen.
        for secret in (month.confidential, "9栋0909", "秘密先生", "投诉保安"):
            assert secret not in text


async def test_arrows_step_to_the_previous_month_and_back_but_not_past_this_month(make_app, staff, clock):
    build_month(staff, clock)
    app = make_app("sup", lang="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_report(pilot)
        await press(pilot, "left")
        assert str(screen.month) == "2026-10"
        assert "Month report 2026-10 · against 2026-09" in str(screen.bar.content)
        overview = section(screen, "Overview")
        assert row(overview, "Requests") == ["Requests", "2", "0", "+2"]
        assert row(section(screen, "By category"), "Repair")[1:3] == ["2", "0"]
        await press(pilot, "left")  # September: nothing happened
        assert "No requests were recorded in 2026-09" in section(screen, "Summary")
        assert section(screen, "Requests per day").splitlines()[1] == "None"
        await press(pilot, "right", "right")
        assert str(screen.month) == "2026-11"
        assert row(section(screen, "Overview"), "Requests")[1] == "5"
        await press(pilot, "right")  # December has not begun
        assert str(screen.month) == "2026-11"
        assert any("current month" in n.message for n in app._notifications)


async def test_a_month_can_be_typed_and_a_bad_one_is_refused_on_its_field(make_app, staff, clock):
    build_month(staff, clock)
    app = make_app("sup", lang="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_report(pilot)
        await press(pilot, "m", *"2026-13", "enter")
        assert app.screen is not screen
        assert "not a month" in str(app.screen.query_one(".dialog-error").content)
        await press(pilot, "ctrl+a", "ctrl+k", *"2026-10", "enter")
        assert app.screen is screen and str(screen.month) == "2026-10"
        assert row(section(screen, "Overview"), "Requests")[1] == "2"


@pytest.mark.parametrize("day, shown", [(2, "2026-11"), (6, "2026-12")])
async def test_in_the_first_days_of_a_month_the_report_opens_on_the_month_before(
    make_app, staff, clock, day, shown
):
    clock.set(local(2026, 12, day, 9, 0))
    app = make_app("sup", lang="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_report(pilot)
        assert str(screen.month) == shown


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_each_format_is_exported_to_a_file_in_the_current_folder(
    make_app, staff, clock, procedures, tmp_path, monkeypatch, lang
):
    build_month(staff, clock)
    monkeypatch.chdir(tmp_path)
    t = Translator(lang)
    expected = month_report(staff["cs_supervisor"], "2026-11")
    app = make_app("sup", lang=lang)
    async with app.run_test(size=SIZE) as pilot:
        await open_report(pilot)
        await press(pilot, "x", "enter", "enter")  # Markdown, the name offered
        await press(pilot, "x", "2", "enter")  # CSV
        await press(pilot, "x", "3", "enter")  # JSON
        assert isinstance(app.screen, ReportScreen)
    md = (tmp_path / "liyuan-report-2026-11.md").read_text(encoding="utf-8")
    assert md == render(expected, "md", t, procedures)
    raw = (tmp_path / "liyuan-report-2026-11.csv").read_bytes()
    assert raw.startswith("\ufeff".encode()) and b"\r\n" in raw  # Excel: BOM, CRLF
    assert raw.decode("utf-8") == render(expected, "csv", t, procedures)
    data = json.loads((tmp_path / "liyuan-report-2026-11.json").read_text(encoding="utf-8"))
    assert (data["month"], data["total"], data["previous"]["total"], data["fees_total"]) == (
        "2026-11",
        5,
        2,
        50.0,
    )
    assert data["by_category"]["repair"] == 1 and data["escalated"] == 2 and data["major"] == 1


async def test_an_existing_file_is_replaced_only_after_a_yes(make_app, staff, clock, tmp_path, monkeypatch):
    build_month(staff, clock)
    monkeypatch.chdir(tmp_path)
    old = tmp_path / "liyuan-report-2026-11.md"
    old.write_text("the supervisor's own notes", encoding="utf-8")
    app = make_app("sup", lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await open_report(pilot)
        await press(pilot, "x", "enter", "enter")
        assert isinstance(app.screen, ConfirmScreen)
        assert "exists" in str(app.screen.question)
        await press(pilot, "n")
        assert isinstance(app.screen, ExportScreen)  # still asking where
        assert old.read_text(encoding="utf-8") == "the supervisor's own notes"
        await press(pilot, "enter")
        await press(pilot, "y")
        assert isinstance(app.screen, ReportScreen)
    assert old.read_text(encoding="utf-8").startswith("# Requests for help: month report 2026-11")


async def test_a_path_that_cannot_be_written_is_said_on_the_field(make_app, staff, clock, tmp_path):
    app = make_app("sup", lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await open_report(pilot)
        await press(pilot, "x", "enter", "ctrl+a", "ctrl+k")
        await pilot.press(*str(tmp_path / "no-such-folder" / "r.md"))  # typed in one go, as a person would
        await press(pilot, "enter")
        assert isinstance(app.screen, ExportScreen)
        assert "does not exist" in str(app.screen.query_one(".dialog-error").content)


@pytest.mark.parametrize(
    "lang, refusal",
    [
        ("en", "Your role (assistant) may not see month reports"),
        ("zh", "你的角色(物业助理)不能查看月报"),
    ],
)
async def test_the_assistant_is_refused_in_her_language(
    make_app, staff, clock, tmp_path, monkeypatch, lang, refusal
):
    build_month(staff, clock)
    here = tmp_path / "here"
    here.mkdir()
    monkeypatch.chdir(here)
    app = make_app("ann", lang=lang)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_report(pilot)
        text = screen.body_text()
        assert refusal in text
        assert "2026-11-" not in text and not screen._sections
        await press(pilot, "x", "m", "left")
        assert app.screen is screen and str(screen.month) == "2026-11"  # the month and export keys are off
        assert "Export" not in {c.title for c in app.get_system_commands(screen)}
    assert list(here.iterdir()) == []


async def test_a_long_list_shows_the_worst_fifty_and_says_how_many_more(make_app, staff, clock):
    desk = staff["assistant"]
    for i in range(53):  # one every hour from Nov 2, none replied: each overdue, the first the latest
        clock.set(local(2026, 11, 2, 0, 0) + timedelta(hours=i))
        desk.intake.create_request(category="security", unit=f"B{i}", phone="13911110000", complete=True)
    clock.set(local(2026, 11, 27, 22, 0))
    app = make_app("sup", lang="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_report(pilot)
        overdue = section(screen, "Overdue requests")
        assert "202611-0001" in overdue and "202611-0050" in overdue and "202611-0051" not in overdue
        assert overdue.rstrip().endswith("… and 3 more (export with x for the full list)")
        assert row(section(screen, "Overview"), "Overdue")[1] == "53"

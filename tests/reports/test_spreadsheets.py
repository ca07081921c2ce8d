"""What leaves the desk for a spreadsheet: CSV that no separator turns into a formula (a comma file
read with ";" ticked, as LibreOffice allows and German or French Excel does), people's text that
stays text (0101, 00852, 13800138000, 3/4, 12:30, 50%, TRUE), and `--format xlsx` — a real
workbook with text-typed units, phones and names, columns as wide as their Chinese and a frozen
header — for the month report, the scorecard and the stock report."""

from __future__ import annotations

import csv
import io
import re

import pytest
from cli_runner import run_liyuan

from liyuan_tui.domain.i18n import Translator
from liyuan_tui.reports.month import month_report
from liyuan_tui.reports.month_render import render
from liyuan_tui.reports.scorecard import scorecard
from liyuan_tui.reports.scorecard_render import render_scorecard
from liyuan_tui.reports.stock import render_stock, stock_report

MONTH = "2026-11"
HOSTILE_UNITS = (";=1+1", '3栋;=HYPERLINK("http://x")', "5栋, -2+3", "6栋;@SUM(A1)", '7栋;"=1+1"')
NUMBER_LIKE = ("0101", "00852", "13800138000", "3/4", "12:30", "50%", "TRUE", "3-12")
OUR_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?%?")
FORMULA = ("=", "+", "-", "@")


@pytest.fixture
def overdue_month(staff, desk, clock):
    """Overdue requests whose units are the trouble: formulas after a separator, and text a
    spreadsheet would turn into a number, a date or a truth value."""
    staff["cs_supervisor"].staff.add_staff("0101", "0101", "assistant")  # a login that looks like a number
    for unit in HOSTILE_UNITS + NUMBER_LIKE:
        desk.intake.create_request(category="repair", unit=unit, phone="13800138000", complete=True)
    clock.advance(3600)
    return month_report(staff["cs_supervisor"], MONTH)


def cells(text: str, delimiter: str) -> list[str]:
    return [c for row in csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=delimiter) for c in row]


@pytest.mark.parametrize("delimiter", [",", ";"])
def test_no_csv_cell_is_a_formula_whichever_separator_reads_it(overdue_month, procedures, delimiter):
    text = render(overdue_month, "csv", Translator("zh"), procedures)
    risky = [
        c
        for c in cells(text, delimiter)
        if c.lstrip(' "').startswith(FORMULA) and not OUR_NUMBER.fullmatch(c.strip())
    ]
    assert risky == [], risky


def test_people_text_in_csv_stays_text(overdue_month, procedures):
    found = set(cells(render(overdue_month, "csv", Translator("zh"), procedures), ","))
    for unit in NUMBER_LIKE:
        assert "'" + unit in found and unit not in found, unit


def test_the_month_report_as_a_workbook(overdue_month, procedures):
    from openpyxl import load_workbook

    data = render(overdue_month, "xlsx", Translator("zh"), procedures)
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames[0].startswith("求助事务月报")
    overdue = (
        book["超时求助"]
        if "超时求助" in book.sheetnames
        else next(ws for ws in book.worksheets if any(c.value == "房号" for c in ws[1]))
    )
    assert overdue.freeze_panes == "A2"  # the header stays in view
    head = [c.value for c in overdue[1]]
    unit_col = head.index("房号")
    units = {row[unit_col].value: row[unit_col] for row in overdue.iter_rows(min_row=2)}
    for unit in NUMBER_LIKE + HOSTILE_UNITS:
        cell = units[unit]
        assert cell.data_type == "s" and cell.value == unit, unit  # text, as typed, never a formula
    overview = book.worksheets[1]
    total = next(row for row in overview.iter_rows(min_row=2) if row[0].value == "求助总数")
    assert total[1].data_type == "n" and total[1].value == len(
        NUMBER_LIKE + HOSTILE_UNITS
    )  # figures: numbers
    width = overdue.column_dimensions[chr(ord("A") + unit_col)].width
    assert width >= len('3栋;=HYPERLINK("http://x")') + 2  # as wide as its text, a Chinese character two


def test_the_scorecard_and_the_stock_report_as_workbooks(staff, desk, clock):
    from openpyxl import load_workbook

    sup = staff["cs_supervisor"]
    sup.staff.add_staff("night1", "00852", "assistant")  # a name that looks like a number
    sup.stock.add_material("0101", "3/4", "50%", price="12.30")
    card = load_workbook(io.BytesIO(render_scorecard(scorecard(sup, MONTH), "xlsx", Translator("zh"))))
    names = [
        c for ws in card.worksheets for row in ws.iter_rows() for c in row if c.value == "00852 (night1)"
    ]
    assert names and all(c.data_type == "s" for c in names)
    stock = load_workbook(io.BytesIO(render_stock(stock_report(sup, MONTH), "xlsx", Translator("zh"))))
    row = next(r for ws in stock.worksheets[1:] for r in ws.iter_rows(min_row=2) if r[0].value == "0101")
    assert [c.value for c in row[:3]] == ["0101", "3/4", "50%"] and {c.data_type for c in row[:3]} == {"s"}
    assert row[3].data_type == "n" and row[3].value == 12.3


def test_xlsx_is_offered_wherever_csv_is(cli_env, staff, tmp_path):
    env = dict(cli_env, LIYUAN_USER="sup")
    for args in (
        ("report", "--month", MONTH),
        ("staff", "scorecard", "--month", MONTH),
        ("stock", "report", "--month", MONTH),
    ):
        target = tmp_path / f"{args[0]}-{args[1]}.xlsx"
        done = run_liyuan(env, *args, "--format", "xlsx", "-o", str(target))
        assert done.returncode == 0, done.stderr
        assert target.read_bytes()[:2] == b"PK"  # a zip: the xlsx container

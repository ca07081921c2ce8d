"""Exports as a real spreadsheet (`--format xlsx`, XlsxWriter): the same tables as the CSV, each on
a sheet of its own with its header frozen, columns as wide as their text (a Chinese character
counted as two), our own figures as numbers and everything a person or a file gave (`Said`: units,
phones, names) as text — 0101 stays 0101, 13800138000 is no number, 3/4 no date, =A1 no formula."""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence
from typing import Any

from rich.cells import cell_len

from liyuan_tui.domain.safe_text import visible

from .tables import Said

Table = tuple[str, Sequence[str], Sequence[Sequence[Any]]]  # title, header, rows

_OUR_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")  # a count, seconds, a share, yuan: as our code writes them
_SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")
MAX_WIDTH = 60


def workbook(title: str, notes: Iterable[Any], tables: Iterable[Table]) -> bytes:
    """A workbook: a first sheet with the title and the notes (the written summary, an analysis),
    then one sheet per table."""
    import xlsxwriter

    buf = io.BytesIO()
    # No guessing: a string is never turned into a number, a formula or a link.
    book = xlsxwriter.Workbook(
        buf,
        {
            "in_memory": True,
            "strings_to_numbers": False,
            "strings_to_formulas": False,
            "strings_to_urls": False,
        },
    )
    bold = book.add_format({"bold": True})
    text = book.add_format({"num_format": "@"})  # typed text: what is typed over it stays text too
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    used: set[str] = set()
    first = book.add_worksheet(_sheet_name(title, used))
    first.write_string(0, 0, visible(title), bold)
    first.set_column(0, 0, 100, wrap)
    for row, line in enumerate(notes, start=2):
        first.write_string(row, 0, visible(line), text if isinstance(line, Said) else wrap)
    for name, header, rows in tables:
        sheet = book.add_worksheet(_sheet_name(name, used))
        widths = [cell_len(visible(h)) for h in header]
        for col, head in enumerate(header):
            sheet.write_string(0, col, visible(head), bold)
        for r, cells in enumerate(rows, start=1):
            for col, value in enumerate(cells):
                shown = _write(sheet, r, col, value, text)
                if col >= len(widths):
                    widths.append(0)
                widths[col] = max(widths[col], cell_len(shown))
        for col, width in enumerate(widths):
            sheet.set_column(col, col, min(MAX_WIDTH, max(6, width + 2)))
        sheet.freeze_panes(1, 0)  # the header stays in view as the rows scroll
    book.close()
    return buf.getvalue()


def _write(sheet: Any, row: int, col: int, value: Any, text_format: Any) -> str:
    """One cell, typed: text from people as text, our figures as numbers; returns what it shows."""
    if value is None or value == "":
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        sheet.write_number(row, col, value)
        return str(value)
    shown = visible(value, newlines=True)
    if not isinstance(value, Said) and _OUR_NUMBER.fullmatch(shown):
        sheet.write_number(row, col, float(shown) if "." in shown else int(shown))
    else:
        sheet.write_string(row, col, shown, text_format if isinstance(value, Said) else None)
    return max(shown.split("\n"), key=cell_len)


def _sheet_name(title: str, used: set[str]) -> str:
    """A sheet's name: at most 31 characters, none of []:*?/\\, unique in the book."""
    base = _SHEET_NAME_BAD.sub(" ", visible(title, newlines=False)).strip("' ") or "Sheet"
    name, n = base[:31], 2
    while name.lower() in used:
        suffix = f" ({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(name.lower())
    return name


def month_workbook(report: Any, t: Any, namer: Any) -> bytes:
    """The month report's CSV tables as a workbook, its written summary and analysis first."""
    from .month_json import analysis_signature
    from .month_summary import summary_lines
    from .month_tables import tables

    notes: list[Any] = [t("report.summary"), *summary_lines(report, t, namer.category)]
    if report.analysis is not None:
        notes += ["", t("report.analysis"), Said(report.analysis.text), analysis_signature(report, t)]
    title = t("report.title", month=str(report.current.month))
    return workbook(title, notes, tables(report, t, namer, numeric=True))

"""What the month report and the handover sheet both print: names in the user's language, pipe
tables that line up as plain text, and cells made safe for where they go — Markdown that never
turns a unit into a link or HTML, CSV cells Excel never runs as formulas (OWASP's CSV injection
advice), and no control character anywhere."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from liyuan_tui.domain.i18n import Translator
from liyuan_tui.domain.procedures import Procedures
from liyuan_tui.domain.safe_text import visible

NO_CATEGORY = "none"  # requests whose intake never chose a category


class Namer:
    """Category, channel, status and outcome names in the user's language."""

    def __init__(self, t: Translator, procedures: Procedures) -> None:
        self.t, self.procedures = t, procedures

    def category(self, key: str) -> str:
        proc = self.procedures.get(key) if key != NO_CATEGORY else None
        return proc.name(self.t.lang) if proc else self.t("report.no_category")

    def __call__(self, kind: str, key: str) -> str:
        if kind == "category":
            return self.category(key)
        prefix = {"outcome": "report.outcome_kind"}.get(kind, kind)
        return self.t(f"{prefix}.{key}")


# Markdown punctuation that could make a link, an image, HTML, code or a table cell of data.
_MD_ESCAPES = str.maketrans({c: "\\" + c for c in "\\`*[]<>|"})


def md_text(text: Any) -> str:
    """One line of Markdown showing `text` as it is: controls made visible, whitespace runs one
    space, punctuation that would be read as Markdown escaped with a backslash."""
    shown = visible(text, newlines=False)
    if " " in shown or not shown.isprintable():
        shown = " ".join(shown.split())
    return shown.translate(_MD_ESCAPES)


_cell = md_text

# A cell starting with one of these is a formula to a spreadsheet.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?%?")


def csv_cell(value: Any) -> str:
    """A CSV cell Excel shows as text: one starting with = + - @ tab or CR gets a leading
    apostrophe (a signed plain number such as -3 or +12.5% stays a number)."""
    text = visible(value)
    if text.startswith(_FORMULA_START) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def csv_rows(rows: Iterable[Iterable[Any]]) -> list[list[str]]:
    return [[csv_cell(c) for c in row] for row in rows]


def md_table(header: list[str], rows: list[list[str]]) -> list[str]:
    """A pipe table padded by terminal cells, so it lines up as plain printed text too."""
    from rich.cells import cell_len

    def width(text: str) -> int:
        return len(text) if text.isascii() else cell_len(text)  # most cells are ASCII: skip the table

    grid = [[_cell(c) for c in header]] + [[_cell(c) for c in r] for r in rows]
    sizes = [[width(c) for c in r] for r in grid]
    widths = [max(3, *(r[i] for r in sizes)) for i in range(len(header))]

    def line(cells: list[str], size: list[int]) -> str:
        padded = (c + " " * (w - n) for c, n, w in zip(cells, size, widths, strict=True))
        return "| " + " | ".join(padded) + " |"

    return [line(grid[0], sizes[0]), "|" + "|".join("-" * (w + 2) for w in widths) + "|"] + [
        line(r, n) for r, n in zip(grid[1:], sizes[1:], strict=True)
    ]


def escalated_to_name(value: str | None, t: Translator) -> str:
    """Whom a request was escalated to: a role ("cs_supervisor": every supervisor) by its name."""
    if not value:
        return ""
    name = t(f"role.{value}")
    return value if name == f"role.{value}" else name

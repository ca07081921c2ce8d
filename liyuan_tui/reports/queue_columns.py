"""The queue's columns and their widths for a terminal of a given width: the desk's live queue
and `liyuan queue` lay out the same columns the same way (80 columns: the countdown, ref,
category, unit, state and holder always; more room, more columns)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # (the desk's first frame imports this before anything heavy: first_look.py)
    from liyuan_tui.domain.i18n import Translator
    from liyuan_tui.domain.procedures import Procedures

# Columns in the order shown, each with its width in terminal cells (CJK characters count two).
# The countdown comes first: Textual sends a partial update of a line from the widget's left edge
# to the end of the changed region, so a countdown at the left edge costs a few bytes a second
# where one in the middle of the row would re-send everything to its left.
# Cells carry their own one-space margins (cell_padding=0): a countdown is then one styled run of
# text, sent as one escape sequence, instead of three (pad, text, pad) each with its own colours.
# Widths are fixed for a given terminal width (a tick never re-measures a column): queue_layout()
# fits them to the table, and what a cell cannot hold is cut with an ellipsis (widgets/fit.py).
ORDER = ("countdown", "ref", "category", "unit", "requester", "received", "state", "assignee", "what")
COLUMNS: tuple[tuple[str, int], ...] = (
    ("countdown", 8),
    ("ref", 16),
    ("category", 12),
    ("unit", 16),
    ("requester", 14),
    ("received", 7),
    ("state", 10),
    ("assignee", 12),
)
BASE = {"countdown": 8, "ref": 16, "unit": 12, "assignee": 10}  # kept at any width
OPTIONAL = (("requester", 10), ("received", 7), ("what", 16))  # shown while they fit, in this order
GROW = (("unit", 22), ("requester", 16), ("assignee", 14))  # where room left over goes, up to these


def queue_layout(width: int, category: int, state: int, countdown: int = BASE["countdown"]) -> dict[str, int]:
    """The columns shown in `width` cells and their widths: the countdown, ref, category, unit,
    state and holder always (80 columns); then the requester, the time received and what was
    asked for while they fit; room left over widens the unit, the requester and the holder, and
    the rest goes to what was asked for (120 columns and wider)."""
    widths = {**BASE, "category": category, "state": state, "countdown": countdown}
    for key, least in OPTIONAL:
        if sum(widths.values()) + least <= width:
            widths[key] = least
    for key, most in GROW:
        if key in widths:
            widths[key] += max(0, min(most - widths[key], width - sum(widths.values())))
    if "what" in widths:
        widths["what"] += max(0, width - sum(widths.values()))
    return {key: widths[key] for key in ORDER if key in widths}


def short_category(key: str, procedures: Procedures, t: Translator) -> str:
    """A category's short name for narrow places (急救, Repair); the procedure's own name if the
    site added a category the messages do not know."""
    short = t(f"ui.category.{key}")
    if not short.startswith("ui.category."):
        return short
    proc = procedures.get(key)
    return proc.name(t.lang) if proc else key

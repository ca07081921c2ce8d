"""The queue's columns and cells, as values: what the live table (queue_table.py) shows and what
the desk's first frame (first_frame.py) draws before the rest of the desk is loaded — so both show
the same rows alike. Rich and the domain's plain rules only: no textual, no database.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING

from rich.text import Text

from liyuan_tui.domain.deadlines import Urgency, format_countdown, seconds_left, urgency
from liyuan_tui.domain.i18n import Translator
from liyuan_tui.domain.safe_text import HIDDEN, visible

if TYPE_CHECKING:
    from liyuan_tui.domain.models import Request, Staff
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
URGENCY_STYLE = {
    Urgency.OK: "green",
    Urgency.WARNING: "bold #ffaf00",  # amber
    Urgency.OVERDUE: "bold red",
    Urgency.REPLIED: "dim",
}


def queue_layout(width: int, category: int, state: int) -> dict[str, int]:
    """The columns shown in `width` cells and their widths: the countdown, ref, category, unit,
    state and holder always (80 columns); then the requester, the time received and what was
    asked for while they fit; room left over widens the unit, the requester and the holder, and
    the rest goes to what was asked for (120 columns and wider)."""
    widths = {**BASE, "category": category, "state": state}
    for key, least in OPTIONAL:
        if sum(widths.values()) + least <= width:
            widths[key] = least
    for key, most in GROW:
        if key in widths:
            widths[key] += max(0, min(most - widths[key], width - sum(widths.values())))
    if "what" in widths:
        widths["what"] += max(0, width - sum(widths.values()))
    return {key: widths[key] for key in ORDER if key in widths}


def countdown_cell(req: Request, now: datetime) -> Text:
    """`mm:ss` left or `-mm:ss` overdue, coloured by urgency (frozen once replied)."""
    return Text(f"{format_countdown(seconds_left(req, now)):>6}", style=URGENCY_STYLE[urgency(req, now)])


def state_cell(req: Request, now: datetime, t: Translator) -> Text:
    state = urgency(req, now)
    return Text(t(f"state.{state}"), style=URGENCY_STYLE[state])


def short_category(key: str, procedures: Procedures, t: Translator) -> str:
    """A category's short name for narrow places (急救, Repair); the procedure's own name if the
    site added a category the messages do not know."""
    short = t(f"ui.category.{key}")
    if not short.startswith("ui.category."):
        return short
    proc = procedures.get(key)
    return proc.name(t.lang) if proc else key


def typed(value: str) -> Text:
    """What a person typed, as text (a "[" in a unit is never read as markup, a control character
    is shown as its escape, never sent to the terminal)."""
    return Text(visible(value, newlines=False))


def ref_cell(req: Request) -> Text:
    """The ref with its flags: `!` major (magenta), `^` escalated, `+` a call linked to the incident
    listed above it. ASCII marks keep widths exact in terminals where ★ or ↑ are drawn two cells wide."""
    flags = ("!" if req.major else " ") + ("^" if req.escalated_at else " ")
    return Text.assemble(
        (flags, "bold magenta" if req.major else "bold yellow"),
        ("+", "bold cyan") if req.incident else " ",
        (req.ref, "bold magenta" if req.major else ""),
    )


def row_cells(
    req: Request,
    now: datetime,
    *,
    t: Translator,
    tz: tzinfo,
    category: str,
    staff: Mapping[str, Staff],
    hidden: frozenset[str] = frozenset(),
) -> dict[str, object]:
    """A request's cells, as values: the table fits them to its columns. `hidden` names the fields
    its viewer may not see (permissions.sight)."""
    holder = staff.get(req.assignee or "")
    what = (
        t("report.hidden")
        if "description" in hidden
        else " ".join(visible(req.description, newlines=False).split())
    )
    return {
        "ref": ref_cell(req),
        "category": typed(category),
        "unit": typed(HIDDEN if "unit" in hidden else req.unit),
        "requester": typed(
            HIDDEN if "requester_name" in hidden and req.requester_name else req.requester_name
        ),
        "received": Text(req.received_at.astimezone(tz).strftime("%H:%M")),
        "countdown": countdown_cell(req, now),
        "state": state_cell(req, now, t),
        "assignee": typed(holder.name if holder else (req.assignee or "")),
        "what": Text(what, style="dim"),
    }

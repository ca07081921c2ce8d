"""The queue's columns and cells, as values: what the live table (queue_table.py) shows and what
the desk's first frame (first_frame.py) draws before the rest of the desk is loaded — so both show
the same rows alike. Rich and the domain's plain rules only: no textual, no database.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.text import Text

from liyuan_tui.domain.deadlines import Urgency, format_countdown, seconds_left, urgency
from liyuan_tui.domain.i18n import Translator
from liyuan_tui.domain.safe_text import HIDDEN, visible

# (the layout is the CLI's too; the live table and the first frame import it from here)
from liyuan_tui.reports.queue_columns import (  # noqa: F401
    BASE,
    COLUMNS,
    GROW,
    OPTIONAL,
    ORDER,
    queue_layout,
    short_category,
)

if TYPE_CHECKING:
    from liyuan_tui.domain.models import Request, Staff

# The columns and their widths are the queue's own layout (reports/queue_columns.py), shared with
# `liyuan queue` so the command line fits a terminal as the desk does.
URGENCY_STYLE = {
    Urgency.OK: "green",
    Urgency.WARNING: "bold #ffaf00",  # amber
    Urgency.OVERDUE: "bold red",
    Urgency.REPLIED: "dim",
}


def countdown_cell(req: Request, now: datetime, lang: str = "zh") -> Text:
    """`mm:ss` left or `-mm:ss` overdue (hours and days beyond an hour, as fit in the column),
    coloured by urgency (frozen once replied)."""
    shown = format_countdown(seconds_left(req, now), lang, width=6)
    return Text(" " * (6 - cell_len(shown)) + shown, style=URGENCY_STYLE[urgency(req, now)])


def state_cell(req: Request, now: datetime, t: Translator) -> Text:
    state = urgency(req, now)
    return Text(t(f"state.{state}"), style=URGENCY_STYLE[state])


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
        # A draft (the form left before its unit was typed: its clock runs) is marked as one.
        "unit": typed(HIDDEN if "unit" in hidden else req.unit)
        if req.unit or "unit" in hidden
        else Text(t("ui.queue.draft"), style="italic #ffaf00"),
        "requester": typed(
            HIDDEN if "requester_name" in hidden and req.requester_name else req.requester_name
        ),
        "received": Text(req.received_at.astimezone(tz).strftime("%H:%M")),
        "countdown": countdown_cell(req, now, t.lang),
        "state": state_cell(req, now, t),
        "assignee": typed(holder.name if holder else (req.assignee or "")),
        "what": Text(what, style="dim"),
    }

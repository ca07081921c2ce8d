"""`liyuan queue` as a table that fits the terminal as the desk's queue does: the same columns for
the same width (reports/queue_columns.py), each cell cut with "…" to its column, never a column
squeezed to nothing; overdue times in hours and days, never `-7873:49`."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from rich.cells import cell_len
from rich.text import Text

from liyuan_tui.domain.deadlines import format_countdown, seconds_left, urgency
from liyuan_tui.domain.permissions import hidden_fields
from liyuan_tui.domain.safe_text import visible
from liyuan_tui.reports.export import HIDDEN
from liyuan_tui.reports.queue_columns import ORDER, queue_layout, short_category
from liyuan_tui.widgets.fit import padded

if TYPE_CHECKING:
    from .context import Context

COLOURS = {"ok": "", "warning": "yellow", "overdue": "bold red", "replied": "green"}
PIPED_WIDTH = 200  # a pipe or a file has no width: every column, as a wide terminal would
COUNTDOWN = 10  # cells: room for days and hours (-5天11时), two more than the desk's ticking column


def print_queue(
    ctx: Context, reqs: Iterable[Any], now: datetime, under: frozenset[str] = frozenset()
) -> None:
    """The open requests, an incident's linked calls (`under`) marked └ under its first call."""
    from rich.console import Console

    t, tz, procs, me = ctx.t, ctx.settings.tz, ctx.store.procedures, ctx.me
    out = ctx.raw_out
    tty = hasattr(out, "isatty") and out.isatty()
    console = Console(file=out, soft_wrap=True, width=None if tty else PIPED_WIDTH)
    labels = {key: t(f"column.{key}") for key in ORDER if key != "what"}
    labels["what"] = t("field.description")

    def category(key: str) -> str:
        return short_category(key, procs, t) if key else t("cli.no_category")

    names = [category(k) for k in ("", *procs)]
    states = [t(f"state.{s}") for s in ("ok", "warning", "overdue", "replied")]
    widths = queue_layout(
        console.width,
        2 + max(cell_len(n) for n in names + [labels["category"]]),
        2 + max(cell_len(n) for n in states + [labels["state"]]),
        countdown=COUNTDOWN,
    )
    staff = {s.login: s.name for s in ctx.store.staff.list_staff()}
    console.print(Text(t("cli.queue_title", count=len(reqs := list(reqs))), style="bold"))
    console.print(_line({k: labels[k] for k in widths}, widths, "bold"))
    for r in reqs:
        state = str(urgency(r, now))
        hidden = hidden_fields(me, r, procs)
        values = {
            "countdown": format_countdown(seconds_left(r, now), t.lang, width=COUNTDOWN - 2),
            "ref": ("!" if r.major else " ")
            + ("^" if r.escalated_at else " ")
            + " "
            + ("└ " if r.ref in under else "")
            + r.ref,
            "category": category(r.category),
            "unit": HIDDEN if "unit" in hidden else r.unit,
            "requester": HIDDEN if "requester_name" in hidden and r.requester_name else r.requester_name,
            "received": r.received_at.astimezone(tz).strftime("%H:%M"),
            "state": t(f"state.{state}"),
            "assignee": staff.get(r.assignee, r.assignee) if r.assignee else "",
            "what": t("report.hidden") if "description" in hidden else r.description,
        }
        console.print(_line(values, widths, COLOURS[state]))


def _line(values: dict[str, str], widths: dict[str, int], style: str) -> Text:
    """One row: each value (text from people: never markup, controls as escapes) in its column."""
    line = Text(no_wrap=True, style=style)
    for key, width in widths.items():
        line.append_text(padded(" ".join(visible(values.get(key) or "", newlines=False).split()), width))
    return line

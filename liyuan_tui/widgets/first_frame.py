"""The desk's first frame: the queue as the live desk lays it out (its columns and cells are
queue_cells.py's, its order views.ordered's), drawn from what is cheap to read (first_look.py)
before the ORM, the store and Textual are imported — most of a desk's start-up. It is a picture:
keys typed meanwhile wait in the terminal for the live desk, which replaces it as soon as it
starts (`hand_over`, from LiyuanApp's load, just before Textual takes the terminal).

Drawn on the terminal's alternate screen, as the desk is; the live desk's own switch to it
clears it. Anything printed meanwhile (a refusal: an unknown login, a database to migrate) first
hands the terminal back, so it is read on the normal screen as always.
"""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Sequence
from datetime import datetime
from importlib import resources
from typing import Any, TextIO, cast

from rich.cells import cell_len
from rich.console import Console
from rich.text import Text

from liyuan_tui.domain.config import Settings
from liyuan_tui.domain.deadlines import Urgency, urgency
from liyuan_tui.domain.i18n import Translator
from liyuan_tui.domain.permissions import hidden_fields
from liyuan_tui.domain.safe_text import visible
from liyuan_tui.domain.views import ordered
from liyuan_tui.first_look import FirstLook, first_look

from .fit import padded
from .queue_cells import ORDER, queue_layout, row_cells, short_category

ENTER = "\x1b7\x1b[?1047h\x1b[?25l\x1b[H\x1b[2J"  # save the cursor, alternate screen, hide it, clear
LEAVE = "\x1b[?1047l\x1b8\x1b[?25h"  # the normal screen, the cursor where it was and shown
BAR = "on #2b2b2b"  # the header's and the counts' line (Textual's $panel, near enough)
_shown = False


def show(settings: Settings, now: datetime, out: TextIO | None = None) -> bool:
    """Draw the first frame of `settings`' desk on the terminal, if there is one to draw (a SQLite
    file this login's staff row is in, a terminal to draw on). Returns whether it was drawn."""
    global _shown
    out = out or sys.__stdout__
    path = settings.db_path
    if out is None or _shown or path is None or not out.isatty():
        return False
    if settings.login != settings.os_login and not settings.os_root:
        return False  # acting for another login: whether it may is the store's to say
    look = first_look(path, settings.login)
    if look is None or look.me.role == "technician":  # (a technician's desk opens on their orders)
        return False
    try:
        width, height = os.get_terminal_size(out.fileno())
    except OSError:
        return False
    lines = frame(look, settings, now, width, height)
    out.write(ENTER + ansi(lines, width))
    out.flush()
    _shown = True
    sys.stdout, sys.stderr = _HandsBack(sys.stdout), _HandsBack(sys.stderr)
    return True


def hand_over() -> None:
    """The terminal back as it was, for the live desk (or for a refusal) to take."""
    global _shown
    if not _shown:
        return
    _shown = False
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if isinstance(stream, _HandsBack):
            setattr(sys, name, stream.stream)
    if sys.__stdout__ is not None:
        sys.__stdout__.write(LEAVE)
        sys.__stdout__.flush()


class _HandsBack:
    """A stream that hands the terminal back before the first thing is written to it."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        hand_over()
        return self.stream.write(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)


def frame(look: FirstLook, settings: Settings, now: datetime, width: int, height: int) -> list[Text]:
    """The queue page's lines: the header, the counts, the table's header and its rows."""
    t = Translator(settings.lang)
    me = look.me
    requests = look.requests
    who = visible(t("ui.app.who", name=me.name, role=t(f"role.{me.role}")), newlines=False)
    header = Text(f"{t('ui.app.title')} — {who}"[:width].center(width), style=BAR)
    counts = Text(" " + _counts(requests, t, now), style=BAR, no_wrap=True)
    counts.truncate(width, pad=True)
    names = [_category(key, t) for key in ("", *_categories(settings, requests))]
    labels = {key: t(f"column.{key}") for key in ORDER}
    labels["received"] = t("ui.queue.column_received")
    states = [t(f"state.{s}") for s in Urgency]
    widths = queue_layout(
        width - 1,  # (the table's scroll bar)
        2 + max(cell_len(n) for n in [*names, labels["category"]]),
        2 + max(cell_len(n) for n in [*states, labels["state"]]),
    )
    head = Text.assemble(*(padded(labels[key], w) for key, w in widths.items()), style="bold")
    lines = [header, counts, head]
    for req in ordered(requests, me, now)[: max(0, height - 4)]:
        cells = row_cells(
            req,
            now,
            t=t,
            tz=settings.tz,
            category=_category(req.category, t),
            staff=look.staff,
            hidden=hidden_fields(me, req),  # (no procedures: a task's sight is the live desk's to give)
        )
        lines.append(Text.assemble(*(_cell(cells.get(key, ""), w) for key, w in widths.items())))
    return lines


def ansi(lines: Sequence[Text], width: int) -> str:
    buffer = io.StringIO()
    console = Console(
        file=buffer, force_terminal=True, color_system="truecolor", width=width, highlight=False
    )
    for y, line in enumerate(lines):
        buffer.write(f"\x1b[{y + 1};1H")
        console.print(line, end="", no_wrap=True, overflow="crop", crop=True, highlight=False)
    return buffer.getvalue()


def _cell(value: object, width: int) -> Text:
    return padded(value if isinstance(value, Text) else str(value), width)


def _counts(requests: list[Any], t: Translator, now: datetime) -> str:
    text = t(
        "ui.queue.counts",
        open=len(requests),
        overdue=sum(1 for r in requests if urgency(r, now) is Urgency.OVERDUE),
        escalated=sum(1 for r in requests if r.escalated_at),
        major=sum(1 for r in requests if r.major),
    )
    return text + "   " + t("ui.queue.filter_now", filter=t("ui.filter.all"))


def _category(key: str, t: Translator) -> str:
    return short_category(key, cast(Any, {}), t) if key else t("ui.queue.no_category")


def _categories(settings: Settings, requests: list[Any]) -> list[str]:
    """The categories the live desk makes room for: the shipped procedures', the site's own files',
    and those of the requests shown."""
    shipped = resources.files("liyuan_tui.data").joinpath("procedures")
    keys = [entry.name.removesuffix(".toml") for entry in shipped.iterdir() if entry.name.endswith(".toml")]
    if settings.procedures_dir is not None and settings.procedures_dir.is_dir():
        keys += [path.stem for path in settings.procedures_dir.glob("*.toml")]
    return sorted({*keys, *(r.category for r in requests if r.category)})

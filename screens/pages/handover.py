"""`h`: the shift handover sheet — what came in during the shift, what is still open and with whom,
what is overdue, which escalations nobody has answered, the duty log, and handovers waiting to be
accepted. Live: it is read again (in a thread) when another terminal changes something, and once a
minute so the times left it shows stay current. `s` changes when the shift started (by default, the
later of 18:00 and the last signed handover); `x` writes the sheet as Markdown; `l` adds a line to
the duty log, `g` signs the handover to the next shift, `a` accepts one handed to you (the body's
own keys: parts/shift_record.py)."""

from __future__ import annotations

import io
from datetime import datetime, time, timedelta
from typing import ClassVar

from rich.console import Console, Group, RenderableType
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.reactive import var
from textual.widgets import Header, Static

from liyuan_tui.domain.deadlines import Urgency, format_countdown
from liyuan_tui.domain.safe_text import visible
from liyuan_tui.reports.handover import (
    NIGHT_SHIFT_START,
    HandoverItem,
    HandoverSheet,
    handover_sheet,
    parse_since,
    render_handover,
    shift_start,
)
from liyuan_tui.reports.handover_shift import default_since
from liyuan_tui.reports.tables import escalated_to_name
from liyuan_tui.widgets.handover_back_office import back_office_section
from liyuan_tui.widgets.key_bar import KeyBar
from liyuan_tui.widgets.keys import HANDOVER_KEYS
from liyuan_tui.widgets.messages import Changes, SheetRead, StoreRefused
from liyuan_tui.widgets.page import Page
from liyuan_tui.widgets.plain import plain
from liyuan_tui.widgets.queue_table import URGENCY_STYLE, short_category
from liyuan_tui.widgets.sheet_lines import SheetLines, column_widths
from liyuan_tui.widgets.shift_section import log_section, signed_lines
from liyuan_tui.widgets.store_work import store_work

from ..dialogs import AskScreen, ExportScreen
from ..parts.shift_record import ShiftRecord

RELOAD_EVERY = timedelta(minutes=1)
LIST_LIMIT = 100
COLUMNS = (
    "column.ref",
    "column.category",
    "column.unit",
    "column.received",
    "column.state",
    "column.assignee",
)
SECTIONS = (
    ("came_in", "handover.came_in"),
    ("still_open", "handover.still_open"),
    ("overdue", "handover.overdue"),
    ("unanswered_escalations", "handover.escalations"),
)


class HandoverScreen(Page):
    CSS_PATH = "handover.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("h", "reload", show=False)
    ]  # h again reads the sheet afresh
    KEYS = HANDOVER_KEYS
    sheet: var[HandoverSheet | None] = var(None)  # as last read (its body's keys act on it)

    def __init__(self, at: time | None = None) -> None:
        super().__init__(classes="handover")
        self.at = at  # the shift starts at the most recent `at`, local time (None: the default)
        self._loading = False
        self._again = False
        self._loaded_at: datetime | None = None

    def compose(self) -> ComposeResult:
        yield Header(icon="")
        yield Static(id="handover-bar")
        with ShiftRecord(id="handover-body").data_bind(HandoverScreen.sheet):
            yield Static(self.app.t("screens.handover.loading"), id="handover-status")
            yield Static(id="handover-signed", classes="handover-section")
            for key, _ in SECTIONS:
                yield Static(id=f"handover-{key.replace('_', '-')}", classes="handover-section")
            yield Static(id="handover-log", classes="handover-section")
            yield Static(id="handover-back-office", classes="handover-section")
        yield KeyBar()

    def on_mount(self) -> None:
        self.bar = self.query_one("#handover-bar", Static)
        self.status = self.query_one("#handover-status", Static)
        self.sections = {
            key: self.query_one(f"#handover-{key.replace('_', '-')}", Static) for key, _ in SECTIONS
        }
        self.back_office = self.query_one("#handover-back-office", Static)
        self.signed_line = self.query_one("#handover-signed", Static)
        self.duty_log = self.query_one("#handover-log", Static)
        self.query_one("#handover-body").focus()
        self.watch(self.app, "changes", self._changed, init=False)
        self.on_clock(self.tick)
        self.load()

    # --- loading ---------------------------------------------------------------------------------

    def load(self) -> None:
        """Read the sheet in a thread; a change that arrives meanwhile reads it once more after."""
        now = self.app.clock.now()
        # (A read that never came back, say a worker that died, holds the next one back a minute at most.)
        if self._loading and self._loaded_at is not None and now - self._loaded_at < RELOAD_EVERY:
            self._again = True
            return
        self._loading = True
        self._loaded_at = now
        at, tz, store = self.at, self.app.tz, self.app.store

        def read() -> HandoverSheet:
            since = (
                shift_start(now, tz, at) if at is not None else default_since(store, now, NIGHT_SHIFT_START)
            )
            return handover_sheet(store, since, now)

        store_work(self, read, SheetRead, action="handover")

    def _done_loading(self) -> None:
        self._loading = False
        if self._again and self.is_attached:
            self._again = False
            self.load()

    @on(StoreRefused)
    def _failed(self, msg: StoreRefused) -> None:
        msg.stop()
        if msg.action != "handover":  # a line of the log, a signature, an acceptance: said at once
            self.app.show_error(msg.error)
            return
        self._done_loading()
        self.status.update(plain(msg.error.message(self.app.t)))
        self.status.display = True

    @on(SheetRead)
    def _sheet_read(self, msg: SheetRead) -> None:
        self._done_loading()
        self.show_sheet(msg.sheet)

    def show_sheet(self, sheet: HandoverSheet) -> None:
        t = self.app.t
        self.sheet = sheet
        # Times of today as HH:MM; the shift began yesterday evening when it is morning now.
        self.bar.update(
            t(
                "screens.handover.bar",
                since=self._when(sheet.since, sheet.now),
                now=self._when(sheet.now, sheet.now),
            )
        )
        self.status.display = False
        # At most LIST_LIMIT a list (a site that never closes its requests could have thousands open:
        # laying them all out again on every change would stall the desk); the export has them all.
        rows = {
            key: [self._cells(x, sheet.now) for x in getattr(sheet, key)[:LIST_LIMIT]] for key, _ in SECTIONS
        }
        # The four lists share their column widths, so they read as one sheet.
        header = [t(name) for name in COLUMNS]
        widths = column_widths(header, [r for rs in rows.values() for r in rs])
        header.append(t("screens.handover.what"))
        for key, title in SECTIONS:
            items: list[HandoverItem] = getattr(sheet, key)
            to_whom = key == "unanswered_escalations"
            lines = [
                (cells, self._what(x, to_whom)) for cells, x in zip(rows[key], items, strict=False)
            ]  # (LIST_LIMIT)
            body: RenderableType = (
                SheetLines(header, lines, widths) if items else Text(t("report.none"), style="dim")
            )
            if len(items) > LIST_LIMIT:
                body = Group(
                    body, Text(t("screens.handover.more", count=len(items) - LIST_LIMIT), style="dim")
                )
            self.sections[key].update(Group(Text(t(title, count=len(items)), style="bold"), body))
        self.back_office.update(back_office_section(sheet, t, self.app.tz, self.app.staff))
        signed = signed_lines(sheet, t, self.app.tz, self.app.staff)
        self.signed_line.update(signed)
        self.signed_line.display = bool(signed)
        self.duty_log.update(log_section(sheet, t, self.app.tz, self.app.staff))

    def _changed(self, changes: Changes) -> None:
        if changes.events:
            self.load()

    def tick(self, now: datetime) -> None:
        if self._loaded_at is not None and now - self._loaded_at >= RELOAD_EVERY:
            self.load()

    # --- the tables ------------------------------------------------------------------------------

    def _when(self, when: datetime, now: datetime) -> str:
        local = when.astimezone(self.app.tz)
        return (
            f"{local:%H:%M}" if local.date() == now.astimezone(self.app.tz).date() else f"{local:%m-%d %H:%M}"
        )

    def _cells(self, x: HandoverItem, now: datetime) -> list[Text]:
        """The cells every list has (COLUMNS), for one request."""
        app, t = self.app, self.app.t
        holder = app.staff.get(x.holder or "")
        return [
            # The queue's marks: ! major, ^ escalated.
            Text.assemble(
                ("!" if x.major else " ", "bold magenta"),
                ("^" if x.escalated_to else " ", "bold yellow"),
                (x.ref, "bold magenta" if x.major else ""),
            ),
            plain(
                short_category(x.category, app.procedures, t) if x.category else t("ui.queue.no_category"),
                one_line=True,
            ),
            plain(x.unit or "-", one_line=True),
            Text(self._when(x.received_at, now)),
            self._state(x),
            plain(holder.name if holder else (x.holder or t("handover.nobody")), one_line=True),
        ]

    def _what(self, x: HandoverItem, to_whom: bool) -> Text:
        t = self.app.t
        what = Text()
        if to_whom and x.escalated_to:  # not a column of its own: role names are long words
            what.append(f"^{visible(escalated_to_name(x.escalated_to, t), newlines=False)} ", style="yellow")
        if x.description is None:
            what.append(t("report.hidden"), style="dim")
        else:
            what.append(visible(x.description, newlines=False))
        return what

    def _state(self, x: HandoverItem) -> Text:
        """Not yet replied: the countdown (red when overdue; over an hour late, in hours); else the status."""
        state = Urgency(x.state)
        if state is Urgency.REPLIED or x.status != "open":
            return Text(self.app.t(f"status.{x.status}"), style="dim")
        return Text(format_countdown(x.seconds_left, self.app.t.lang), style=URGENCY_STYLE[state])

    def body_text(self, width: int = 120) -> str:
        """What the body shows, as plain text (what the tests read)."""
        console = Console(width=width, record=True, file=io.StringIO(), color_system=None)
        for widget in [
            self.status,
            self.signed_line,
            *self.sections.values(),
            self.duty_log,
            self.back_office,
        ]:
            if widget.display:
                console.print(widget.content)
        return console.export_text()

    # --- keys ------------------------------------------------------------------------------------

    def action_reload(self) -> None:
        self.load()

    def action_since(self) -> None:
        t = self.app.t

        def chosen(at: time | None) -> None:
            if at is not None:
                self.at = at
                self.load()

        self.app.push_screen(
            AskScreen(
                t("screens.handover.since_title"),
                t("screens.handover.since_prompt"),
                check=parse_since,
                value=f"{self.at or NIGHT_SHIFT_START:%H:%M}",
            ),
            chosen,
        )

    def action_export(self) -> None:
        app, t, sheet = self.app, self.app.t, self.sheet
        if sheet is None:
            return
        stamp = f"{sheet.since.astimezone(app.tz):%Y-%m-%d-%H%M}"
        app.push_screen(
            ExportScreen(
                t("screens.export.handover_title"),
                ("md",),
                lambda fmt: f"liyuan-handover-{stamp}.{fmt}",
                lambda fmt: render_handover(sheet, t, app.procedures, app.tz),
            )
        )

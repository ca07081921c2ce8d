"""`ctrl+r`: the month report (procedure 4.10) on screen — the written summary first, the overview
beside the previous month, charts of what people would rather see than read, then every figure.
Computed in a thread worker; `x` exports it as Markdown, CSV or JSON (report_render's own text).

Only the customer-service supervisors and the manager may see reports: the report itself refuses
anyone else, and the screen says so in the user's language.
"""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING

from rich.console import Console, Group
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from liyuan_tui.domain.errors import DeskError
from liyuan_tui.reports.month_render import render
from liyuan_tui.reports.month import Month, MonthReport, month_report
from liyuan_tui.widgets.keys import REPORT_KEYS, bindings, key_label, translate_bindings
from liyuan_tui.widgets.messages import ReportRead, StoreRefused
from liyuan_tui.widgets.plain import plain
from liyuan_tui.widgets.report_view import Section, report_sections
from liyuan_tui.widgets.store_work import store_work

if TYPE_CHECKING:
    from liyuan_tui.app import LiyuanApp

# In the first days of a month the report people want is last month's (procedure 4.10: month end).
PREVIOUS_MONTH_UNTIL_DAY = 5


def default_month(now: datetime, tz: tzinfo) -> Month:
    this = Month.of(now, tz)
    return this.previous() if now.astimezone(tz).day <= PREVIOUS_MONTH_UNTIL_DAY else this


def next_month(month: Month) -> Month:
    return Month(month.year + month.month // 12, month.month % 12 + 1)


class ReportScreen(Screen):
    CSS_PATH = "report.tcss"
    # The footer shows the arrows (the body's own arrow keys hide them from it; they still work).
    # ctrl+r again counts afresh (the current month keeps growing).
    BINDINGS = [replace(b, key_display=key_label(b.key).split(" / ")[0]) if "," in b.key else b
                for b in bindings(REPORT_KEYS)] + [Binding("ctrl+r", "reload", show=False)]
    KEYS = REPORT_KEYS
    app: "LiyuanApp"

    def __init__(self, month: Month | None = None) -> None:
        super().__init__(classes="report")
        self.month = month
        self.report: MonthReport | None = None
        self.refusal: str | None = None  # why this user may not see reports
        self._sections: list[Static] = []

    def compose(self) -> ComposeResult:
        translate_bindings(self, self.app.t)
        yield Header(icon="")
        yield Static(id="report-bar")
        with VerticalScroll(id="report-body"):
            yield Static(id="report-status")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.bar = self.query_one("#report-bar", Static)
        self.body = self.query_one("#report-body", VerticalScroll)
        self.status = self.query_one("#report-status", Static)
        if self.month is None:
            self.month = default_month(self.app.clock.now(), self.app.tz)
        self.body.focus()
        self.load()

    # --- loading ---------------------------------------------------------------------------------

    def load(self) -> None:
        assert self.month is not None
        t = self.app.t
        self.report = None
        self.bar.update(t("report.title", month=str(self.month)))
        self._show_status(t("screens.report.loading", month=str(self.month)))
        store, month, procedures = self.app.store, self.month, self.app.procedures

        def prepare() -> tuple[MonthReport, list[Section]]:
            """In the worker thread: the figures, and the sections built from them (pure Rich
            objects), so the event loop only swaps them in."""
            report = month_report(store, month)
            return report, report_sections(report, t, procedures)

        store_work(self, prepare, lambda prepared: ReportRead(*prepared), action="report", exclusive=True)

    @on(ReportRead)
    def _report_read(self, msg: ReportRead) -> None:
        self.show_report(msg.report, msg.sections)

    def show_report(self, report: MonthReport, sections: list[Section]) -> None:
        if report.month != self.month:  # another month asked since
            return
        app, t = self.app, self.app.t
        self.report = report
        generated = f"{report.generated_at.astimezone(app.tz):%Y-%m-%d %H:%M}"
        self.bar.update(t("screens.report.bar", month=str(report.month), previous=str(report.previous.month),
                          generated=generated))
        if len(sections) != len(self._sections):
            for old in self._sections:
                old.remove()
            self._sections = [Static(classes="report-section") for _ in sections]
            self.body.mount_all(self._sections)
        for widget, (title, body) in zip(self._sections, sections):
            widget.update(Group(Text(title, style="bold"), body))
            widget.display = True
        self.status.display = False
        self.body.scroll_home(animate=False)

    @on(StoreRefused)
    def _refused(self, msg: StoreRefused) -> None:
        msg.stop()
        self.refused(msg.error)

    def refused(self, error: DeskError) -> None:
        t = self.app.t
        if error.key == "error.not_allowed":
            role, action = error.params.get("role", ""), error.params.get("action", "")
            text = self.refusal = t("screens.report.refused", role=t(f"role.{role}"), action=t(f"action.{action}"))
            self.refresh_bindings()  # the month and export keys leave the footer
        else:
            text = t("screens.report.failed", reason=error.message(t))
        self._show_status(text, error=True)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.refusal is not None and action in ("previous_month", "next_month", "choose_month", "export"):
            return False
        return True

    def _show_status(self, text: str, error: bool = False) -> None:
        self.status.update(plain(text))
        self.status.set_class(error, "-error")
        self.status.display = True
        for widget in self._sections:
            widget.display = False

    def body_text(self, width: int = 120) -> str:
        """What the body shows, as plain text (what the tests read)."""
        console = Console(width=width, record=True, file=io.StringIO(), color_system=None)
        for widget in [self.status, *self._sections]:
            if widget.display:
                console.print(widget.content)
        return console.export_text()

    # --- keys ------------------------------------------------------------------------------------

    def action_previous_month(self) -> None:
        assert self.month is not None
        self.month = self.month.previous()
        self.load()

    def action_next_month(self) -> None:
        assert self.month is not None
        latest = Month.of(self.app.clock.now(), self.app.tz)
        if self.month >= latest:  # nothing has happened in later months yet
            self.app.notify(self.app.t("screens.report.latest", month=str(latest)), timeout=3)
            return
        self.month = next_month(self.month)
        self.load()

    def action_choose_month(self) -> None:
        from .dialogs import AskScreen

        t = self.app.t

        def chosen(month: Month | None) -> None:
            if month is not None:
                self.month = month
                self.load()

        self.app.push_screen(AskScreen(t("screens.report.month_title"), t("screens.report.month_prompt"),
                                       check=Month.parse, value=str(self.month)), chosen)

    def action_reload(self) -> None:
        self.load()

    def action_export(self) -> None:
        from .export_dialog import ExportScreen

        app, t, report = self.app, self.app.t, self.report
        if report is None:
            app.notify(t("screens.report.nothing_to_export"), severity="warning", timeout=4)
            return
        month = str(report.month)
        app.push_screen(ExportScreen(t("screens.export.report_title", month=month), ("md", "csv", "json"),
                                     lambda fmt: f"liyuan-report-{month}.{fmt}",
                                     lambda fmt: render(report, fmt, t, app.procedures)))

    def action_back(self) -> None:
        self.app.pop_screen()

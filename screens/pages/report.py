"""`ctrl+r`: the month report (procedure 4.10) on screen — the written summary first, the overview
beside the previous month, charts of what people would rather see than read, then every figure.
Computed in a thread worker; `x` exports it as Markdown, CSV or JSON (report_render's own text).

Only the customer-service supervisors and the manager may see reports: the report itself refuses
anyone else, and the screen says so in the user's language.
"""

from __future__ import annotations

import io
from typing import ClassVar

from rich.console import Console, Group
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Header, Static

from liyuan_tui.reports.month import Month, MonthReport, month_report
from liyuan_tui.reports.month_render import render
from liyuan_tui.widgets.key_bar import KeyBar
from liyuan_tui.widgets.keys import REPORT_KEYS
from liyuan_tui.widgets.messages import ReportRead
from liyuan_tui.widgets.report_view import Section, report_sections
from liyuan_tui.widgets.store_work import store_work

from ..dialogs import ExportScreen, TextScreen
from ..parts.month_keys import MonthKeys, MonthPage, default_month


class ReportScreen(MonthPage):
    CSS_PATH = "report.tcss"
    # ctrl+r again counts afresh (the current month keeps growing).
    BINDINGS: ClassVar[list[BindingType]] = [Binding("ctrl+r", "reload", show=False)]
    KEYS = REPORT_KEYS

    def __init__(self, month: Month | None = None) -> None:
        super().__init__(classes="report")
        self.first_month = month
        self.report: MonthReport | None = None
        self._sections: list[Static] = []

    def compose(self) -> ComposeResult:
        yield Header(icon="")
        yield Static(id="report-bar")
        yield MonthKeys(
            Static(id="report-status"),
            month=self.first_month or default_month(self.app.clock.now(), self.app.tz),
            refused="screens.report.refused",
            failed="screens.report.failed",
            id="report-body",
        )
        yield KeyBar()

    def on_mount(self) -> None:
        self.bar = self.query_one("#report-bar", Static)
        self.body = self.query_one(MonthKeys)
        self.status = self.body.status
        self.body.focus()
        self.load()

    # --- loading ---------------------------------------------------------------------------------

    def load(self) -> None:
        t = self.app.t
        self.report = None
        self.bar.update(t("report.title", month=str(self.month)))
        self.body.show_status(t("screens.report.loading", month=str(self.month)))
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
        self.bar.update(
            t(
                "screens.report.bar",
                month=str(report.month),
                previous=str(report.previous.month),
                generated=generated,
            )
        )
        if len(sections) != len(self._sections):
            for old in self._sections:
                old.remove()
            self._sections = [Static(classes="report-section") for _ in sections]
            self.body.mount_all(self._sections)
        for widget, (title, body) in zip(self._sections, sections, strict=True):
            widget.update(Group(Text(title, style="bold"), body))
            widget.display = True
        self.status.display = False
        self.body.scroll_home(animate=False)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        refused = any(body.refusal is not None for body in self.query(MonthKeys))
        if refused and action in ("write_analysis", "export"):
            return False  # nor an analysis or an export of a report this user may not see
        return super().check_action(action, parameters)

    def body_text(self, width: int = 120) -> str:
        """What the body shows, as plain text (what the tests read)."""
        console = Console(width=width, record=True, file=io.StringIO(), color_system=None)
        for widget in [self.status, *self._sections]:
            if widget.display:
                console.print(widget.content)
        return console.export_text()

    # --- keys ------------------------------------------------------------------------------------

    def action_reload(self) -> None:
        self.load()

    def action_write_analysis(self) -> None:
        """The supervisor's own analysis of the month, beside the automatic facts (4.10)."""
        app, t, report = self.app, self.app.t, self.report
        if report is None:
            return
        month, analyses = str(self.month), app.store.analyses

        def saved(analysis: object) -> None:
            if analysis is not None:
                app.notify(t("screens.report.analysis_saved", month=month), timeout=4)
                self.load()

        app.push_screen(
            TextScreen(
                t("screens.report.analysis_title", month=month),
                t("screens.report.analysis_hint"),
                report.analysis.text if report.analysis is not None else "",
                lambda text: analyses.write(month, text),
            ),
            saved,
        )

    def action_export(self) -> None:
        app, t, report = self.app, self.app.t, self.report
        if report is None:
            app.notify(t("screens.report.nothing_to_export"), severity="warning", timeout=4)
            return
        month = str(report.month)
        app.push_screen(
            ExportScreen(
                t("screens.export.report_title", month=month),
                ("md", "csv", "json", "xlsx"),
                lambda fmt: f"liyuan-report-{month}.{fmt}",
                lambda fmt: render(report, fmt, t, app.procedures),
            )
        )

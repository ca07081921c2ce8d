"""The staff scorecard (考核) on screen, from the command palette: the team beside the previous
month, then one line per staff member. Computed in a thread worker; the month keys and `x` export
work as on the month report (`liyuan staff scorecard` writes the same tables). Only supervisors
and the manager see it: the scorecard itself refuses anyone else, and the screen says so."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from liyuan_tui.reports.month import Month
from liyuan_tui.reports.scorecard import Scorecard, scorecard
from liyuan_tui.reports.scorecard_render import render_scorecard, scorecard_tables
from liyuan_tui.widgets.keys import SCORECARD_KEYS, translate_bindings
from liyuan_tui.widgets.messages import ScorecardRead
from liyuan_tui.widgets.report_view import figure_table
from liyuan_tui.widgets.store_work import store_work

from .month_keys import MonthKeys, default_month, month_bindings

if TYPE_CHECKING:
    from liyuan_tui.app import LiyuanApp


class ScorecardScreen(MonthKeys, Screen):
    CSS_PATH = "scorecard.tcss"
    REFUSED = "ui.scorecard.refused"
    FAILED = "ui.scorecard.failed"
    BINDINGS = month_bindings(SCORECARD_KEYS)
    KEYS = SCORECARD_KEYS
    app: "LiyuanApp"

    def __init__(self, month: Month | None = None) -> None:
        super().__init__(classes="scorecard")
        self.month = month
        self.card: Scorecard | None = None

    def compose(self) -> ComposeResult:
        translate_bindings(self, self.app.t)
        yield Header(icon="")
        yield Static(id="scorecard-bar")
        with VerticalScroll(id="scorecard-body"):
            yield Static(id="scorecard-status")
            yield Static(id="scorecard-team", classes="scorecard-section")
            yield Static(id="scorecard-people", classes="scorecard-section")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.bar = self.query_one("#scorecard-bar", Static)
        self.status = self.query_one("#scorecard-status", Static)
        self._sections = [
            self.query_one("#scorecard-team", Static),
            self.query_one("#scorecard-people", Static),
        ]
        if self.month is None:
            self.month = default_month(self.app.clock.now(), self.app.tz)
        self.query_one("#scorecard-body").focus()
        self.load()

    def load(self) -> None:
        assert self.month is not None
        t, store, month = self.app.t, self.app.store, self.month
        self.card = None
        self.bar.update(t("scorecard.title", month=str(month)))
        self.show_status(t("screens.report.loading", month=str(month)))

        def prepare() -> tuple[Scorecard, list]:
            card = scorecard(store, month)
            return card, [
                (title, figure_table(head, rows, t)) for title, head, rows in scorecard_tables(card, t)
            ]

        store_work(self, prepare, lambda done: ScorecardRead(*done), action="scorecard", exclusive=True)

    @on(ScorecardRead)
    def _read(self, msg: ScorecardRead) -> None:
        if msg.card.month != self.month:  # another month asked since
            return
        t = self.app.t
        self.card = msg.card
        self.bar.update(
            t(
                "ui.scorecard.bar",
                month=str(msg.card.month),
                previous=str(msg.card.previous_month),
                generated=f"{msg.card.generated_at.astimezone(self.app.tz):%Y-%m-%d %H:%M}",
            )
        )
        for widget, (title, body) in zip(self._sections, msg.sections):
            widget.update(Group(Text(title, style="bold"), body))
            widget.display = True
        self.status.display = False

    def action_export(self) -> None:
        from .export_dialog import ExportScreen

        app, t, card = self.app, self.app.t, self.card
        if card is None:
            app.notify(t("screens.report.nothing_to_export"), severity="warning", timeout=4)
            return
        month = str(card.month)
        app.push_screen(
            ExportScreen(
                t("ui.scorecard.export_title", month=month),
                ("md", "csv", "json", "xlsx"),
                lambda fmt: f"liyuan-scorecard-{month}.{fmt}",
                lambda fmt: render_scorecard(card, fmt, t),
            )
        )

    def action_back(self) -> None:
        self.app.pop_screen()

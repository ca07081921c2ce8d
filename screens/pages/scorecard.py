"""The staff scorecard (考核) on screen, from the command palette: the team beside the previous
month, then one line per staff member. Computed in a thread worker; the month keys and `x` export
work as on the month report (`liyuan staff scorecard` writes the same tables). Only supervisors
and the manager see it: the scorecard itself refuses anyone else, and the screen says so."""

from __future__ import annotations

from rich.console import Group
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widgets import Footer, Header, Static

from liyuan_tui.reports.month import Month
from liyuan_tui.reports.scorecard import Scorecard, scorecard
from liyuan_tui.reports.scorecard_render import render_scorecard, scorecard_tables
from liyuan_tui.widgets.keys import SCORECARD_KEYS
from liyuan_tui.widgets.messages import ScorecardRead
from liyuan_tui.widgets.report_view import figure_table
from liyuan_tui.widgets.store_work import store_work

from ..dialogs import ExportScreen
from ..parts.month_keys import MonthKeys, MonthPage, default_month


class ScorecardScreen(MonthPage):
    CSS_PATH = "scorecard.tcss"
    KEYS = SCORECARD_KEYS

    def __init__(self, month: Month | None = None) -> None:
        super().__init__(classes="scorecard")
        self.first_month = month
        self.card: Scorecard | None = None

    def compose(self) -> ComposeResult:
        yield Header(icon="")
        yield Static(id="scorecard-bar")
        with MonthKeys(
            Static(id="scorecard-status"),
            month=self.first_month or default_month(self.app.clock.now(), self.app.tz),
            refused="ui.scorecard.refused",
            failed="ui.scorecard.failed",
            id="scorecard-body",
        ):
            yield Static(id="scorecard-team", classes="scorecard-section")
            yield Static(id="scorecard-people", classes="scorecard-section")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.bar = self.query_one("#scorecard-bar", Static)
        self.body = self.query_one(MonthKeys)
        self.status = self.body.status
        self._sections = [
            self.query_one("#scorecard-team", Static),
            self.query_one("#scorecard-people", Static),
        ]
        self.body.focus()
        self.load()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        refused = any(body.refusal is not None for body in self.query(MonthKeys))
        if refused and action == "export":
            return False  # nor an export of a scorecard this user may not see
        return super().check_action(action, parameters)

    def load(self) -> None:
        t, store, month = self.app.t, self.app.store, self.month
        self.card = None
        self.bar.update(t("scorecard.title", month=str(month)))
        self.body.show_status(t("screens.report.loading", month=str(month)))

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
        for widget, (title, body) in zip(self._sections, msg.sections, strict=False):
            widget.update(Group(Text(title, style="bold"), body))
            widget.display = True
        self.status.display = False

    def action_export(self) -> None:
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

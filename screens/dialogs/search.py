"""`/`: requests (open or closed) by ref, unit, phone or name; ↓ or enter goes to the results,
enter there opens one."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from liyuan_tui.domain.models import Request
from liyuan_tui.domain.permissions import hidden_fields
from liyuan_tui.reports.export import HIDDEN
from liyuan_tui.widgets.messages import SearchFound
from liyuan_tui.widgets.plain import plain
from liyuan_tui.widgets.store_work import store_work

from .dialog import Dialog


class SearchScreen(Dialog[str]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("down", "to_results", show=False)]

    def compose(self) -> ComposeResult:
        t = self.app.t
        with Vertical(classes="dialog-box search-box"):
            yield Label(t("ui.search.title"), classes="dialog-title")
            yield Input(placeholder=t("ui.search.placeholder"), id="query")
            yield OptionList(id="results")
            yield Static("", classes="dialog-error")

    def on_mount(self) -> None:
        self.query_one(".dialog-error").display = False

    @on(Input.Changed, "#query")
    def _changed(self, event: Input.Changed) -> None:
        self.search(event.value)

    @on(Input.Submitted, "#query")
    def _submitted(self, event: Input.Submitted) -> None:
        self.action_to_results()

    def action_to_results(self) -> None:
        results = self.query_one("#results", OptionList)
        if results.option_count and not results.has_focus:
            results.focus()
            results.highlighted = 0

    def search(self, text: str) -> None:
        lookup = self.app.store.lookup
        store_work(
            self,
            lambda: lookup.search(text) if text.strip() else [],
            SearchFound,
            action="search",
            exclusive=True,
            group="search",
        )

    @on(SearchFound)
    def _show(self, msg: SearchFound) -> None:
        t = self.app.t
        results = self.query_one("#results", OptionList)
        me, procedures = self.app.me, self.app.procedures

        def line(r: Request) -> Text:
            hidden = hidden_fields(me, r, procedures)
            shown = [
                HIDDEN if f in hidden and getattr(r, f) else (getattr(r, f) or "-")
                for f in ("unit", "requester_name", "phone")
            ]
            return plain("  ".join([r.ref, *shown, t("status." + r.status)]), one_line=True)

        results.set_options(Option(line(r), id=r.ref) for r in msg.requests)

    @on(OptionList.OptionSelected, "#results")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

"""One of a list (a branch, a filter, a person): enter picks."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from liyuan_tui.widgets.plain import plain

from .dialog import Dialog


class PickScreen(Dialog[str]):
    def __init__(self, title: str, choices: list[tuple[str, str]], current: str | None = None) -> None:
        super().__init__(classes="dialog")
        self.title_text, self.choices, self.current = title, choices, current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Label(plain(self.title_text, one_line=True), classes="dialog-title")
            yield OptionList(
                *(Option(plain(label, one_line=True), id=value) for value, label in self.choices), id="pick"
            )
            yield Static("", classes="dialog-error")

    def on_mount(self) -> None:
        self.query_one(".dialog-error").display = False
        pick = self.query_one("#pick", OptionList)
        if self.current is not None and any(v == self.current for v, _ in self.choices):
            pick.highlighted = pick.get_option_index(self.current)

    @on(OptionList.OptionSelected, "#pick")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

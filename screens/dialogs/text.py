"""A text of several lines (the supervisor's analysis of a month): ctrl+s saves it through
`save(text)` in the dialog's worker, esc cancels; dismissed with what was saved."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Label, Static, TextArea

from liyuan_tui.widgets.messages import AnalysisSaved
from liyuan_tui.widgets.store_work import store_work

from .dialog import Dialog


class TextScreen(Dialog[Any]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("ctrl+s", "save_text", show=False)]

    def __init__(self, title: str, hint: str, text: str, save: Callable[[str], Any]) -> None:
        super().__init__(classes="dialog")
        self.title_text, self.hint, self.text, self.save_text = title, hint, text, save

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box text-box"):
            yield Label(self.title_text, classes="dialog-title")
            yield TextArea(self.text, id="text")
            yield Static("", classes="dialog-error")
            yield Static(self.hint, classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one(".dialog-error").display = False
        self.query_one("#text", TextArea).focus()

    def action_save_text(self) -> None:
        save, text = self.save_text, self.query_one("#text", TextArea).text
        store_work(self, lambda: save(text), AnalysisSaved, action="analysis")

    @on(AnalysisSaved)
    def _text_saved(self, msg: AnalysisSaved) -> None:
        self.dismiss(msg.analysis)

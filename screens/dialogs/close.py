"""Closing asks for the outcome; a request handed on asks to whom (never pass the buck). The
outcome's digit and the text typed straight after it each land where they belong (a Form)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from textual import on
from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Input, Label, Static

from liyuan_tui.domain.models import Request
from liyuan_tui.store import OUTCOME_KINDS
from liyuan_tui.widgets.choice_bar import Choice, ChoiceBar
from liyuan_tui.widgets.form_keys import Form, OneLineInput

from .dialog import Dialog


class CloseScreen(Dialog[Request]):
    def __init__(self, ref: str, close: Callable[[str, str, str], Request]) -> None:
        super().__init__(classes="dialog")
        self.ref, self.close = ref, close  # close(kind, outcome, handed_to)

    def compose(self) -> ComposeResult:
        t = self.app.t
        with Form(classes="dialog-box", enter_moves_on=self.enter_moves_on, focusable=False):
            yield Label(t("ui.close.title", ref=self.ref), classes="dialog-title")
            yield Label(t("ui.close.kind"))
            yield ChoiceBar(
                [Choice(k, str(i), t(f"ui.outcome.{k}")) for i, k in enumerate(OUTCOME_KINDS, 1)],
                value="resolved",
                id="kind",
            )
            yield Label(t("field.outcome"))
            yield OneLineInput(id="outcome")
            yield Label(t("field.handed_to"), id="handed-label")
            yield OneLineInput(id="handed_to")
            yield Static("", classes="dialog-error")
            yield Static(t("ui.close.hint"), classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one(".dialog-error").display = False
        self._show_handed(False)
        self.query_one("#kind", ChoiceBar).focus()

    def enter_moves_on(self, widget: Widget) -> bool:
        """Enter on the outcome goes on to "to whom" while a handed-on request does not say it yet;
        otherwise enter saves."""
        handed = self.query_one("#handed_to", Input)
        return (
            widget.id == "outcome"
            and self.query_one("#kind", ChoiceBar).value == "handed_on"
            and not handed.value
        )

    def _show_handed(self, show: bool) -> None:
        self.query_one("#handed-label").display = show
        self.query_one("#handed_to").display = show

    @on(ChoiceBar.Chosen, "#kind")
    def _kind(self, event: ChoiceBar.Chosen) -> None:
        self._show_handed(event.value == "handed_on")
        self.query_one("#outcome", Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        kind = self.query_one("#kind", ChoiceBar).value
        if (
            event.input.id == "outcome"
            and kind == "handed_on"
            and not self.query_one("#handed_to", Input).value
        ):
            self.query_one("#handed_to", Input).focus()
            return
        outcome = self.query_one("#outcome", Input).value
        handed_to = self.query_one("#handed_to", Input).value if kind == "handed_on" else ""
        self.save(partial(self.close, kind, outcome, handed_to), "closed")

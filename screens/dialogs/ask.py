"""One line of text: a step's value or note, an escalation note, a reason, a time, a month."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.suggester import SuggestFromList
from textual.widgets import Input, Label, Static

from liyuan_tui.domain.errors import DeskError
from liyuan_tui.domain.models import Request
from liyuan_tui.widgets.form_keys import OneLineInput
from liyuan_tui.widgets.plain import plain

from .dialog import Dialog


class AskScreen(Dialog[Any]):
    """With `save`, the answer is written by `save(answer)` and the dialog is dismissed with the
    request as written; with `check`, it is dismissed with `check(answer)` (which may refuse);
    else with the answer itself."""

    def __init__(
        self,
        title: str,
        prompt: str,
        *,
        save: Callable[[str], Request] | None = None,
        check: Callable[[str], Any] | None = None,
        action: str = "",
        value: str = "",
        choices: tuple[str, ...] = (),
        allow_empty: bool = False,
        append: bool = False,
    ) -> None:
        super().__init__(classes="dialog")
        self.title_text, self.prompt = title, prompt
        self.save_answer, self.check, self.action = save, check, action
        self.value, self.choices, self.allow_empty = value, choices, allow_empty
        self.append = append  # what is typed goes after the text offered (a reason), not over it

    def compose(self) -> ComposeResult:
        t = self.app.t
        with Vertical(classes="dialog-box"):
            yield Label(plain(self.title_text, one_line=True), classes="dialog-title")
            yield Label(plain(self.prompt))
            yield OneLineInput(
                self.value,
                id="answer",
                select_on_focus=not self.append,
                suggester=SuggestFromList(self.choices, case_sensitive=False) if self.choices else None,
            )
            if self.choices:
                yield Static(
                    plain(t("ui.ask.choices", choices=" / ".join(self.choices))), classes="dialog-hint"
                )
            yield Static("", classes="dialog-error")
            yield Static(t("ui.ask.enter_to_save"), classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one(".dialog-error").display = False
        if self.append:
            self.query_one("#answer", Input).cursor_position = len(self.value)

    @on(Input.Submitted, "#answer")
    def _submitted(self, event: Input.Submitted) -> None:
        value = event.value.strip()
        if not value and not self.allow_empty:
            self.show_error(self.app.t("ui.ask.empty"))
            return
        if self.save_answer is not None:
            self.save(partial(self.save_answer, value), self.action)
        elif self.check is not None:
            try:
                self.dismiss(self.check(value))
            except DeskError as exc:
                self.show_error(exc)
        else:
            self.dismiss(value)

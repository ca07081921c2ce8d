"""Forms that keep every key typed at full speed where it was meant to go.

Textual hands each key to the widget focused when the app reads it. A key that moves the focus
(tab, enter on a field, a choice's letter) used to be acted on only once the field it was handed
to had worked through it, so the keys typed after it, already handed to that same field, landed
there too: a phone, tab and a name typed without pauses all went into the phone. A `Form` holds
its fields and priority bindings for those keys: they run as the app reads the key, so the focus
has moved before the next key is handed out. `OneLineInput` keeps every line of a paste (joined)
where Textual's Input keeps the first one only.
"""

from __future__ import annotations

import string
from collections.abc import Callable
from typing import Any

from textual import events
from textual.actions import SkipAction
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widget import Widget
from textual.widgets import Input

from .choice_bar import ChoiceBar

# Keys a choice bar may use (a site may add categories with any letter).
CHOICE_KEYS = string.ascii_letters + string.digits

FORM_BINDINGS: list[BindingType] = [
    Binding("tab", "form_next", show=False, priority=True),
    Binding("shift+tab", "form_previous", show=False, priority=True),
    Binding("enter", "form_enter", show=False, priority=True),
    Binding("space", "form_space", show=False, priority=True),
    *(Binding(k, f"form_choice('{k}')", show=False, priority=True) for k in CHOICE_KEYS),
]


def always(widget: Widget) -> bool:
    return True


class Form(VerticalScroll):
    """A form's fields, with the keys that move between them (FORM_BINDINGS). `enter_moves_on(widget)`
    says whether enter on a one-line field goes to the next field (the intake form) or is the
    field's own (a dialog's submit). In a dialog the form is its box and takes no focus itself
    (`focusable=False`); the intake form's scroll does, as a scrolling container does."""

    BINDINGS = FORM_BINDINGS

    def __init__(
        self,
        *children: Widget,
        enter_moves_on: Callable[[Widget], bool] = always,
        focusable: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(*children, **kwargs)
        self.enter_moves_on = enter_moves_on
        self.can_focus = focusable

    def after_choice(self, bar: ChoiceBar) -> None:
        """Where the focus goes once a choice is made: on to the next field."""
        self.screen.focus_next()

    def action_form_next(self) -> None:
        self.screen.focus_next()

    def action_form_previous(self) -> None:
        self.screen.focus_previous()

    def action_form_choice(self, key: str) -> None:
        bar = self.screen.focused
        if not isinstance(bar, ChoiceBar):
            raise SkipAction()  # the key is the field's (a letter typed into a name)
        choice = bar.choice_for(key)
        if choice is None:
            raise SkipAction()
        bar.choose(choice.value)
        self.after_choice(bar)

    def action_form_enter(self) -> None:
        widget = self.screen.focused
        if isinstance(widget, ChoiceBar):
            widget.choose_cursor()
            self.after_choice(widget)
        elif isinstance(widget, Input) and self.enter_moves_on(widget):
            self.screen.focus_next()
        else:
            raise SkipAction()  # a button, a checkbox, a multi-line text, a dialog's own submit

    def action_form_space(self) -> None:
        bar = self.screen.focused
        if not isinstance(bar, ChoiceBar):
            raise SkipAction()
        bar.choose_cursor()
        self.after_choice(bar)


class OneLineInput(Input):
    """A one-line field that keeps a pasted text whole: its lines joined by spaces (Textual's
    Input keeps only the first line of a paste)."""

    def _on_paste(self, event: events.Paste) -> None:
        if event.text:
            text = " ".join(line.strip() for line in event.text.splitlines() if line.strip())
            selection = self.selection
            if selection.is_empty:
                self.insert_text_at_cursor(text)
            else:
                self.replace(text, *selection)
        event.stop()
        event.prevent_default()  # not Input's own handler too (it would insert the first line again)


__all__ = ["FORM_BINDINGS", "Form", "OneLineInput"]

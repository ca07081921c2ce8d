"""Forms that keep every key typed at full speed where it was meant to go.

Textual hands each key to the widget focused when the app reads it. A key that moves the focus
(tab, enter on a field, a choice's letter) used to be acted on only once the field it was handed
to had worked through it, so the keys typed after it, already handed to that same field, landed
there too: a phone, tab and a name typed without pauses all went into the phone. The bindings
here are priority bindings: they run as the app reads the key, so the focus has moved before the
next key is handed out. A screen with a form adds FORM_BINDINGS to its BINDINGS and FormKeys to
its bases; `OneLineInput` keeps every line of a paste (joined) where Textual's Input keeps the
first one only.
"""

from __future__ import annotations

import string

from textual import events
from textual.actions import SkipAction
from textual.binding import Binding
from textual.widget import Widget
from textual.widgets import Input

from .choice_bar import ChoiceBar

# Keys a choice bar may use (a site may add categories with any letter).
CHOICE_KEYS = string.ascii_letters + string.digits

FORM_BINDINGS = [
    Binding("tab", "form_next", show=False, priority=True),
    Binding("shift+tab", "form_previous", show=False, priority=True),
    Binding("enter", "form_enter", show=False, priority=True),
    Binding("space", "form_space", show=False, priority=True),
] + [Binding(k, f"form_choice('{k}')", show=False, priority=True) for k in CHOICE_KEYS]


class FormKeys:
    """Mixin for a Screen with a form. `enter_moves_on(widget)` says whether enter on a one-line
    field goes to the next field (the intake form) or is the field's own (a dialog's submit);
    `after_choice(bar)` says where the focus goes once a choice is made."""

    focused: Widget | None

    def enter_moves_on(self, widget: Widget) -> bool:
        return True

    def after_choice(self, bar: ChoiceBar) -> None:
        self.focus_next()  # type: ignore[attr-defined]

    def action_form_next(self) -> None:
        self.focus_next()  # type: ignore[attr-defined]

    def action_form_previous(self) -> None:
        self.focus_previous()  # type: ignore[attr-defined]

    def action_form_choice(self, key: str) -> None:
        bar = self.focused
        if not isinstance(bar, ChoiceBar):
            raise SkipAction()  # the key is the field's (a letter typed into a name)
        choice = bar.choice_for(key)
        if choice is None:
            raise SkipAction()
        bar.choose(choice.value)
        self.after_choice(bar)

    def action_form_enter(self) -> None:
        widget = self.focused
        if isinstance(widget, ChoiceBar):
            bar = widget
            bar.choose_cursor()
            self.after_choice(bar)
        elif isinstance(widget, Input) and self.enter_moves_on(widget):
            self.focus_next()  # type: ignore[attr-defined]
        else:
            raise SkipAction()  # a button, a checkbox, a multi-line text, a dialog's own submit

    def action_form_space(self) -> None:
        bar = self.focused
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


__all__ = ["FORM_BINDINGS", "FormKeys", "OneLineInput"]

"""A dialog of a few labelled fields (finish a work order, receive stock, issue a tool …).

Like the other dialogs it runs its write itself (a worker of the dialog), stays open until the
store accepts it, and shows a refusal under the field it concerns, in the user's language; it is
dismissed with what the store returned. `enter` goes to the next field and saves on the last one;
`ctrl+s` saves from anywhere."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Label, Static

from liyuan_tui.widgets.form_keys import Form, OneLineInput
from liyuan_tui.widgets.messages import FormSaved, StoreRefused
from liyuan_tui.widgets.plain import plain
from liyuan_tui.widgets.store_work import store_work

from .dialog import Dialog


@dataclass(frozen=True)
class FormField:
    key: str  # the store's name for it: a refusal naming this field is shown under it
    label: str
    value: str = ""
    hint: str = ""
    check: bool = False  # a yes/no box instead of a line of text


class FormScreen(Dialog[Any]):
    # Its fields are a Form: enter and tab move on as they are typed (a fast typist's keys land in
    # their field).
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", show=False),
        Binding("ctrl+s", "submit", show=False),
    ]

    def __init__(
        self,
        title: str,
        fields: list[FormField],
        save: Callable[[dict[str, Any]], Any],
        *,
        action: str = "",
        note: str = "",
    ) -> None:
        super().__init__(classes="dialog")
        self.title_text, self.fields, self.save_form, self.action, self.note = (
            title,
            fields,
            save,
            action,
            note,
        )

    def compose(self) -> ComposeResult:
        t = self.app.t
        with Form(classes="dialog-box form-box", enter_moves_on=self.enter_moves_on, focusable=False):
            # The title names a material, a tool, a person: text from people.
            yield Label(plain(self.title_text, one_line=True), classes="dialog-title")
            if self.note:
                yield Static(plain(self.note), classes="form-note")
            for f in self.fields:
                with Horizontal(classes="form-row"):
                    yield Label(Text(f.label), classes="form-label")
                    if f.check:
                        yield Checkbox(value=f.value == "1", id=f"form-{f.key}", compact=True)
                    else:
                        yield OneLineInput(f.value, id=f"form-{f.key}")
                if f.hint:
                    yield Static(Text(f.hint), classes="form-hint")
            yield Static("", classes="dialog-error")
            yield Static(t("ui.form.hint"), classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one(".dialog-error").display = False

    def enter_moves_on(self, widget: Widget) -> bool:
        """Enter on the last line of text saves (the field's own submit); on the others, on to the next."""
        inputs = [f for f in self.fields if not f.check]
        return bool(inputs) and widget.id != f"form-{inputs[-1].key}"

    def values(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in self.fields:
            widget = self.query_one(f"#form-{f.key}")
            out[f.key] = (
                widget.value
                if isinstance(widget, Checkbox)
                else self.query_one(f"#form-{f.key}", Input).value.strip()
            )
        return out

    @on(Input.Submitted)
    def _next(self, event: Input.Submitted) -> None:
        inputs = [f for f in self.fields if not f.check]
        if event.input.id == f"form-{inputs[-1].key}":
            self.action_submit()
        else:
            self.focus_next()

    @on(Input.Changed)
    def _typing(self, event: Input.Changed) -> None:
        event.input.remove_class("-invalid")

    def action_submit(self) -> None:
        values, save = self.values(), self.save_form
        store_work(
            self, lambda: save(values), lambda result: FormSaved(result, self.action), action=self.action
        )

    @on(FormSaved)
    def _form_saved(self, msg: FormSaved) -> None:
        self.dismiss(msg.result)  # (the message stops here: the screen that opened the form reads again)
        msg.stop()

    @on(StoreRefused)
    def _refused(self, msg: StoreRefused) -> None:
        msg.stop()
        msg.prevent_default()  # (Dialog's own handler would show it a second time)
        self.show_error(msg.error)
        names = {f.key for f in self.fields}
        if msg.error.field in names:
            widget = self.query_one(f"#form-{msg.error.field}")
            widget.add_class("-invalid")
            widget.focus()

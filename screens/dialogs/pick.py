"""One of a list (a branch, a filter, a person): enter picks.

`PersonPickScreen` is the list of people who go on site, by name and role, technicians first:
whom a request's work order is sent to, an order handed on to, a tool issued to. Given a `save`,
a pick is written by the dialog itself (a worker of the dialog): it stays open, the refusal shown
in it, until the store accepts, and is dismissed with what the store returned."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from liyuan_tui.domain.models import Staff
from liyuan_tui.domain.work_orders import ON_SITE_ROLES
from liyuan_tui.widgets.messages import FormSaved
from liyuan_tui.widgets.plain import plain
from liyuan_tui.widgets.store_work import store_work

from .dialog import Dialog


class PickScreen(Dialog[Any]):
    def __init__(
        self,
        title: str,
        choices: list[tuple[str, str]],
        current: str | None = None,
        *,
        save: Callable[[str], Any] | None = None,
        action: str = "",
    ) -> None:
        super().__init__(classes="dialog")
        self.title_text, self.choices, self.current = title, choices, current
        self.save_pick, self.action = save, action

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
        value, save = event.option.id, self.save_pick
        if save is None or value is None:
            self.dismiss(value)
            return
        store_work(
            self, lambda: save(value), lambda result: FormSaved(result, self.action), action=self.action
        )

    @on(FormSaved)
    def _written(self, msg: FormSaved) -> None:
        msg.stop()  # (the screen that opened the dialog reads again with the change)
        self.dismiss(msg.result)


def on_site_people(staff: Iterable[Staff], leave_out: str | None = None) -> list[Staff]:
    """The active people who go on site, technicians first, then by login."""
    return sorted(
        (s for s in staff if s.active and s.role in ON_SITE_ROLES and s.login != leave_out),
        key=lambda s: (s.role != "technician", s.login),
    )


class PersonPickScreen(PickScreen):
    """A person who goes on site, by name (their role beside it); `current` is highlighted."""

    def __init__(
        self,
        title: str,
        people: list[Staff],
        current: str | None = None,
        *,
        save: Callable[[str], Any] | None = None,
        action: str = "",
    ) -> None:
        super().__init__(title, [], current, save=save, action=action)
        self.people = people

    def compose(self) -> ComposeResult:
        t = self.app.t
        self.choices = [(s.login, f"{s.name}  ({t('role.' + s.role)})") for s in self.people]
        yield from super().compose()

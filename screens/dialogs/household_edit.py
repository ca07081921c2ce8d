"""Editing a household file (the desk): the emergency contact, the flags, the language, notes, and
one person added or changed (by name). One store call, one transaction; refused on its field."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Checkbox, Input, Label, Static

from liyuan_tui.store import HouseholdFile
from liyuan_tui.widgets.messages import HouseholdRead, StoreRefused
from liyuan_tui.widgets.plain import plain
from liyuan_tui.widgets.store_work import store_work

from .dialog import Dialog

if TYPE_CHECKING:
    from liyuan_tui.app import LiyuanApp

TEXT_FIELDS = ("emergency_name", "emergency_phone", "emergency_relation", "language", "notes")
PERSON_FIELDS = ("person", "relation", "phones")


class HouseholdEditScreen(Dialog):
    """Dismissed with the household file as written (None when cancelled)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("ctrl+s", "save_household", show=False)]
    app: LiyuanApp

    def __init__(self, household: HouseholdFile) -> None:
        super().__init__(classes="dialog")
        self.file = household

    def compose(self) -> ComposeResult:
        t, h = self.app.t, self.file.household
        with VerticalScroll(classes="dialog-box household-box"):
            yield Label(
                plain(t("ui.household.edit_title", unit=self.file.unit), one_line=True),
                classes="dialog-title",
            )
            with Horizontal(classes="form-row"):
                yield Checkbox(t("field.elderly_alone"), h.elderly_alone if h else False, id="elderly_alone")
                yield Checkbox(t("field.disability"), h.disability if h else False, id="disability")
            for name in TEXT_FIELDS:
                with Horizontal(classes="form-row"):
                    yield Label(t(f"field.{name}"), classes="form-label")
                    yield Input(getattr(h, name) if h else "", id=name)
            yield Static(t("ui.household.person_hint"), classes="dialog-hint")
            for name in PERSON_FIELDS:
                with Horizontal(classes="form-row"):
                    yield Label(t(f"field.{name}"), classes="form-label")
                    yield Input(id=name)
            yield Static("", classes="dialog-error")
            yield Static(t("ui.household.edit_hint"), classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one(".dialog-error").display = False
        self.query_one("#elderly_alone", Checkbox).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        self.action_save_household()

    def action_save_household(self) -> None:
        h = self.file.household
        changes: dict[str, Any] = {}
        for name in ("elderly_alone", "disability"):
            ticked = self.query_one(f"#{name}", Checkbox).value
            if h is None or ticked != getattr(h, name):
                changes[name] = ticked
        for name in TEXT_FIELDS:
            typed = self.query_one(f"#{name}", Input).value
            if typed != (getattr(h, name) if h else ""):
                changes[name] = typed
        person = {name: self.query_one(f"#{name}", Input).value for name in PERSON_FIELDS}
        if person["person"].strip() or person["relation"].strip() or person["phones"].strip():
            changes.update({k: v for k, v in person.items() if v.strip() or k == "person"})
        households, unit, version = self.app.store.households, self.file.unit, self.file.version
        store_work(
            self,
            lambda: households.edit(unit, expected_version=version, **changes),
            lambda f: HouseholdRead(f, saved=True),
            action="household_edit",
        )

    @on(HouseholdRead)
    def _household_saved(self, msg: HouseholdRead) -> None:
        msg.stop()
        self.app.notify(
            self.app.t("household.saved", unit=msg.household.unit, version=msg.household.version), timeout=3
        )
        self.dismiss(msg.household)

    @on(StoreRefused)
    def _refused(self, msg: StoreRefused) -> None:
        msg.stop()
        self.show_error(msg.error)

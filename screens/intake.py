"""The intake form. The request already exists (created when `n` was pressed); each field is saved
as it is left, so a terminal that dies loses nothing and the draft is resumable from any terminal."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.suggester import Suggester
from textual.widgets import Button, Checkbox, Footer, Header, Input, Label, Static

from liyuan_tui.domain.errors import DeskError, ValidationError
from liyuan_tui.domain.models import CHANNELS, Request
from liyuan_tui.domain.safe_text import visible
from liyuan_tui.widgets.choice_bar import Choice, ChoiceBar
from liyuan_tui.widgets.keys import INTAKE_KEYS, bindings, translate_bindings
from liyuan_tui.widgets.messages import DraftRead, RequestSaved, StoreRefused
from liyuan_tui.widgets.plain import plain
from liyuan_tui.widgets.queue_table import short_category
from liyuan_tui.widgets.store_work import store_work

from .intake_household import IntakeHousehold

if TYPE_CHECKING:
    from liyuan_tui.app import LiyuanApp

TEXT_FIELDS = ("unit", "phone", "requester_name", "description")


class ResidentSuggester(Suggester):
    """Completes a unit from the resident archive; the look-up runs in a thread, off the event loop."""

    def __init__(self, screen: "IntakeScreen") -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self.screen = screen

    async def get_suggestion(self, value: str) -> str | None:
        found = await asyncio.to_thread(self.screen.app.store.archive.residents_matching, value)
        self.screen.show_residents(value, found)
        return next((r.unit for r in found if r.unit.startswith(value) and r.unit != value), None)


class IntakeScreen(IntakeHousehold, Screen):
    BINDINGS = bindings(INTAKE_KEYS)
    KEYS = INTAKE_KEYS
    FORM = True  # the app's own keys (n, /, h, q …) do not fire here: every key belongs to the form
    app: "LiyuanApp"

    def __init__(self, ref: str) -> None:
        super().__init__(classes="intake")
        self.ref = ref
        self.saved: dict[str, Any] = {}  # each field's value as last saved (as typed)
        self._sending: dict[str, dict[str, Any]] = {}  # action → the values it is saving
        self.residents: list = []

    def compose(self) -> ComposeResult:
        t = self.app.t
        translate_bindings(self, t)
        procs = self.app.procedures
        yield Header(icon="")
        with VerticalScroll(id="intake-form"):
            yield Static(t("ui.intake.title", ref=self.ref), id="intake-title")
            with Horizontal(classes="field-row"):
                yield Label(t("ui.intake.category"), classes="field-label")
                yield ChoiceBar([Choice(p.key, p.letter, short_category(p.key, procs, t)) for p in procs.values()], id="category")
            yield Static("", id="category-name", classes="field-hint")
            yield Static("", id="error-category", classes="field-error")
            with Horizontal(classes="field-row"):
                yield Label(t("ui.intake.channel"), classes="field-label")
                yield ChoiceBar([Choice(c, str(i), t(f"channel.{c}")) for i, c in enumerate(CHANNELS, 1)],
                                value="phone", id="channel")
            yield Static("", id="error-channel", classes="field-error")
            for name in TEXT_FIELDS:
                with Horizontal(classes="field-row"):
                    yield Label(t(f"ui.intake.{name}"), classes="field-label")
                    yield Input(id=name, suggester=ResidentSuggester(self) if name == "unit" else None,
                                placeholder=t(f"ui.intake.{name}_hint"))
                if name == "unit":
                    yield Static("", id="unit-residents", classes="field-hint")
                    yield from self.compose_household()
                yield Static("", id=f"error-{name}", classes="field-error")
            with Horizontal(id="intake-flags"):
                yield Checkbox(t("field.major"), id="major")
                yield Checkbox(t("field.confidential"), id="confidential")
            # A repair's kind of fault last, so the keys typed through the form stay as they were.
            yield from self.compose_fault_kind()
            yield Button(t("ui.intake.done"), id="intake-done", variant="primary")
        yield Footer(compact=True, show_command_palette=False)  # ctrl+p is in the help (?)

    def on_mount(self) -> None:
        for hidden in self.query(".field-error, #unit-residents"):
            hidden.display = False
        self.mount_household()
        self.query_one("#category", ChoiceBar).focus()
        lookup = self.app.store.lookup
        store_work(self, lambda: lookup.get_request(self.ref), DraftRead, action="draft")

    @on(DraftRead)
    def _draft_read(self, msg: DraftRead) -> None:
        self.fill(msg.request)

    def fill(self, req: Request) -> None:
        """Show the draft as saved (it may have been started in another terminal)."""
        self.saved = {name: getattr(req, name)
                      for name in ("category", "channel", *TEXT_FIELDS, "major", "confidential", "fault_kind")}
        self.query_one("#category", ChoiceBar).set_value(req.category)
        self.query_one("#channel", ChoiceBar).set_value(req.channel)
        for name in TEXT_FIELDS:
            self.query_one(f"#{name}", Input).value = getattr(req, name)
        with self.prevent(Checkbox.Changed):
            self.query_one("#major", Checkbox).value = req.major
            self.query_one("#confidential", Checkbox).value = req.confidential
        self._show_category_name(req.category)
        self.show_fault_kinds(req.category, req.fault_kind)
        self.household_for(req)

    # --- saving each field as it is left -----------------------------------------------------------

    def save(self, name: str, value: Any) -> None:
        if self.saved.get(name) == value:
            return
        self._write({name: value}, f"field:{name}")

    def _write(self, changes: dict[str, Any], action: str) -> None:
        intake, ref = self.app.store.intake, self.ref
        self._sending[action] = changes
        store_work(self, lambda: intake.update_fields(ref, **changes), lambda req: RequestSaved(req, action),
                   action=action)

    @on(RequestSaved)
    def _saved(self, msg: RequestSaved) -> None:
        """A field (or the whole form) is on record; the message goes on to the app's queue."""
        self.saved.update(self._sending.pop(msg.action, {}))
        self.saved["fault_kind"] = msg.request.fault_kind  # a new category may have dropped it
        self.household_for(msg.request)
        if msg.action.startswith("field:"):
            self._clear_error(msg.action.split(":", 1)[1])
        elif msg.action == "done":
            self.app.show_checklist(self.ref)
        elif msg.action == "back":
            self.app.pop_screen()

    @on(StoreRefused)
    def _refused(self, msg: StoreRefused) -> None:
        """A rejected field: the form stays, the text is kept, the field says what is wrong."""
        msg.stop()
        self._sending.pop(msg.action, None)
        name = msg.action.split(":", 1)[1] if msg.action.startswith("field:") else (msg.error.field or "")
        self.show_field_error(name, msg.error)
        if msg.action in ("done", "back"):
            field = "requester_name" if msg.error.field == "name" else msg.error.field
            if field and self.query(f"#{field}"):
                self.query_one(f"#{field}").focus()

    def show_field_error(self, name: str, exc: DeskError) -> None:
        field = exc.field if exc.field and self.query(f"#error-{exc.field}") else name
        if field == "name":
            field = "requester_name"
        err = self.query_one(f"#error-{field}", Static) if self.query(f"#error-{field}") else None
        if err is None:
            self.app.show_error(exc)
            return
        err.update(plain(exc.text(self.app.t)))  # it repeats what was typed: never markup
        err.display = True
        if self.query(f"#{field}"):
            self.query_one(f"#{field}").add_class("-invalid")

    def _clear_error(self, name: str) -> None:
        for err in self.query(f"#error-{name}"):
            err.display = False
        for widget in self.query(f"#{name}"):
            widget.remove_class("-invalid")

    @on(Input.Blurred)
    def _left(self, event: Input.Blurred) -> None:
        if event.input.id in TEXT_FIELDS:
            self.save(event.input.id, event.value)
            if event.input.id == "unit":
                self._fill_from_archive(event.value)

    @on(Input.Submitted)
    def _next(self, event: Input.Submitted) -> None:
        self.focus_next()

    @on(ChoiceBar.Chosen)
    def _chosen(self, event: ChoiceBar.Chosen) -> None:
        self.save(event.bar.id, event.value)
        if event.bar.id == "category":
            self._show_category_name(event.value)
            self.show_fault_kinds(event.value, self.saved.get("fault_kind", ""))
        self.focus_next()

    @on(Checkbox.Changed)
    def _flag(self, event: Checkbox.Changed) -> None:
        self.save(event.checkbox.id, event.value)

    def _show_category_name(self, key: str) -> None:
        proc = self.app.procedures.get(key)
        self.query_one("#category-name", Static).update(plain(proc.name(self.app.t.lang) if proc else "", one_line=True))

    # --- the resident archive ----------------------------------------------------------------------

    def show_residents(self, typed: str, found: list) -> None:
        """Matching residents under the unit field (called from the suggester)."""
        if self.query_one("#unit", Input).value != typed:
            return
        self.residents = found
        lines = [f"{r.unit}  {r.name}  {r.phones.replace(',', ' / ')}" for r in found]
        hint = self.query_one("#unit-residents", Static)
        hint.update(plain("\n".join(visible(line, newlines=False) for line in lines)))
        hint.display = bool(lines)

    def _fill_from_archive(self, unit: str) -> None:
        """A unit that is exactly one resident's fills an empty name and phone."""
        match = [r for r in self.residents if r.unit == unit.strip()]
        if len(match) != 1:
            return
        res = match[0]
        for name, value in (("requester_name", res.name), ("phone", res.phones.split(",")[0] if res.phones else "")):
            box = self.query_one(f"#{name}", Input)
            if value and not box.value:
                box.value = value
                self.save(name, value)

    # --- leaving -------------------------------------------------------------------------------------

    def _unsaved(self) -> dict[str, Any]:
        """Every text field whose text is not yet on record."""
        boxes = {name: self.query_one(f"#{name}", Input).value for name in TEXT_FIELDS}
        return {name: value for name, value in boxes.items() if self.saved.get(name) != value}

    @on(Button.Pressed, "#intake-done")
    def _done_pressed(self) -> None:
        self.action_done()

    def action_done(self) -> None:
        """On to the checklist once every field is on record; a category is needed first (it
        decides the procedure). A field the store refuses keeps the form open, on that field."""
        if not self.query_one("#category", ChoiceBar).value:
            self.show_field_error("category", ValidationError("error.category_missing", "category"))
            self.query_one("#category", ChoiceBar).focus()
            return
        self._leave("done")

    def action_back(self) -> None:
        self._leave("back")

    def _leave(self, how: str) -> None:
        unsaved = self._unsaved()
        if unsaved:
            self._write(unsaved, how)  # leaves when the store has it (see _saved)
        elif how == "done":
            self.app.show_checklist(self.ref)
        else:
            self.app.pop_screen()

"""The intake form. The request exists from `n`; each field is saved as it is left (a terminal that
dies loses nothing). Keys typed at full speed land in their field (a Form), a paste keeps its
lines, a refused field keeps the form open on it as typed (esc asks once, then leaves), and a
draft nobody typed into is voided on leaving, so no blank request runs its clock on."""

from __future__ import annotations

import asyncio
import logging
from functools import partial
from typing import Any

from textual import events, on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.suggester import Suggester
from textual.widgets import Button, Checkbox, Header, Input, Label, Static, TextArea

from liyuan_tui.domain.errors import DeskError, ValidationError
from liyuan_tui.domain.models import CHANNELS, Request, Resident
from liyuan_tui.domain.safe_text import visible
from liyuan_tui.reports.tables import governed_by
from liyuan_tui.widgets.choice_bar import Choice, ChoiceBar
from liyuan_tui.widgets.form_keys import Form, OneLineInput
from liyuan_tui.widgets.household_panel import HouseholdPanel
from liyuan_tui.widgets.key_bar import KeyBar
from liyuan_tui.widgets.keys import INTAKE_KEYS
from liyuan_tui.widgets.messages import DraftRead, RequestSaved, StoreRefused
from liyuan_tui.widgets.page import Page
from liyuan_tui.widgets.plain import plain
from liyuan_tui.widgets.queue_table import short_category
from liyuan_tui.widgets.store_work import store_work

from ..dialogs import AskScreen, ConfirmScreen

TEXT_FIELDS = ("unit", "phone", "requester_name", "description")
FLAGS = ("major", "confidential")
log = logging.getLogger(__name__)


class ResidentSuggester(Suggester):
    """Completes a unit from the resident archive; the look-up runs in a thread, off the event loop."""

    def __init__(self, screen: IntakeScreen) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self.screen = screen

    async def get_suggestion(self, value: str) -> str | None:
        try:
            found = await asyncio.to_thread(self.screen.app.store.archive.residents_matching, value)
        except Exception:  # (the Input's worker would take the desk down) a hint: none; the save says why
            log.warning("resident look-up for the unit failed", exc_info=True)
            return None
        self.screen.show_residents(value, found)
        return next((r.unit for r in found if r.unit.startswith(value) and r.unit != value), None)


class IntakeScreen(Page):
    """The form's fields are a Form (widgets/form_keys.py: keys typed at full speed land in their
    field); the household panel under the unit looks the unit's household up itself."""

    KEYS = INTAKE_KEYS
    FORM = True  # the app's own keys (n, /, h, q …) do not fire here: every key belongs to the form

    def __init__(self, ref: str, request: Request | None = None) -> None:
        super().__init__(classes="intake")
        self.ref = ref
        self.request = request  # the draft as the app last saw it (None: read it)
        self.saved: dict[str, Any] = {}  # each field's value as last saved (as typed)
        self.edited: set[str] = set()  # fields changed here since the form opened
        self._sending: dict[str, dict[str, Any]] = {}  # action → the values it is saving
        self.residents: list[Resident] = []

    def compose(self) -> ComposeResult:
        t = self.app.t
        procs = self.app.procedures
        yield Header(icon="")
        with Form(id="intake-form"):
            yield Static(t("ui.intake.title", ref=self.ref), id="intake-title")
            with Horizontal(classes="field-row"):
                yield Label(t("ui.intake.category"), classes="field-label")
                yield ChoiceBar(
                    [Choice(p.key, p.letter, short_category(p.key, procs, t)) for p in procs.values()],
                    id="category",
                )
            yield Static("", id="category-name", classes="field-hint")
            yield Static("", id="error-category", classes="field-error")
            with Horizontal(classes="field-row"):
                yield Label(t("ui.intake.channel"), classes="field-label")
                yield ChoiceBar(
                    [Choice(c, str(i), t(f"channel.{c}")) for i, c in enumerate(CHANNELS, 1)],
                    value="phone",
                    id="channel",
                )
            yield Static("", id="error-channel", classes="field-error")
            for name in TEXT_FIELDS:
                with Horizontal(classes="field-row" + (" text-row" if name == "description" else "")):
                    yield Label(t(f"ui.intake.{name}"), classes="field-label")
                    if name == "description":  # what the resident said: may run to several lines
                        yield TextArea(id=name, compact=True, placeholder=t(f"ui.intake.{name}_hint"))
                    else:
                        yield OneLineInput(
                            id=name,
                            suggester=ResidentSuggester(self) if name == "unit" else None,
                            placeholder=t(f"ui.intake.{name}_hint"),
                        )
                if name == "unit":
                    yield Static("", id="unit-residents", classes="field-hint")
                    yield HouseholdPanel(ref=self.ref, id="household-panel")
                yield Static("", id=f"error-{name}", classes="field-error")
            with Horizontal(id="intake-flags"):
                yield Checkbox(t("field.major"), id="major", compact=True)
                yield Checkbox(t("field.confidential"), id="confidential", compact=True)
            # A repair's kind of fault last, so the keys typed through the form stay as they were.
            with Horizontal(classes="field-row", id="fault-kind-row"):
                yield Label(t("ui.intake.fault_kind"), classes="field-label")
                yield ChoiceBar([], id="fault_kind")
            yield Static("", id="error-fault_kind", classes="field-error")
        with Horizontal(id="intake-actions"):  # outside the scroll: always in reach, at 80×24 too
            yield Button(t("ui.intake.done"), id="intake-done", variant="primary", compact=True)
        yield KeyBar()

    def on_mount(self) -> None:
        for hidden in self.query(".field-error, #unit-residents, #fault-kind-row"):
            hidden.display = False
        self.panel = self.query_one(HouseholdPanel)
        self.query_one("#category", ChoiceBar).focus()
        if self.request is not None:
            self.fill(self.request)
        else:
            lookup = self.app.store.lookup
            store_work(self, lambda: lookup.get_request(self.ref), DraftRead, action="draft")

    @on(DraftRead)
    def _draft_read(self, msg: DraftRead) -> None:
        self.fill(msg.request)

    def fill(self, req: Request) -> None:
        """Show the draft as saved (it may have been started in another terminal); a field already
        changed here keeps what was typed."""
        self.saved = {
            name: getattr(req, name) for name in ("category", "channel", *TEXT_FIELDS, *FLAGS, "fault_kind")
        }
        keep = self.edited
        with self.prevent(Input.Changed, TextArea.Changed, Checkbox.Changed):
            for name in ("category", "channel"):
                if name not in keep:
                    self.query_one(f"#{name}", ChoiceBar).set_value(getattr(req, name))
            for name in TEXT_FIELDS:
                if name not in keep:
                    self._set_value(name, getattr(req, name))
            for name in FLAGS:
                if name not in keep:
                    self.query_one(f"#{name}", Checkbox).value = getattr(req, name)
        category = self.query_one("#category", ChoiceBar).value
        self._show_category_name(category)
        kind = self.query_one("#fault_kind", ChoiceBar).value if "fault_kind" in keep else req.fault_kind
        self.show_fault_kinds(category, kind)
        self.panel.look_up(req)

    def show_fault_kinds(self, category: str, value: str = "") -> None:
        """The kinds of fault of the chosen category (a repair's, 1–9); hidden for the others."""
        t = self.app.t
        proc = self.app.procedures.get(category)
        kinds = proc.fault_kinds if proc is not None else ()
        bar = self.query_one("#fault_kind", ChoiceBar)
        bar.set_choices([Choice(k.key, str(i), k.name(t.lang)) for i, k in enumerate(kinds, 1)], value)
        self.query_one("#fault-kind-row").display = bool(kinds)

    def _value(self, name: str) -> str:
        if name == "description":
            return self.query_one("#description", TextArea).text
        return self.query_one(f"#{name}", Input).value

    def _set_value(self, name: str, value: str) -> None:
        if name == "description":
            self.query_one("#description", TextArea).load_text(value)
        else:
            self.query_one(f"#{name}", Input).value = value

    # --- saving each field as it is left -----------------------------------------------------------

    def save(self, name: str, value: Any) -> None:
        if self.saved.get(name) == value:
            return
        self._write({name: value}, f"field:{name}")

    def _write(self, changes: dict[str, Any], action: str) -> None:
        """One store call: a field as it is left, or done (what is left and the steps the form
        answers, in one transaction: Intake.finish)."""
        intake, ref = self.app.store.intake, self.ref
        self._sending[action] = changes
        if action == "done":
            call = lambda: intake.finish(ref, **changes)  # noqa: E731
        else:
            call = lambda: intake.update_fields(ref, **changes)  # noqa: E731
        store_work(self, call, lambda req: RequestSaved(req, action), action=action)

    @on(RequestSaved)
    def _saved(self, msg: RequestSaved) -> None:
        """A field (or the whole form) is on record; the app has it too (store_work's Written)."""
        self.saved.update(self._sending.pop(msg.action, {}))
        self.saved["fault_kind"] = msg.request.fault_kind  # a new category may have dropped it
        self.panel.look_up(msg.request)
        if msg.action.startswith("field:"):
            self._clear_error(msg.action.split(":", 1)[1])
        elif msg.action == "done":
            self.app.show_checklist(self.ref)
        elif msg.action == "back":
            self.app.pop_screen()
        elif msg.action == "voided":
            self.app.notify(self.app.t("ui.intake.voided", ref=self.ref), timeout=4)
            self.app.pop_screen()

    @on(StoreRefused)
    def _refused(self, msg: StoreRefused) -> None:
        """A rejected field: the form stays, the text is kept, the field says what is wrong (and
        when leaving was refused, the focus goes to it)."""
        msg.stop()
        self._sending.pop(msg.action, None)
        name = msg.action.split(":", 1)[1] if msg.action.startswith("field:") else (msg.error.field or "")
        field = self.show_field_error(name, msg.error)
        if msg.action in ("done", "back") and field and self.query(f"#{field}"):
            self.query_one(f"#{field}").focus()
        if msg.action == "back":  # esc always leaves: asked once, what can be kept is kept
            self._leave_anyway()

    def show_field_error(self, name: str, exc: DeskError) -> str | None:
        """The refusal under its field (marked); a refusal of no field is a notification."""
        field = exc.field if exc.field and self.query(f"#error-{_widget_id(exc.field)}") else name
        field = _widget_id(field)
        if not field or not self.query(f"#error-{field}"):
            self.app.show_error(exc)
            return None
        err = self.query_one(f"#error-{field}", Static)
        err.update(plain(exc.text(self.app.t)))  # it repeats what was typed: never markup
        err.display = True
        for widget in self.query(f"#{field}"):
            widget.add_class("-refused")
        return field

    def _clear_error(self, name: str) -> None:
        for err in self.query(f"#error-{name}"):
            err.display = False
        for widget in self.query(f"#{name}"):
            widget.remove_class("-refused")

    @on(Input.Changed)
    @on(TextArea.Changed)
    def _typed(self, event: Input.Changed | TextArea.Changed) -> None:
        if event.control.id in TEXT_FIELDS:
            self.edited.add(event.control.id)

    @on(Input.Blurred)
    def _left(self, event: Input.Blurred) -> None:
        if event.input.id in TEXT_FIELDS:
            self.save(event.input.id, event.value)
            if event.input.id == "unit":
                self._fill_from_archive(event.value)

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        if isinstance(event.widget, TextArea) and event.widget.id == "description":
            self.save("description", event.widget.text)

    @on(ChoiceBar.Chosen)
    def _chosen(self, event: ChoiceBar.Chosen) -> None:
        self.edited.add(event.bar.id or "")
        self.save(event.bar.id or "", event.value)
        if event.bar.id == "category":
            self._show_category_name(event.value)
            self._clear_error("category")
            self.show_fault_kinds(event.value, self.saved.get("fault_kind", ""))

    @on(Checkbox.Changed)
    def _flag(self, event: Checkbox.Changed) -> None:
        self.edited.add(event.checkbox.id or "")
        self.save(event.checkbox.id or "", event.value)

    def _show_category_name(self, key: str) -> None:
        """The category's full name and, where a company procedure governs it, which one."""
        t = self.app.t
        proc = self.app.procedures.get(key)
        text = ""
        if proc is not None:
            text = proc.name(t.lang)
            if proc.refers_to is not None:
                text += "  " + governed_by(proc, t)
        self.query_one("#category-name", Static).update(plain(text, one_line=True))

    # --- the resident archive ----------------------------------------------------------------------

    def show_residents(self, typed: str, found: list[Resident]) -> None:
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
        for name, value in (
            ("requester_name", res.name),
            ("phone", res.phones.split(",")[0] if res.phones else ""),
        ):
            box = self.query_one(f"#{name}", Input)
            if value and not box.value:
                box.value = value
                self.save(name, value)

    # --- leaving -------------------------------------------------------------------------------------

    def _unsaved(self) -> dict[str, Any]:
        """Every text field whose text is not yet on record."""
        return {name: value for name in TEXT_FIELDS if self.saved.get(name) != (value := self._value(name))}

    def is_blank(self) -> bool:
        """Nothing typed or saved (a category chosen is no call on record: `n b esc` voids too)."""
        if any(self._value(name).strip() or self.saved.get(name) for name in TEXT_FIELDS):
            return False
        return not any(self.query_one(f"#{name}", Checkbox).value or self.saved.get(name) for name in FLAGS)

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
        self._write(self._unsaved(), "done")

    def action_back(self) -> None:
        """Back to where the form was opened from, once what was typed is on record; a blank
        draft is voided instead (recorded, out of the queue: no clock runs on for nothing)."""
        if self.is_blank():
            lifecycle, ref, reason = self.app.store.lifecycle, self.ref, self.app.t("ui.intake.blank_reason")
            void = partial(lifecycle.cancel, ref, reason)
            store_work(self, void, lambda req: RequestSaved(req, "voided"), action="voided")
            return
        if self._refused_fields():  # esc always leaves: asked once (see _leave_anyway)
            self._leave_anyway()
        elif unsaved := self._unsaved():
            self._write(unsaved, "back")  # leaves when the store has it (see _saved)
        else:
            self.app.pop_screen()

    def _refused_fields(self) -> list[str]:  # the fields whose text the store refused
        return [name for name in TEXT_FIELDS if self.query(f"#{name}.-refused")]

    def _leave_anyway(self) -> None:
        """Asked once: yes keeps every other field on record (the refused text cannot be), leaves."""
        refused, t = self._refused_fields(), self.app.t
        names = ("、" if t.lang == "zh" else ", ").join(t(f"field.{name}") for name in refused)

        def answered(yes: bool | None) -> None:
            kept = {k: v for k, v in self._unsaved().items() if k not in refused}
            if yes and kept:
                self._write(kept, "back")
            elif yes:
                self.app.pop_screen()

        self.app.push_screen(ConfirmScreen(t("ui.intake.leave_refused", fields=names)), answered)

    def action_void(self) -> None:
        """Void this draft (logged by mistake, or twice): asks why, with the usual reason offered."""
        t, lifecycle, ref = self.app.t, self.app.store.lifecycle, self.ref

        def voided(req: Request | None) -> None:
            if req is not None:
                self.app.notify(t("ui.intake.voided", ref=ref), timeout=4)
                self.app.pop_screen()

        self.app.push_screen(
            AskScreen(
                t("ui.intake.void_title", ref=ref),
                t("field.reason"),
                # The usual reason offered, what is typed added after it (never typed over it).
                save=lambda reason: lifecycle.cancel(ref, reason.rstrip().removesuffix(";").rstrip()),
                action="voided",
                value=t("ui.intake.void_reason_offered"),
                append=True,
            ),
            voided,
        )


def _widget_id(field: str | None) -> str:
    """The form's widget for a field the store names (`name` is the requester's name)."""
    return "requester_name" if field == "name" else (field or "")

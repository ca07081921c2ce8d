"""The intake form's part of the back office: a repair's kind of fault (1–9, shown for categories
that have kinds), and the household panel — the flags, the people on file, the last requests and
the earlier repair this one repeats — shown as soon as the unit is known. A mixin for IntakeScreen
(named handlers: Textual's @on needs a widget class)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Label, Static

from liyuan_tui.domain.models import Request
from liyuan_tui.widgets.choice_bar import Choice, ChoiceBar
from liyuan_tui.widgets.household_panel import HouseholdPanel
from liyuan_tui.widgets.messages import HouseholdGlanced
from liyuan_tui.widgets.store_work import store_work

if TYPE_CHECKING:
    from liyuan_tui.app import LiyuanApp


class IntakeHousehold:
    app: "LiyuanApp"
    ref: str

    def compose_fault_kind(self) -> ComposeResult:
        with Horizontal(classes="field-row", id="fault-kind-row"):
            yield Label(self.app.t("ui.intake.fault_kind"), classes="field-label")
            yield ChoiceBar([], id="fault_kind")
        yield Static("", id="error-fault_kind", classes="field-error")

    def compose_household(self) -> ComposeResult:
        yield HouseholdPanel(id="household-panel")

    def mount_household(self) -> None:
        self.panel = self.query_one(HouseholdPanel)  # type: ignore[attr-defined]
        self.panel.display = False
        self.query_one("#fault-kind-row").display = False  # type: ignore[attr-defined]
        self._glanced: tuple[str, str | None] | None = None  # (unit, repeat_of) last looked up

    def show_fault_kinds(self, category: str, value: str = "") -> None:
        """The kinds of fault of the chosen category (a repair's); hidden for the others."""
        t = self.app.t
        proc = self.app.procedures.get(category)
        kinds = proc.fault_kinds if proc is not None else ()
        bar = self.query_one("#fault_kind", ChoiceBar)  # type: ignore[attr-defined]
        bar.set_choices([Choice(k.key, str(i), k.name(t.lang)) for i, k in enumerate(kinds, 1)], value)
        self.query_one("#fault-kind-row").display = bool(kinds)  # type: ignore[attr-defined]

    def household_for(self, req: Request) -> None:
        """Look the unit's household up (in a worker) when the unit, or the repair it repeats, changed."""
        key = (req.unit, req.repeat_of)
        if not req.unit:
            self._glanced = key
            self.panel.display = False
            return
        if key == self._glanced:
            return
        self._glanced = key
        households, ref = self.app.store.households, self.ref
        store_work(
            self,
            lambda: households.glance(key[0], exclude_ref=ref, repeat_of=key[1]),  # type: ignore[arg-type]
            HouseholdGlanced,
            action="glance",
        )

    def on_household_glanced(self, msg: HouseholdGlanced) -> None:
        msg.stop()
        if self._glanced is None or msg.glance.unit != self._glanced[0]:
            return  # the unit changed again meanwhile
        app = self.app
        self.panel.show_glance(msg.glance, t=app.t, tz=app.tz, procedures=app.procedures, viewer=app.me)

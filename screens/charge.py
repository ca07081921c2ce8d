"""Paid services on the request screen (4.9): `p` opens a dialog to pick an item of the fee
schedule and enter a quantity; the charge is added through the store in a thread worker, and the
request's charges with their total are shown under its checklist."""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Input, Label, Static

from liyuan_tui import validation as check
from liyuan_tui.errors import DeskError, ValidationError
from liyuan_tui.fees import Fee, FeeSchedule, FeeScheduleError, charge_amount, format_yuan
from liyuan_tui.models import Charge
from liyuan_tui.widgets.charges import ChargeList

from .dialogs import Dialog

if TYPE_CHECKING:
    from liyuan_tui.app import LiyuanApp
    from liyuan_tui.store import RequestDetail, Store


def load_schedule(store: "Store") -> FeeSchedule:
    """The store's fee schedule (read from its file on first use: call it in a worker). A broken
    file is a refusal the desk can show, not a crash."""
    try:
        return store.fees
    except FeeScheduleError as exc:
        raise DeskError("ui.charge.schedule_error", reason=str(exc)) from None


class ChargeScreen(Dialog):
    """Pick an item (name, unit, price), enter a quantity; stays open until the store accepts it."""

    CSS_PATH = "charge.tcss"

    def __init__(self, ref: str, schedule: FeeSchedule, submit: Callable[[Fee, float, "ChargeScreen"], None]) -> None:
        super().__init__(classes="dialog")
        self.ref, self.schedule, self.submit = ref, schedule, submit

    def compose(self) -> ComposeResult:
        t = self.app.t
        with Vertical(classes="dialog-box charge-box"):
            yield Label(t("ui.charge.title", ref=self.ref), classes="dialog-title")
            if self.schedule.example:
                yield Static(t("ui.charge.example"), id="charge-example")
            yield DataTable(id="fee-items", cursor_type="row", zebra_stripes=False)
            with Horizontal(id="charge-qty-row"):
                yield Label(t("ui.charge.qty"), id="charge-qty-label")
                yield Input("1", id="qty")
                yield Static("", id="charge-amount")
            yield Static("", classes="dialog-error")
            yield Static(t("ui.charge.hint"), classes="dialog-hint")

    def on_mount(self) -> None:
        t = self.app.t
        self.query_one(".dialog-error").display = False
        table = self.query_one("#fee-items", DataTable)
        table.add_column(t("fees.column_item"), key="item")
        table.add_column(t("fees.column_unit"), key="unit")
        table.add_column(Text(t("fees.column_price"), justify="right"), key="price")
        for fee in self.schedule.items:
            table.add_row(fee.name(t.lang), fee.unit(t.lang), Text(format_yuan(fee.price_fen), justify="right"),
                          key=fee.code)
        table.focus()
        self._preview()

    @property
    def fee(self) -> Fee:
        return self.schedule.items[self.query_one("#fee-items", DataTable).cursor_row]

    def _preview(self) -> None:
        """What the charge comes to, as the item or the quantity changes."""
        fee, t = self.fee, self.app.t
        try:
            qty = check.quantity(self.query_one("#qty", Input).value)
        except ValidationError:
            text = ""
        else:
            text = t("ui.charge.amount", qty=f"{qty:g}", unit=fee.unit(t.lang),
                     amount=format_yuan(charge_amount(fee.price_fen, qty)))
        self.query_one("#charge-amount", Static).update(text)

    def show_error(self, error: DeskError | str) -> None:
        """A refusal is shown under the quantity, which is marked, in the user's language."""
        if isinstance(error, DeskError) and error.field == "qty":
            self.query_one("#qty", Input).add_class("-invalid")
            error = error.text(self.app.t)
        super().show_error(error)

    @on(DataTable.RowHighlighted, "#fee-items")
    def _item_moved(self) -> None:
        self._preview()

    @on(DataTable.RowSelected, "#fee-items")
    def _item_chosen(self) -> None:
        self.query_one("#qty", Input).focus()

    @on(Input.Changed, "#qty")
    def _qty_changed(self) -> None:
        self.query_one("#qty", Input).remove_class("-invalid")
        self.query_one(".dialog-error").display = False
        self._preview()

    @on(Input.Submitted, "#qty")
    def _submitted(self, event: Input.Submitted) -> None:
        try:
            qty = check.quantity(event.value.strip())
        except ValidationError as exc:
            self.show_error(exc)
            return
        self.submit(self.fee, qty, self)


class ChargeKeys:
    """Mixin for the request screen (which has `ref`, `detail` and a ChargeList `#charges`)."""

    app: "LiyuanApp"
    ref: str
    detail: "RequestDetail | None"
    fee_schedule: FeeSchedule | None = None

    def show_charges(self, detail: "RequestDetail") -> None:
        """The charges under the checklist; the schedule (for the items' names) is read once, in a worker."""
        panel = self.query_one("#charges", ChargeList)  # type: ignore[attr-defined]
        if detail.charges and self.fee_schedule is None:
            def loaded(schedule: FeeSchedule) -> None:
                self.fee_schedule = schedule
                panel.show(detail.charges, schedule, self.app.t)

            self.app.store_call(load_schedule, self.app.store, then=loaded,
                                refused=lambda _exc: panel.show(detail.charges, None, self.app.t))
        else:
            panel.show(detail.charges, self.fee_schedule, self.app.t)

    def action_charge(self) -> None:
        app, t = self.app, self.app.t
        if self.detail is None:
            return
        if not self.detail.request.is_open:
            app.notify(t("ui.charge.closed", ref=self.ref), severity="warning")
            return

        def submit(fee: Fee, qty: float, dialog: ChargeScreen) -> None:
            def added(charge: Charge) -> None:
                dialog.dismiss(None)
                app.notify(t("ui.charge.added", ref=self.ref, item=fee.name(t.lang), qty=f"{qty:g}",
                             unit=fee.unit(t.lang), amount=format_yuan(charge.amount_cents)), timeout=4)

            app.store_call(app.store.add_charge, self.ref, fee.code, qty, then=added, refused=dialog.show_error)

        def opened(schedule: FeeSchedule) -> None:
            self.fee_schedule = schedule
            app.push_screen(ChargeScreen(self.ref, schedule, submit))

        app.store_call(load_schedule, app.store, then=opened)

"""Paid services (4.9): pick an item of the fee schedule, enter a quantity; the charge is added
through the store in the dialog's worker, which stays open until the store accepts it."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Input, Label, Static

from liyuan_tui.domain import validation as check
from liyuan_tui.domain.errors import DeskError, ValidationError
from liyuan_tui.domain.fees import Fee, FeeSchedule, charge_amount, format_yuan
from liyuan_tui.domain.models import Charge
from liyuan_tui.widgets.messages import ChargeAdded
from liyuan_tui.widgets.plain import plain
from liyuan_tui.widgets.store_work import store_work

from .dialog import Dialog


class ChargeScreen(Dialog[Charge]):
    """Pick an item (name, unit, price), enter a quantity; stays open until the store accepts it."""

    CSS_PATH = "charge.tcss"

    def __init__(self, ref: str, schedule: FeeSchedule, charge: Callable[[Fee, float], Charge]) -> None:
        super().__init__(classes="dialog")
        self.ref, self.schedule, self.charge = ref, schedule, charge

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
            table.add_row(
                plain(fee.name(t.lang), one_line=True),
                plain(fee.unit(t.lang), one_line=True),
                Text(format_yuan(fee.price_fen), justify="right"),
                key=fee.code,
            )
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
            text = t(
                "ui.charge.amount",
                qty=f"{qty:g}",
                unit=fee.unit(t.lang),
                amount=format_yuan(charge_amount(fee.price_fen, qty)),
            )
        self.query_one("#charge-amount", Static).update(plain(text, one_line=True))

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
        fee, charge = self.fee, self.charge
        store_work(self, lambda: charge(fee, qty), ChargeAdded, action="charge")

    @on(ChargeAdded)
    def _added(self, msg: ChargeAdded) -> None:
        self.dismiss(msg.charge)

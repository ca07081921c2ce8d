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

from liyuan_tui.domain import validation as check
from liyuan_tui.domain.errors import DeskError, ValidationError
from liyuan_tui.domain.fees import Fee, FeeSchedule, charge_amount, format_yuan
from liyuan_tui.domain.models import Charge
from liyuan_tui.widgets.charge_list import ChargeList
from liyuan_tui.widgets.messages import ChargeAdded, ScheduleRead
from liyuan_tui.widgets.plain import plain
from liyuan_tui.widgets.store_work import store_work

from .dialogs import Dialog

if TYPE_CHECKING:
    from liyuan_tui.app import LiyuanApp
    from liyuan_tui.store import RequestDetail


class ChargeScreen(Dialog):
    """Pick an item (name, unit, price), enter a quantity; stays open until the store accepts it."""

    CSS_PATH = "charges.tcss"

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


class ChargeKeys:
    """Mixin for the request screen (which has `ref`, `detail` and a ChargeList `#charges`)."""

    app: "LiyuanApp"
    ref: str
    detail: "RequestDetail | None"
    fee_schedule: FeeSchedule | None = None
    _wants_dialog = False  # `p` was pressed before the schedule had been read

    def _read_schedule(self) -> None:
        """The schedule is read from its file once, in a worker of this screen."""
        charges = self.app.store.charges
        store_work(self, lambda: charges.fees, ScheduleRead, action="schedule")  # type: ignore[arg-type]

    def show_charges(self, detail: "RequestDetail") -> None:
        """The charges under the checklist (the schedule gives the items' names)."""
        panel = self.query_one("#charges", ChargeList)  # type: ignore[attr-defined]
        panel.show(detail.charges, self.fee_schedule, self.app.t, detail.receipts, self.app.tz)
        if detail.charges and self.fee_schedule is None:
            self._read_schedule()

    def on_schedule_read(self, msg: ScheduleRead) -> None:  # (a mixin: named, since @on needs a widget class)
        self.fee_schedule = msg.schedule
        if self.detail is not None:
            self.show_charges(self.detail)
        if self._wants_dialog:
            self._wants_dialog = False
            self._open_charge_dialog(msg.schedule)

    def action_charge(self) -> None:
        app, t = self.app, self.app.t
        if self.detail is None:
            return
        if not self.detail.request.is_open:
            app.notify(t("ui.charge.closed", ref=self.ref), severity="warning")
            return
        if self.fee_schedule is None:
            self._wants_dialog = True
            self._read_schedule()
        else:
            self._open_charge_dialog(self.fee_schedule)

    def _open_charge_dialog(self, schedule: FeeSchedule) -> None:
        app, t, charges, ref = self.app, self.app.t, self.app.store.charges, self.ref

        def added(charge: Charge | None) -> None:
            if charge is None:
                return
            fee = schedule.get(charge.item_code)
            app.notify(
                t(
                    "ui.charge.added",
                    ref=ref,
                    item=fee.name(t.lang) if fee else charge.item_code,
                    qty=f"{charge.qty:g}",
                    unit=fee.unit(t.lang) if fee else "",
                    amount=format_yuan(charge.amount_cents),
                ),
                timeout=4,
            )
            self.reload()  # type: ignore[attr-defined]

        app.push_screen(
            ChargeScreen(ref, schedule, lambda fee, qty: charges.add_charge(ref, fee.code, qty)), added
        )

"""A request's paid services (4.9) with their keys: the charges, each with its receipt (收费单,
paid or not), and their total under what it wraps (the checklist); `p` adds one (ChargeScreen: an
item of the fee schedule, a quantity), `$` takes payment of a receipt (which one, then how). The
schedule is read from its file once, in this widget's worker."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.reactive import var
from textual.widget import Widget

from liyuan_tui.domain.desk_records import PAY_METHODS
from liyuan_tui.domain.fees import FeeSchedule, format_yuan
from liyuan_tui.domain.models import Charge
from liyuan_tui.store import RequestDetail
from liyuan_tui.widgets.charge_list import ChargeList
from liyuan_tui.widgets.messages import ReceiptPaid, ScheduleRead
from liyuan_tui.widgets.page import own_page_keys
from liyuan_tui.widgets.store_work import store_work

from ..dialogs import ChargeScreen, PickScreen

if TYPE_CHECKING:
    from liyuan_tui.app import LiyuanApp


class Charges(Vertical):
    """`detail` is the page's; the ChargeList goes under the widgets it wraps."""

    detail: var[RequestDetail | None] = var(None, always_update=True)
    app: LiyuanApp

    def __init__(self, *children: Widget, ref: str, **kwargs: Any) -> None:
        super().__init__(*children, **kwargs)
        self.ref = ref
        self.schedule: FeeSchedule | None = None
        self._wants_dialog = False  # `p` was pressed before the schedule had been read

    def compose(self) -> ComposeResult:
        yield ChargeList(id="charges")

    def on_mount(self) -> None:
        own_page_keys(self)

    def watch_detail(self, detail: RequestDetail | None) -> None:
        if detail is None:
            return
        self.query_one(ChargeList).show(
            detail.charges, self.schedule, self.app.t, detail.receipts, self.app.tz
        )
        if detail.charges and self.schedule is None:
            self._read_schedule()  # the items' names

    def _read_schedule(self) -> None:
        charges = self.app.store.charges
        store_work(self, lambda: charges.fees, ScheduleRead, action="schedule", exclusive=True)

    @on(ScheduleRead)
    def _schedule_read(self, msg: ScheduleRead) -> None:
        self.schedule = msg.schedule
        self.detail = self.detail  # shown again, with the items' names
        if self._wants_dialog:
            self._wants_dialog = False
            self._open_dialog(msg.schedule)

    def action_charge(self) -> None:
        app, t = self.app, self.app.t
        if self.detail is None:
            return
        if not self.detail.request.is_open:
            app.notify(t("ui.charge.closed", ref=self.ref), severity="warning")
            return
        if self.schedule is None:
            self._wants_dialog = True
            self._read_schedule()
        else:
            self._open_dialog(self.schedule)

    def _open_dialog(self, schedule: FeeSchedule) -> None:
        app, t, charges, ref = self.app, self.app.t, self.app.store.charges, self.ref

        def added(charge: Charge | None) -> None:  # (the list shows it: the app passes the write on)
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

        app.push_screen(
            ChargeScreen(ref, schedule, lambda fee, qty: charges.add_charge(ref, fee.code, qty)), added
        )

    # --- $: take payment of a receipt ------------------------------------------------------------

    def action_pay(self) -> None:
        app, t = self.app, self.app.t
        if self.detail is None:
            return
        unpaid = sorted((r for r in self.detail.receipts.values() if not r.paid), key=lambda r: r.number)
        if not unpaid:
            app.notify(t("ui.pay.none", ref=self.ref))
            return
        if len(unpaid) == 1:
            self._ask_method(unpaid[0].number, unpaid[0].amount_cents)
            return
        amounts = {r.number: r.amount_cents for r in unpaid}

        def chosen(number: str | None) -> None:
            if number:
                self._ask_method(number, amounts[number])

        choices = [(r.number, f"{r.number}  {format_yuan(r.amount_cents)}") for r in unpaid]
        app.push_screen(PickScreen(t("ui.pay.which"), choices), chosen)

    def _ask_method(self, number: str, amount: int) -> None:
        app, t, receipts = self.app, self.app.t, self.app.store.receipts

        def chosen(method: str | None) -> None:  # (the list shows it paid: the app passes the write on)
            if method:
                store_work(self, lambda: receipts.pay(number, method), ReceiptPaid, action="pay")

        choices = [(m, t(f"desk.method.{m}")) for m in PAY_METHODS]
        title = t("ui.pay.title", number=number, amount=format_yuan(amount))
        app.push_screen(PickScreen(title, choices), chosen)

    @on(ReceiptPaid)
    def _paid(self, msg: ReceiptPaid) -> None:
        t, receipt = self.app.t, msg.receipt
        said = t(
            "desk.paid",
            number=receipt.number,
            amount=format_yuan(receipt.amount_cents),
            method=t(f"desk.method.{receipt.method}"),
        )
        self.app.notify(said, timeout=4)

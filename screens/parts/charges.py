"""A request's paid services (4.9) with their key: the charges and their total under what it
wraps (the checklist), and `p` to add one (ChargeScreen: an item of the fee schedule, a
quantity). The schedule is read from its file once, in this widget's worker."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.reactive import var
from textual.widget import Widget

from liyuan_tui.domain.fees import FeeSchedule, format_yuan
from liyuan_tui.domain.models import Charge
from liyuan_tui.store import RequestDetail
from liyuan_tui.widgets.charge_list import ChargeList
from liyuan_tui.widgets.messages import ScheduleRead
from liyuan_tui.widgets.page import own_page_keys
from liyuan_tui.widgets.store_work import store_work

from ..dialogs import ChargeScreen

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
        self.query_one(ChargeList).show(detail.charges, self.schedule, self.app.t)
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

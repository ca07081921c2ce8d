"""A request's work orders with their keys: the orders under what it wraps (the checklist and
its charges), `d` sends someone on site (a technician, then the appointment and what they are
told), `w` opens the request's work order (or picks one of them)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.reactive import var
from textual.widget import Widget

from liyuan_tui.domain import validation as check
from liyuan_tui.domain.workshop import WorkOrder
from liyuan_tui.store import RequestDetail
from liyuan_tui.widgets.order_list import OrderList
from liyuan_tui.widgets.page import own_page_keys

from ..dialogs import FormField, FormScreen, PersonPickScreen, PickScreen, on_site_people

if TYPE_CHECKING:
    from liyuan_tui.app import LiyuanApp


class RequestOrders(Vertical):
    """`detail` is the page's; the OrderList goes under the widgets it wraps."""

    detail: var[RequestDetail | None] = var(None, always_update=True)
    app: LiyuanApp

    def __init__(self, *children: Widget, ref: str, **kwargs: Any) -> None:
        super().__init__(*children, **kwargs)
        self.ref = ref

    def compose(self) -> ComposeResult:
        yield OrderList(id="request-orders")

    def on_mount(self) -> None:
        own_page_keys(self)

    def watch_detail(self, detail: RequestDetail | None) -> None:
        if detail is not None:
            app = self.app
            self.query_one(OrderList).show(detail.orders, app.t, app.tz, app.staff)

    def action_dispatch(self) -> None:
        app, t = self.app, self.app.t
        if self.detail is None:
            return
        if not self.detail.request.is_open:
            app.notify(t("ui.order.request_closed", ref=self.ref), severity="warning")
            return
        people = on_site_people(app.staff.values())
        if not people:
            app.notify(t("ui.order.nobody_to_send"), severity="warning")
            return

        def chosen(login: str | None) -> None:
            if login:
                self._order_form(login)

        app.push_screen(PersonPickScreen(t("ui.order.dispatch_title", ref=self.ref), people), chosen)

    def _order_form(self, login: str) -> None:
        app, t, orders, ref = self.app, self.app.t, self.app.store.orders, self.ref
        who = app.staff.get(login)

        def save(v: dict[str, Any]) -> WorkOrder:
            at = (
                check.parse_time(v["appointment_at"], app.tz, "appointment_at")
                if v["appointment_at"]
                else None
            )
            return orders.create(ref, login, appointment=at, note=v["note"])

        def created(order: WorkOrder | None) -> None:  # (the list shows it: the app passes the write on)
            if order is not None:
                app.notify(t("ui.order.done.created", number=order.number), timeout=3)
                app.open_order(order.number)

        fields = [
            FormField("appointment_at", t("field.appointment_at"), hint=t("ui.order.appointment_hint")),
            FormField("note", t("sheet.note")),
        ]
        title = t("ui.order.new_title", ref=ref, name=who.name if who else login)
        app.push_screen(FormScreen(title, fields, save, action="order_created"), created)

    def action_request_orders(self) -> None:
        app, t = self.app, self.app.t
        orders = self.detail.orders if self.detail is not None else []
        if not orders:
            app.notify(t("ui.order.none_yet"))
            return
        if len(orders) == 1:
            app.open_order(orders[0].number)
            return

        def chosen(number: str | None) -> None:
            if number:
                app.open_order(number)

        choices = [
            (o.number, f"{o.number}  {t('order.state.' + o.state)}  {o.technician or ''}") for o in orders
        ]
        app.push_screen(PickScreen(t("ui.order.pick_title", ref=self.ref), choices), chosen)

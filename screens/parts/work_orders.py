"""Work orders from the request screen: `d` sends someone on site (a technician, then the
appointment and what they are told), `w` opens the request's work order (or picks one of them)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from liyuan_tui.domain import validation as check
from liyuan_tui.domain.work_orders import ON_SITE_ROLES

from .form_dialog import FormField, FormScreen

if TYPE_CHECKING:
    from liyuan_tui.app import LiyuanApp
    from liyuan_tui.store import RequestDetail


class OrderKeys:
    """Mixin for the request screen (which has `ref` and `detail`)."""

    app: "LiyuanApp"
    ref: str
    detail: "RequestDetail | None"

    def action_dispatch(self) -> None:
        from .dialogs import PickScreen

        app, t = self.app, self.app.t
        if self.detail is None:
            return
        if not self.detail.request.is_open:
            app.notify(t("ui.order.request_closed", ref=self.ref), severity="warning")
            return
        people = sorted(
            (s for s in app.staff.values() if s.active and s.role in ON_SITE_ROLES),
            key=lambda s: (s.role != "technician", s.login),
        )
        if not people:
            app.notify(t("ui.order.nobody_to_send"), severity="warning")
            return

        def chosen(login: str | None) -> None:
            if login:
                self._order_form(login)

        app.push_screen(
            PickScreen(
                t("ui.order.dispatch_title", ref=self.ref),
                [(s.login, f"{s.name}  ({t('role.' + s.role)})") for s in people],
            ),
            chosen,
        )

    def _order_form(self, login: str) -> None:
        app, t, orders, ref = self.app, self.app.t, self.app.store.orders, self.ref
        who = app.staff.get(login)

        def save(v: dict[str, Any]) -> Any:
            at = (
                check.parse_time(v["appointment_at"], app.tz, "appointment_at")
                if v["appointment_at"]
                else None
            )
            return orders.create(ref, login, appointment=at, note=v["note"])

        def created(order: Any) -> None:
            if order is not None:
                app.notify(t("ui.order.done.created", number=order.number), timeout=3)
                self.reload()  # type: ignore[attr-defined]
                app.open_order(order.number)

        app.push_screen(
            FormScreen(
                t("ui.order.new_title", ref=ref, name=who.name if who else login),
                [
                    FormField(
                        "appointment_at", t("field.appointment_at"), hint=t("ui.order.appointment_hint")
                    ),
                    FormField("note", t("sheet.note")),
                ],
                save,
                action="order_created",
            ),
            created,
        )

    def action_request_orders(self) -> None:
        from .dialogs import PickScreen

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

        app.push_screen(
            PickScreen(
                t("ui.order.pick_title", ref=self.ref),
                [
                    (o.number, f"{o.number}  {t('order.state.' + o.state)}  {o.technician or ''}")
                    for o in orders
                ],
            ),
            chosen,
        )

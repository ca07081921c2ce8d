"""One work order: where and for whom, its countdown to the arrival or finishing limit, the work
done and materials used, and its timeline; the keys move it on — `a` arrived, `p` waiting for
parts, `f` finished (hours, materials, the resident's sign-off), `d` hand on, `x` cancel, `s`
the printable sheet. Keys the user may not use, or that do not fit the order's state, are hidden."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Header, Static

from liyuan_tui.domain import validation as check
from liyuan_tui.domain.events import ORDER_KINDS
from liyuan_tui.domain.permissions import may_see_order
from liyuan_tui.domain.safe_text import visible
from liyuan_tui.domain.work_orders import ACTION_FROM, format_qty, next_deadline, within
from liyuan_tui.domain.workshop import WorkOrder
from liyuan_tui.reports.work_orders import order_sheet
from liyuan_tui.store import OrderView
from liyuan_tui.widgets.key_bar import KeyBar
from liyuan_tui.widgets.keys import ORDER_KEYS
from liyuan_tui.widgets.messages import Changes, OrderRead, OrderSaved
from liyuan_tui.widgets.order_table import order_countdown_cell
from liyuan_tui.widgets.page import Page
from liyuan_tui.widgets.plain import plain
from liyuan_tui.widgets.store_work import store_work
from liyuan_tui.widgets.timeline import Timeline

from ..dialogs import ExportScreen, FormField, FormScreen, PersonPickScreen, on_site_people

# Which of ACTION_FROM's actions each key is (who may use it: widgets/keys.py's NEEDS).
KEY_ACTION = {
    "arrive": "arrive",
    "wait_parts": "wait",
    "finish": "finish",
    "hand_on": "dispatch",
    "cancel_order": "cancel",
}
# A technician works their own orders only.
OWN_ORDER = frozenset({"arrive", "wait_parts", "finish"})


class OrderScreen(Page):
    CSS_PATH = "order.tcss"
    KEYS = ORDER_KEYS

    def __init__(self, number: str) -> None:
        super().__init__(classes="order")
        self.number = number
        self.view: OrderView | None = None
        self._countdown: Text | None = None

    def compose(self) -> ComposeResult:
        t = self.app.t
        yield Header(icon="")
        with Horizontal(id="order-top"):
            yield Static(t("ui.orders.loading"), id="order-summary")
            yield Static(id="order-countdown")
        with Horizontal(id="order-body"):
            with VerticalScroll(id="order-work"):
                yield Static(id="order-details")
            with VerticalScroll(id="order-timeline-pane"):
                yield Static(t("ui.request.timeline"), classes="pane-title")
                yield Timeline(id="order-timeline")
        yield KeyBar()  # the footer's keys whole at any width (widgets/key_bar.py)

    def on_mount(self) -> None:
        self.summary = self.query_one("#order-summary", Static)
        self.countdown = self.query_one("#order-countdown", Static)
        self.details = self.query_one("#order-details", Static)
        self.timeline = self.query_one(Timeline)
        self.query_one("#order-work").focus()
        self.watch(self.app, "changes", self._changed, init=False)
        self.on_clock(self.tick)
        self.reload()

    # --- reading ---------------------------------------------------------------------------------

    def reload(self) -> None:
        orders = self.app.store.orders
        store_work(self, lambda: orders.detail(self.number), OrderRead, action="order", exclusive=True)

    def _changed(self, changes: Changes) -> None:
        """Read again when this order changed (here or at another terminal)."""
        view = self.view
        if view is not None and any(e.kind in ORDER_KINDS for e in changes.touch(view.request.id)):
            self.reload()

    @on(OrderRead)
    def _read(self, msg: OrderRead) -> None:
        self.show(msg.view)

    @on(OrderSaved)
    def _saved(self, msg: OrderSaved) -> None:  # (read again with the change: see _changed)
        self.app.notify(self.app.t(f"ui.order.done.{msg.action}", number=msg.order.number), timeout=3)

    def show(self, view: OrderView) -> None:
        app, t = self.app, self.app.t
        self.view = view
        self.summary.update(self._summary(view))
        self.details.update(self._details(view))
        proc = app.procedures.get(view.request.category)
        self.timeline.show(view.events, proc, t=t, tz=app.tz, staff=app.staff, visible=view.visible)
        self.tick(app.clock.now())
        self.refresh_bindings()

    def _summary(self, view: OrderView) -> Text:
        app, t, o, req = self.app, self.app.t, view.order, view.request
        proc = app.procedures.get(req.category)
        who = app.staff.get(o.technician or "")
        text = Text()
        text.append(f"{o.number}  ", style="bold")
        text.append(t(f"order.state.{o.state}"), style="bold cyan")
        shown = visible  # what people typed, as text: a control character as its escape
        text.append(
            shown(f"   {proc.name(t.lang) if proc else '-'}   {t('ui.order.for_request', ref=req.ref)}")
        )
        text.append("\n" + shown(t("ui.order.where", unit=req.unit or "-")), style="bold")
        text.append(
            "   "
            + shown(
                t("ui.order.technician", name=who.name if who else (o.technician or t("ui.orders.nobody")))
            )
        )
        if o.appointment_at:
            text.append(
                "   " + t("ui.order.appointment", at=f"{o.appointment_at.astimezone(app.tz):%m-%d %H:%M}")
            )
        hidden = t("report.hidden")
        text.append(
            "\n"
            + shown(
                t(
                    "ui.order.resident",
                    name=(req.requester_name if view.visible else hidden) or "-",
                    phone=(req.phone if view.visible else hidden) or "-",
                )
            )
        )
        if req.description:
            said = req.description if view.visible else hidden
            key = "ui.order.problem" if proc is not None and proc.fault_kinds else "ui.order.asked"
            text.append("\n" + shown(t(key, text=said)))
        if o.note:
            text.append(
                "\n" + shown(t("ui.order.note", text=o.note if view.visible else hidden)), style="yellow"
            )
        return text

    def _details(self, view: OrderView) -> Group:
        app, t, o = self.app, self.app.t, view.order
        tz = app.tz

        def at(when: datetime | None) -> str:
            return f"{when.astimezone(tz):%m-%d %H:%M}" if when else "-"

        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="dim", no_wrap=True)
        grid.add_column()
        grid.add_row(t("sheet.dispatched"), at(o.dispatched_at))
        if o.dispatched_at and o.arrive_due_at is None and o.finish_due_at is None:
            grid.add_row(t("sheet.limits"), t("ui.order.no_limits"))  # said, not left blank
        for label, done, due in (
            (t("sheet.arrived"), o.arrived_at, o.arrive_due_at),
            (t("sheet.finished"), o.finished_at, o.finish_due_at),
        ):
            met = within(done, due)
            mark = "" if met is None else t("ui.order.in_time" if met else "ui.order.late")
            limit = f"  ({t('ui.order.limit', at=at(due))})" if due else ""
            grid.add_row(
                label,
                Text(at(done) + limit + (f"  {mark}" if mark else ""), style="red" if met is False else ""),
            )
        if o.state == "waiting_parts" or o.wait_reason:
            grid.add_row(
                t("order.state.waiting_parts"),
                plain((o.wait_reason if view.visible else t("report.hidden")) + f"  {at(o.waiting_at)}"),
            )
        if o.hours is not None:
            grid.add_row(t("sheet.hours"), f"{o.hours:g}")
        if o.state == "done":
            signed = (
                t("sheet.not_home") if o.not_home else (o.signed_by if view.visible else t("report.hidden"))
            )
            grid.add_row(t("sheet.sign_off"), plain(signed))
        if o.finish_note:
            grid.add_row(t("sheet.result"), plain(o.finish_note if view.visible else t("report.hidden")))
        if o.cancel_reason:
            grid.add_row(
                t("order.state.cancelled"), plain(o.cancel_reason if view.visible else t("report.hidden"))
            )
        parts: list[Any] = [Text(t("ui.order.work"), style="bold"), grid]
        if view.materials:
            used = Table.grid(padding=(0, 2))
            for _ in range(3):
                used.add_column(no_wrap=True)
            for m, milli in view.materials:
                used.add_row(
                    m.code,
                    plain(m.name, one_line=True),
                    plain(f"{format_qty(milli)} {m.unit}", one_line=True),
                )
            parts += [Text(""), Text(t("sheet.materials"), style="bold"), used]
        return Group(*parts)

    def tick(self, now: datetime) -> None:
        view = self.view
        if view is None:
            return
        nxt = next_deadline(view.order)
        label = self.app.t(f"ui.order.to_{nxt[0]}") if nxt else ""
        text = Text.assemble((label + " ", "dim"), order_countdown_cell(view.order, now)) if nxt else Text("")
        if text != self._countdown:
            self._countdown = text
            self.countdown.update(text)

    # --- keys ------------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The keys that fit the order's state now (and a technician's, on their own order)."""
        me, view = self.app.me, self.view
        if action in KEY_ACTION:
            if view is None or view.order.state not in ACTION_FROM[KEY_ACTION[action]]:
                return False
            if action in OWN_ORDER and not may_see_order(me.role, me.login, view.order.technician):
                return False
        return super().check_action(action, parameters)

    def write(self, call: Callable[[], WorkOrder], action: str) -> None:
        store_work(self, call, lambda order: OrderSaved(order, action), action=action)

    def _version(self) -> int | None:
        return self.view.order.version if self.view else None

    def action_arrive(self) -> None:
        orders, version = self.app.store.orders, self._version()
        self.write(lambda: orders.arrive(self.number, expected_version=version), "arrived")

    def _form(
        self, title: str, fields: list[FormField], save: Callable[[dict[str, Any]], WorkOrder], action: str
    ) -> None:
        def done(order: WorkOrder | None) -> None:
            if order is not None:
                self.post_message(OrderSaved(order, action))

        self.app.push_screen(FormScreen(title, fields, save, action=action), done)

    def action_wait_parts(self) -> None:
        t, orders, version = self.app.t, self.app.store.orders, self._version()
        self._form(
            t("ui.order.wait_title", number=self.number),
            [FormField("reason", t("ui.order.wait_reason"))],
            lambda v: orders.wait(self.number, v["reason"], expected_version=version),
            "waiting",
        )

    def action_finish(self) -> None:
        t, orders, version = self.app.t, self.app.store.orders, self._version()
        fields = [
            FormField("hours", t("sheet.hours"), hint=t("ui.order.hours_hint")),
            FormField("material", t("sheet.materials"), hint=t("ui.order.materials_hint")),
            FormField("signed_by", t("sheet.signature")),
            FormField("note", t("sheet.result")),
            FormField("not_home", t("sheet.not_home"), check=True),
        ]  # (tab, then space)

        def save(v: dict[str, Any]) -> WorkOrder:
            used = check.materials([v["material"]]) if v["material"] else []
            return orders.finish(
                self.number,
                v["hours"],
                materials=used,
                signed_by=v["signed_by"],
                not_home=bool(v["not_home"]),
                note=v["note"],
                expected_version=version,
            )

        self._form(t("ui.order.finish_title", number=self.number), fields, save, "finished")

    def action_cancel_order(self) -> None:
        t, orders, version = self.app.t, self.app.store.orders, self._version()
        self._form(
            t("ui.order.cancel_title", number=self.number),
            [FormField("reason", t("field.reason"))],
            lambda v: orders.cancel(self.number, v["reason"], expected_version=version),
            "cancelled",
        )

    def action_hand_on(self) -> None:
        app, t, orders, version = self.app, self.app.t, self.app.store.orders, self._version()
        current = self.view.order.technician if self.view else None
        people = on_site_people(app.staff.values(), leave_out=current)

        def chosen(login: str | None) -> None:
            if login:
                self.write(
                    lambda: orders.dispatch(self.number, login, expected_version=version), "dispatched"
                )

        app.push_screen(PersonPickScreen(t("ui.order.hand_on_title", number=self.number), people), chosen)

    def action_sheet(self) -> None:
        app, t, view = self.app, self.app.t, self.view
        if view is None:
            return
        names = {s.login: s.name for s in app.staff.values()}
        app.push_screen(
            ExportScreen(
                t("ui.order.sheet_title", number=self.number),
                ("md",),
                lambda fmt: f"liyuan-{self.number}.{fmt}",
                lambda fmt: order_sheet(view, t, app.tz, app.procedures, app.clock.now(), names),
            )
        )

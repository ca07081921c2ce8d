"""`w`: the work orders still open — all, mine, or late — each counting down to its arrival or
finishing limit (set per category in the procedure files) like the queue counts down to replies.
Read in a thread when an order changes anywhere; the countdowns repaint only the cells that change.
A technician's desk opens here, on their own orders."""

from __future__ import annotations

from datetime import datetime

from textual import on
from textual.app import ComposeResult
from textual.widgets import Header, Static

from liyuan_tui.domain.events import ORDER_KINDS
from liyuan_tui.domain.work_orders import OrderUrgency, order_seconds_left, order_urgency
from liyuan_tui.store import OrderView
from liyuan_tui.widgets.key_bar import KeyBar
from liyuan_tui.widgets.keys import ORDERS_KEYS, KeyTable, own_keys
from liyuan_tui.widgets.messages import Changes, OrdersRead
from liyuan_tui.widgets.order_table import OrderTable, order_cells, order_countdown_cell, order_state_cell
from liyuan_tui.widgets.page import Page
from liyuan_tui.widgets.store_work import store_work

FILTERS = ("all", "mine", "late")


class OrdersScreen(Page):
    KEYS = ORDERS_KEYS

    def __init__(self, filter: str = "all") -> None:
        super().__init__(id="orders", classes="orders")
        self.filter = filter
        self.views: dict[str, OrderView] = {}
        self._shown: list[str] = []
        self._urgency: dict[str, OrderUrgency] = {}
        self._counts_text = ""

    def compose(self) -> ComposeResult:
        t = self.app.t
        yield Header(icon="")
        yield Static(id="orders-counts")
        labels = {
            key: t(f"ui.orders.column.{key}")
            for key in (
                "countdown",
                "number",
                "ref",
                "category",
                "unit",
                "technician",
                "state",
                "appointment",
            )
        }
        yield OrderTable(labels, id="orders-table")
        yield Static(t("ui.orders.loading"), id="orders-empty")
        yield KeyBar()  # the footer's keys whole at any width (widgets/key_bar.py)

    def on_mount(self) -> None:
        self.table = self.query_one(OrderTable)
        own_keys(self.table, ORDERS_KEYS, self.app.me, self.app.t)  # its enter: "open" in the user's language
        self.counts = self.query_one("#orders-counts", Static)
        self.empty = self.query_one("#orders-empty", Static)
        self.table.display = False
        self.table.focus()
        self.watch(self.app, "changes", self._changed, init=False)
        self.on_clock(self.tick)
        self.load()

    def key_table(self) -> KeyTable:
        if self.app.me.role == "technician":  # a technician's desk is this list: no way back (q quits)
            return [row for row in self.KEYS if row[1] != "back"]
        return self.KEYS

    # --- reading ---------------------------------------------------------------------------------

    def load(self) -> None:
        orders = self.app.store.orders
        store_work(
            self, lambda: orders.list_orders(open_only=True), OrdersRead, action="orders", exclusive=True
        )

    def _changed(self, changes: Changes) -> None:
        if changes.kinds() & ORDER_KINDS:
            self.load()

    @on(OrdersRead)
    def _read(self, msg: OrdersRead) -> None:
        self.views = {v.order.number: v for v in msg.views}
        self.show_orders()

    # --- what is shown ---------------------------------------------------------------------------

    def listed(self, now: datetime) -> list[OrderView]:
        me = self.app.me
        views = list(self.views.values())
        if self.filter == "mine":
            views = [v for v in views if me.login in (v.order.technician, v.order.created_by)]
        elif self.filter == "late":
            views = [v for v in views if order_urgency(v.order, now) is OrderUrgency.LATE]
        # Late first, then least time left; orders without a limit last, oldest first.
        return sorted(views, key=lambda v: _order_key(v, now))

    def show_orders(self) -> None:
        app = self.app
        now = app.clock.now()
        shown = self.listed(now)
        self.table.show_rows(
            [
                (
                    v.order.number,
                    order_cells(v, now, t=app.t, tz=app.tz, procedures=app.procedures, staff=app.staff),
                )
                for v in shown
            ]
        )
        self._shown = [v.order.number for v in shown]
        self._urgency = {v.order.number: order_urgency(v.order, now) for v in shown}
        self.table.display = bool(shown)
        self.empty.display = not shown
        self.empty.update(self.app.t(f"ui.orders.empty_{self.filter}"))
        self.update_counts(now)

    def tick(self, now: datetime) -> None:
        changes = []
        refilter = False
        for number in self._shown:
            view = self.views.get(number)
            if view is None:
                continue
            changes.append((number, "countdown", order_countdown_cell(view.order, now)))
            urgency = order_urgency(view.order, now)
            if self._urgency.get(number) is not urgency:
                self._urgency[number] = urgency
                changes.append((number, "state", order_state_cell(view.order, now, self.app.t)))
                refilter = refilter or self.filter == "late"
        self.table.set_cells(changes)
        if refilter or (self.filter == "late" and len(self._shown) != len(self.listed(now))):
            self.show_orders()
        else:
            self.update_counts(now)

    def update_counts(self, now: datetime) -> None:
        t = self.app.t
        views = list(self.views.values())
        late = sum(1 for v in views if order_urgency(v.order, now) is OrderUrgency.LATE)
        waiting = sum(1 for v in views if v.order.state == "waiting_parts")
        text = t(
            "ui.orders.counts",
            open=len(views),
            late=late,
            waiting=waiting,
            filter=t(f"ui.orders.filter.{self.filter}"),
        )
        if text != self._counts_text:
            self._counts_text = text
            self.counts.update(text)

    # --- keys ------------------------------------------------------------------------------------

    def action_open_order(self) -> None:
        number = self.table.current_ref if self.table.display else None
        if number:
            self.app.open_order(number)

    def on_data_table_row_selected(self, event: OrderTable.RowSelected) -> None:
        event.stop()
        self.action_open_order()

    def action_order_filter(self) -> None:
        """`f`: all → mine → late → all."""
        self.filter = FILTERS[(FILTERS.index(self.filter) + 1) % len(FILTERS)]
        self.show_orders()


def _order_key(view: OrderView, now: datetime) -> tuple:
    left = order_seconds_left(view.order, now)
    return (left is None, left if left is not None else 0, view.order.id or 0)

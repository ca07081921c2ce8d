"""The work-order list: the queue's table (cells repainted only where they changed) with the
order's countdown to its arrival or finishing limit first, then who, where and in which state.

At 80 columns the category and the appointment are left out; from 100 they are shown."""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import Mapping

from rich.text import Text

from liyuan_tui.domain.i18n import Translator
from liyuan_tui.domain.models import Staff
from liyuan_tui.domain.work_orders import OrderUrgency, format_clock, order_seconds_left, order_urgency
from liyuan_tui.domain.workshop import WorkOrder
from liyuan_tui.store import OrderView

from .queue_table import QueueTable, padded, short_category

NARROW = (("countdown", 11), ("number", 14), ("ref", 13), ("unit", 14), ("technician", 12), ("state", 11))
WIDE = (("countdown", 11), ("number", 14), ("ref", 13), ("category", 8), ("unit", 16), ("technician", 12),
        ("state", 11), ("appointment", 13))
WIDE_FROM = 100  # terminal columns
URGENCY_STYLE = {
    OrderUrgency.OK: "green",
    OrderUrgency.WARNING: "bold #ffaf00",
    OrderUrgency.LATE: "bold red",
    OrderUrgency.NONE: "dim",
    OrderUrgency.CLOSED: "dim",
}


def order_countdown_cell(order: WorkOrder, now: datetime) -> Text:
    """`29:41` to the limit, `-1:05:00` past it, `--` without one; coloured by urgency."""
    return Text(f" {format_clock(order_seconds_left(order, now)):>9} ",
                style=URGENCY_STYLE[order_urgency(order, now)])


def order_state_cell(order: WorkOrder, now: datetime, t: Translator) -> Text:
    style = "bold red" if order_urgency(order, now) is OrderUrgency.LATE else ""
    return Text(f" {t(f'ui.order.state.{order.state}')} ", style=style)


def order_cells(view: OrderView, now: datetime, *, t: Translator, tz: tzinfo, procedures,
                staff: Mapping[str, Staff]) -> dict[str, object]:
    o, req = view.order, view.request
    who = staff.get(o.technician or "")
    return {
        "countdown": order_countdown_cell(o, now),
        "number": padded(o.number),
        "ref": padded(req.ref),
        "category": padded(short_category(req.category, procedures, t) if req.category else "-"),
        "unit": padded(req.unit),
        "technician": padded(who.name if who else (o.technician or t("ui.orders.nobody"))),
        "state": order_state_cell(o, now, t),
        "appointment": padded(f"{o.appointment_at.astimezone(tz):%m-%d %H:%M}" if o.appointment_at else ""),
    }


class OrderTable(QueueTable):
    """Work orders by number; the cursor stays on its order as rows come and go."""

    def __init__(self, labels: Mapping[str, str], *, wide: bool, **kwargs) -> None:
        self.COLUMNS = WIDE if wide else NARROW
        super().__init__(labels, **kwargs)

    def show_rows(self, rows) -> None:
        """As the queue's, with only the cells of this width's columns."""
        keys = {key for key, _ in self.COLUMNS}
        super().show_rows([(number, {k: v for k, v in cells.items() if k in keys}) for number, cells in rows])

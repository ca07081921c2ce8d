"""The work-order list: the queue's table (cells repainted only where they changed, values cut
with an ellipsis to their column) with the order's countdown to its arrival or finishing limit
first, then who, where and in which state.

Narrower than 100 columns the category and the appointment are left out; from 100 they are shown."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, tzinfo

from rich.text import Text

from liyuan_tui.domain.i18n import Translator
from liyuan_tui.domain.models import Staff
from liyuan_tui.domain.procedures import Procedures
from liyuan_tui.domain.work_orders import OrderUrgency, format_clock, order_seconds_left, order_urgency
from liyuan_tui.domain.workshop import WorkOrder
from liyuan_tui.store import OrderView

from .queue_table import QueueTable, short_category, typed

NARROW = (("countdown", 11), ("number", 14), ("ref", 13), ("unit", 14), ("technician", 12), ("state", 11))
WIDE = (
    ("countdown", 11),
    ("number", 14),
    ("ref", 13),
    ("category", 8),
    ("unit", 16),
    ("technician", 12),
    ("state", 11),
    ("appointment", 13),
)
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
    return Text(
        f"{format_clock(order_seconds_left(order, now)):>9}", style=URGENCY_STYLE[order_urgency(order, now)]
    )


def order_state_cell(order: WorkOrder, now: datetime, t: Translator) -> Text:
    style = "bold red" if order_urgency(order, now) is OrderUrgency.LATE else ""
    return Text(t(f"ui.order.state.{order.state}"), style=style)


def order_cells(
    view: OrderView,
    now: datetime,
    *,
    t: Translator,
    tz: tzinfo,
    procedures: Procedures,
    staff: Mapping[str, Staff],
) -> dict[str, object]:
    o, req = view.order, view.request
    who = staff.get(o.technician or "")
    return {  # values: the table fits them to its columns (a Text, so a "[" typed is never markup;
        # what people typed through `typed`, so a control character shows as its escape)
        "countdown": order_countdown_cell(o, now),
        "number": Text(o.number),
        "ref": Text(req.ref),
        "category": Text(short_category(req.category, procedures, t) if req.category else "-"),
        "unit": typed(req.unit),
        "technician": typed(who.name if who else (o.technician or t("ui.orders.nobody"))),
        "state": order_state_cell(o, now, t),
        "appointment": Text(f"{o.appointment_at.astimezone(tz):%m-%d %H:%M}" if o.appointment_at else ""),
    }


class OrderTable(QueueTable):
    """Work orders by number; the cursor stays on its order as rows come and go."""

    def column_widths(self, room: int) -> dict[str, int]:
        return dict(WIDE if room >= WIDE_FROM - 1 else NARROW)

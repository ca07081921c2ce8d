"""A request's work orders under its checklist: number, state, who and when. Hidden while there
are none; `d` sends someone, `w` opens an order."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import tzinfo

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from liyuan_tui.domain.i18n import Translator
from liyuan_tui.domain.models import Staff
from liyuan_tui.domain.workshop import WorkOrder

from .plain import plain


class OrderList(Static):
    """Rebuilt when the request is read again (never on the clock tick)."""

    DEFAULT_CSS = """
    OrderList { height: auto; max-height: 8; padding: 0 1; border-top: solid $primary; }
    """

    def show(
        self, orders: Sequence[WorkOrder], t: Translator, tz: tzinfo, staff: Mapping[str, Staff]
    ) -> None:
        self.display = bool(orders)
        if not orders:
            return
        grid = Table.grid(padding=(0, 2))
        for _ in range(4):
            grid.add_column(no_wrap=True)
        for o in orders:
            who = staff.get(o.technician or "")
            last = o.finished_at or o.arrived_at or o.dispatched_at or o.created_at
            grid.add_row(
                o.number,
                Text(t(f"order.state.{o.state}"), style="dim" if not o.is_open else "cyan"),
                plain(who.name if who else (o.technician or t("ui.orders.nobody")), one_line=True),
                f"{last.astimezone(tz):%m-%d %H:%M}",
            )
        title = Text(t("ui.order.list_title"), style="bold")
        title.append("  " + t("ui.order.list_hint"), style="dim")
        self.update(Group(title, grid))

"""The handover screen's back office: work orders still open (late ones first, in red, with the
countdown to their limit) and repair tools still out (overdue ones first, in red)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import tzinfo

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from liyuan_tui.domain.i18n import Translator
from liyuan_tui.domain.models import Staff
from liyuan_tui.domain.work_orders import format_clock
from liyuan_tui.reports.handover import HandoverSheet

from .plain import plain

LIST_LIMIT = 100


def _grid(columns: int) -> Table:
    grid = Table.grid(padding=(0, 2))
    for _ in range(columns):
        grid.add_column(no_wrap=True)
    return grid


def back_office_section(
    sheet: HandoverSheet, t: Translator, tz: tzinfo, staff: Mapping[str, Staff]
) -> RenderableType:
    def who(login: str | None) -> Text:
        person = staff.get(login or "")
        return plain(person.name if person else (login or t("handover.nobody")), one_line=True)

    orders = _grid(5)
    for x in sheet.orders[:LIST_LIMIT]:
        late = x.urgency == "late"
        limit = f"{t('order.limit.' + x.limit)} {format_clock(x.seconds_left)}" if x.limit else ""
        orders.add_row(
            Text(x.number, style="bold red" if late else ""),
            plain(x.unit, one_line=True),
            who(x.technician),
            Text(t(f"ui.order.state.{x.state}")),
            Text(limit, style="bold red" if late else ""),
        )
    tools = _grid(5)
    for y in sheet.tools_out[:LIST_LIMIT]:
        due = f"{y.due_at.astimezone(tz):%m-%d %H:%M}" if y.due_at else ""
        tools.add_row(
            Text(y.code),
            plain(y.name, one_line=True),
            who(y.holder),
            Text(y.order or ""),
            Text(
                due + (f" {t('cli.tools.overdue')}" if y.overdue else ""),
                style="bold red" if y.overdue else "",
            ),
        )
    none = Text(t("report.none"), style="dim")
    return Group(
        Text(
            t("handover.orders_open", count=len(sheet.orders))
            + " · "
            + t("handover.orders_late", count=len(sheet.late_orders)),
            style="bold",
        ),
        orders if sheet.orders else none,
        Text(""),
        Text(
            t("handover.tools_out", count=len(sheet.tools_out))
            + " · "
            + t("handover.tools_overdue", count=len(sheet.overdue_tools)),
            style="bold",
        ),
        tools if sheet.tools_out else none,
    )

"""The shift handover's back-office lists: work orders still open (and those past their limit)
and repair tools still out (and those overdue), for the next shift to chase."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any

from liyuan_tui.domain.i18n import Translator
from liyuan_tui.domain.work_orders import format_clock, next_deadline, order_seconds_left, order_urgency

from .source import ReportSource
from .tables import md_table


@dataclass(frozen=True)
class HandoverOrder:
    number: str
    ref: str
    unit: str
    technician: str | None
    state: str
    urgency: str  # ok | warning | late | none
    limit: str | None  # arrive | finish: what it is counting down to
    seconds_left: int | None
    appointment_at: datetime | None


@dataclass(frozen=True)
class HandoverTool:
    code: str
    name: str
    holder: str
    order: str | None
    issued_at: datetime
    due_at: datetime | None
    overdue: bool


def back_office_lists(store: ReportSource, now: datetime) -> tuple[list[HandoverOrder], list[HandoverTool]]:
    """Open work orders (late first, then least time left) and the tools out (overdue first)."""
    orders = []
    for v in store.orders.list_orders(open_only=True):
        o, nxt = v.order, next_deadline(v.order)
        orders.append(
            HandoverOrder(
                o.number,
                v.request.ref,
                v.request.unit,
                o.technician,
                o.state,
                str(order_urgency(o, now)),
                nxt[0] if nxt else None,
                order_seconds_left(o, now),
                o.appointment_at,
            )
        )
    orders.sort(key=lambda x: (x.seconds_left is None, x.seconds_left or 0, x.number))
    tools = [
        HandoverTool(
            v.tool.code,
            v.tool.name,
            v.tool.holder or "",
            v.order,
            v.loan.issued_at,
            v.loan.due_at,
            v.overdue(now),
        )
        for v in store.tools.list_tools(out=True)
        if v.loan is not None
    ]
    tools.sort(key=lambda x: (not x.overdue, x.due_at is None, x.due_at or x.issued_at, x.code))
    return orders, tools


def render_back_office(
    orders: list[HandoverOrder],
    tools: list[HandoverTool],
    t: Translator,
    tz: tzinfo,
    names: dict[str, str] | None = None,
) -> list[str]:
    """The handover's Markdown sections for work orders and tools."""

    def when(d: datetime | None) -> str:
        return d.astimezone(tz).strftime("%m-%d %H:%M") if d else ""

    late = [x for x in orders if x.urgency == "late"]
    out: list[str] = []
    head = [
        t("column.number"),
        t("column.ref"),
        t("column.unit"),
        t("column.technician"),
        t("column.state"),
        t("column.limit"),
    ]
    for key, items in (("handover.orders_open", orders), ("handover.orders_late", late)):
        out += [f"## {t(key, count=len(items))}", ""]
        out += (
            md_table(
                head,
                [
                    [
                        x.number,
                        x.ref,
                        x.unit,
                        (names or {}).get(x.technician, x.technician)
                        if x.technician
                        else t("handover.nobody"),
                        t(f"order.state.{x.state}"),
                        _limit(x, t),
                    ]
                    for x in items
                ],
            )
            if items
            else [t("report.none")]
        )
        out.append("")
    overdue = [x for x in tools if x.overdue]
    head = [t("column.code"), t("column.tool"), t("column.holder"), t("column.order"), t("column.due")]
    for key, listed in (("handover.tools_out", tools), ("handover.tools_overdue", overdue)):
        out += [f"## {t(key, count=len(listed))}", ""]
        out += (
            md_table(
                head,
                [
                    [x.code, x.name, (names or {}).get(x.holder, x.holder), x.order or "", when(x.due_at)]
                    for x in listed
                ],
            )
            if listed
            else [t("report.none")]
        )
        out.append("")
    return out


def _limit(x: HandoverOrder, t: Translator) -> str:
    if x.limit is None:
        return ""
    return f"{t('order.limit.' + x.limit)} {format_clock(x.seconds_left)}"


def back_office_dict(orders: list[HandoverOrder], tools: list[HandoverTool], tz: tzinfo) -> dict[str, Any]:
    def iso(d: datetime | None) -> str | None:
        return d.astimezone(tz).isoformat(timespec="seconds") if d else None

    listed = [
        {
            "number": x.number,
            "ref": x.ref,
            "unit": x.unit,
            "technician": x.technician,
            "state": x.state,
            "urgency": x.urgency,
            "limit": x.limit,
            "seconds_left": x.seconds_left,
            "appointment_at": iso(x.appointment_at),
        }
        for x in orders
    ]
    out = [
        {
            "code": x.code,
            "name": x.name,
            "holder": x.holder,
            "order": x.order,
            "issued_at": iso(x.issued_at),
            "due_at": iso(x.due_at),
            "overdue": x.overdue,
        }
        for x in tools
    ]
    return {
        "orders_open": listed,
        "orders_late": [d for d in listed if d["urgency"] == "late"],
        "tools_out": out,
        "tools_overdue": [d for d in out if d["overdue"]],
    }

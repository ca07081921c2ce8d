"""The month report's back-office section (company text, part 3): work orders opened and finished,
the share arriving and finishing within their limits, labour hours, materials used by value, and
tools that came back damaged or were lost.

A limit counts in the month it fell due, once it can be judged: the order met it, missed it, or
the limit has passed (an order cancelled before its limit is not counted). Materials are valued at
their unit price at the month's end, as in the stock report.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import Any

from sqlmodel import col, func, or_, select

from liyuan_tui.domain.i18n import Translator
from liyuan_tui.domain.work_orders import format_qty
from liyuan_tui.domain.workshop import Tool, ToolLoan, WorkOrder

from .stock_queries import StockLine, stock_lines
from .tables import Said


@dataclass(frozen=True)
class ToolIncident:
    code: str
    name: str
    condition: str  # damaged | lost
    holder: str
    returned_at: datetime
    note: str


@dataclass
class BackOffice:
    opened: int = 0
    finished: int = 0
    cancelled: int = 0
    arrive_due: int = 0  # arrival limits that fell due in the month and can be judged
    arrive_within: int = 0
    finish_due: int = 0
    finish_within: int = 0
    hours: float = 0.0  # labour hours of the orders finished in the month
    materials: list[StockLine] = field(default_factory=list)  # items used in the month
    tools: list[ToolIncident] = field(default_factory=list)

    @property
    def arrive_share(self) -> float | None:
        return self.arrive_within / self.arrive_due if self.arrive_due else None

    @property
    def finish_share(self) -> float | None:
        return self.finish_within / self.finish_due if self.finish_due else None

    @property
    def materials_value(self) -> int:
        """What the month's repairs used, in fen."""
        return sum(x.value("used") for x in self.materials)


def back_office_figures(s: Any, start: datetime, end: datetime, now: datetime) -> BackOffice:
    bo = BackOffice()
    o = WorkOrder
    bo.opened = s.exec(select(func.count()).where(o.created_at >= start, o.created_at < end)).one()
    bo.cancelled = s.exec(select(func.count()).where(o.cancelled_at >= start, o.cancelled_at < end)).one()
    finished = s.exec(
        select(func.count(), func.sum(o.hours)).where(o.finished_at >= start, o.finished_at < end)
    ).one()
    bo.finished, bo.hours = int(finished[0] or 0), round(float(finished[1] or 0), 2)
    due = s.exec(
        select(o.arrive_due_at, o.arrived_at, o.finish_due_at, o.finished_at, o.cancelled_at).where(
            or_(col(o.arrive_due_at).between(start, end), col(o.finish_due_at).between(start, end))
        )
    ).all()
    for arrive_due, arrived, finish_due, finished_at, cancelled in due:
        for limit, done_at, kind in ((arrive_due, arrived, "arrive"), (finish_due, finished_at, "finish")):
            if limit is None or not start <= limit < end:
                continue
            if done_at is None and (limit > now or (cancelled is not None and cancelled <= limit)):
                continue  # not judged yet, or cancelled before its limit
            ok = done_at is not None and done_at <= limit
            if kind == "arrive":
                bo.arrive_due, bo.arrive_within = bo.arrive_due + 1, bo.arrive_within + ok
            else:
                bo.finish_due, bo.finish_within = bo.finish_due + 1, bo.finish_within + ok
    bo.materials = sorted(
        (x for x in stock_lines(s, start, end) if x.used), key=lambda x: (-x.value("used"), x.code)
    )
    rows = s.exec(
        select(Tool, ToolLoan)
        .join(ToolLoan, col(ToolLoan.tool_id) == Tool.id)
        .where(
            ToolLoan.returned_at >= start,
            ToolLoan.returned_at < end,
            col(ToolLoan.condition_back).in_(("damaged", "lost")),
        )
        .order_by(ToolLoan.returned_at)
    )
    bo.tools = [
        ToolIncident(tool.code, tool.name, loan.condition_back, loan.holder, loan.returned_at, loan.note)
        for tool, loan in rows
    ]
    return bo


def back_office_dict(bo: BackOffice, tz: tzinfo) -> dict[str, Any]:
    return {
        "orders_opened": bo.opened,
        "orders_finished": bo.finished,
        "orders_cancelled": bo.cancelled,
        "arrive_due": bo.arrive_due,
        "arrived_within_limit": bo.arrive_within,
        "arrive_within_share": bo.arrive_share,
        "finish_due": bo.finish_due,
        "finished_within_limit": bo.finish_within,
        "finish_within_share": bo.finish_share,
        "labour_hours": bo.hours,
        "materials_used": [
            {
                "code": x.code,
                "name": x.name,
                "unit": x.unit,
                "used": x.used / 1000,
                "price": x.price_fen / 100,
                "value": x.value("used") / 100,
            }
            for x in bo.materials
        ],
        "materials_used_value": bo.materials_value / 100,
        "tools_damaged_or_lost": [
            {
                "code": x.code,
                "name": x.name,
                "condition": x.condition,
                "holder": x.holder,
                "returned_at": x.returned_at.astimezone(tz).isoformat(timespec="seconds"),
                "note": x.note,
            }
            for x in bo.tools
        ],
    }


Table = tuple[str, list[str], list[list[str]]]


def back_office_tables(
    cur: BackOffice, prev: BackOffice, t: Translator, share: Any, tz: tzinfo
) -> list[Table]:
    """The section as the month report's tables (Markdown, CSV and the screen alike)."""

    def money(fen: int) -> str:
        return f"{fen / 100:.2f}"

    overview = [
        [t("backoffice.opened"), str(cur.opened), str(prev.opened)],
        [t("backoffice.finished"), str(cur.finished), str(prev.finished)],
        [t("backoffice.cancelled"), str(cur.cancelled), str(prev.cancelled)],
        [t("backoffice.arrive_share"), share(cur.arrive_share), share(prev.arrive_share)],
        [t("backoffice.finish_share"), share(cur.finish_share), share(prev.finish_share)],
        [t("backoffice.hours"), f"{cur.hours:g}", f"{prev.hours:g}"],
        [t("backoffice.materials_value"), money(cur.materials_value), money(prev.materials_value)],
        [t("backoffice.tools_incidents"), str(len(cur.tools)), str(len(prev.tools))],
    ]
    out: list[Table] = [
        (
            t("backoffice.title"),
            [t("report.figure"), t("report.this_month"), t("report.previous_month")],
            overview,
        )
    ]
    out.append(
        (
            t("backoffice.materials"),
            [
                t("column.code"),
                t("column.material"),
                t("report.qty"),
                t("column.measure"),
                t("report.amount"),
            ],
            [
                [Said(x.code), Said(x.name), format_qty(x.used), Said(x.unit), money(x.value("used"))]
                for x in cur.materials
            ],
        )
    )
    out.append(
        (
            t("backoffice.tools"),
            [
                t("column.code"),
                t("column.tool"),
                t("column.condition"),
                t("column.holder"),
                t("backoffice.returned"),
                t("report.note"),
            ],
            [
                [
                    Said(x.code),
                    Said(x.name),
                    t(f"tool.condition.{x.condition}"),
                    Said(x.holder),
                    x.returned_at.astimezone(tz).strftime("%Y-%m-%d %H:%M"),
                    Said(x.note),
                ]
                for x in cur.tools
            ],
        )
    )
    return out

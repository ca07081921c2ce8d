"""The figures of the month report's back-office section (company text, part 3; reports/
backoffice.py shows them): work orders opened and finished,
the share arriving and finishing within their limits, labour hours, materials used by value, and
tools that came back damaged or were lost.

A limit counts in the month it fell due, once it can be judged: the order met it, missed it, or
the limit has passed (an order cancelled before its limit is not counted). Materials are valued at
their unit price at the month's end, as in the stock report.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, or_, select
from sqlmodel import Session, col
from sqlmodel import select as select_rows

from liyuan_tui.domain.workshop import Tool, ToolLoan, WorkOrder

from ..tables import table
from .stock import StockLine, stock_lines


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


def back_office_figures(s: Session, start: datetime, end: datetime, now: datetime) -> BackOffice:
    bo = BackOffice()
    o = table(WorkOrder).c
    bo.opened = s.execute(select(func.count()).where(o.created_at >= start, o.created_at < end)).scalar_one()
    bo.cancelled = s.execute(
        select(func.count()).where(o.cancelled_at >= start, o.cancelled_at < end)
    ).scalar_one()
    finished = s.execute(
        select(func.count(), func.sum(o.hours)).where(o.finished_at >= start, o.finished_at < end)
    ).one()
    bo.finished, bo.hours = int(finished[0] or 0), round(float(finished[1] or 0), 2)
    due = s.execute(
        select(o.arrive_due_at, o.arrived_at, o.finish_due_at, o.finished_at, o.cancelled_at).where(
            or_(o.arrive_due_at.between(start, end), o.finish_due_at.between(start, end))
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
        select_rows(Tool, ToolLoan)
        .join(ToolLoan, col(ToolLoan.tool_id) == Tool.id)
        .where(
            col(ToolLoan.returned_at) >= start,
            col(ToolLoan.returned_at) < end,
            col(ToolLoan.condition_back).in_(("damaged", "lost")),
        )
        .order_by(col(ToolLoan.returned_at))
    )
    bo.tools = [
        ToolIncident(tool.code, tool.name, loan.condition_back, loan.holder, _at(loan.returned_at), loan.note)
        for tool, loan in rows
    ]
    return bo


def _at(when: datetime | None) -> datetime:
    assert when is not None  # (the query asked for loans returned in the month)
    return when

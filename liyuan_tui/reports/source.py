"""What the reports read, and nothing more: a typed, read-only view of the store.

`Store` satisfies `ReportSource` as it is; a report is given one (never `Any`), so what a report
may ask is written here: who is reading, the clock, the zone and the procedures, the figures of
one read-only session (`store.figures`, where every query of the reports lives), a month's
written analysis, the open work orders and tools out, the duty log and the signed handovers for
the handover. None of it writes.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from datetime import datetime, tzinfo
from typing import Protocol

from liyuan_tui.domain.clock import Clock
from liyuan_tui.domain.desk_records import DutyNote, Handover
from liyuan_tui.domain.models import MonthAnalysis, Staff
from liyuan_tui.domain.procedures import Procedures
from liyuan_tui.store.figures import FigureReader
from liyuan_tui.store.orders import OrderView
from liyuan_tui.store.tools import ToolView


class Reader(Protocol):
    def me(self) -> Staff: ...


class FigureSource(Protocol):
    def reading(self) -> AbstractContextManager[FigureReader]: ...


class AnalysisSource(Protocol):
    def latest(self, month: str) -> MonthAnalysis | None: ...


class OrderSource(Protocol):
    def list_orders(
        self, *, mine: bool = ..., open_only: bool = ..., late: bool = ..., limit: int = ...
    ) -> list[OrderView]: ...


class ToolSource(Protocol):
    def list_tools(self, *, out: bool = ..., overdue: bool = ...) -> list[ToolView]: ...


class ShiftSource(Protocol):
    def notes(
        self, since: datetime, until: datetime | None = ..., estate: str | None = ...
    ) -> list[DutyNote]: ...

    def latest(self, estate: str | None = ...) -> Handover | None: ...

    def pending(self) -> list[Handover]: ...


class ReportSource(Protocol):
    @property
    def clock(self) -> Clock: ...

    @property
    def tz(self) -> tzinfo: ...

    @property
    def procedures(self) -> Procedures: ...

    @property
    def staff(self) -> Reader: ...

    @property
    def figures(self) -> FigureSource: ...

    @property
    def analyses(self) -> AnalysisSource: ...

    @property
    def orders(self) -> OrderSource: ...

    @property
    def tools(self) -> ToolSource: ...

    @property
    def shift(self) -> ShiftSource: ...

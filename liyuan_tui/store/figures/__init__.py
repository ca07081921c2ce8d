"""`store.figures`: what the reports are made of, read and aggregated in SQL — and only read.

    with store.figures.reading() as read:    # one read-only session: every figure of one snapshot
        rows = read.cube(window)             # the month's counts (month.py)

The reports (reports/) never see a session or a query: they ask a `FigureReader` for typed rows and
figures and do the rest in Python. The SQL lives here, one module a report: `month.py` (the month
report's aggregates), `quality.py` (its follow-up and repeat-repair section), `backoffice.py`
(its back-office section), `stock.py` (the materials ledger), `scorecard.py` (the staff scorecard),
`desk.py` (the desk's own records: receipts, incidents, visitors, training by kind, and the
scorecard's commendations and recommendations).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlmodel import Session, col, select

from liyuan_tui.domain.models import OPEN_STATUSES, Request

from . import month, scorecard
from .backoffice import BackOffice, ToolIncident, back_office_figures
from .desk import DeskFigures, PersonRecords, desk_figures, people_records
from .month import (
    MEDIAN,
    P90,
    QUARTER_HOUR,
    REPLY_BUCKET_EDGES,
    BucketRow,
    CubeRow,
    FeeRow,
    ListedRow,
    QuarterHourRow,
    RankRow,
    StaffCubeRow,
    Window,
)
from .quality import QualityFigures, Satisfaction, quality_figures
from .scorecard import ScoreCubeRow, StaffRow
from .stock import StockLine, stock_lines

if TYPE_CHECKING:
    from ..kernel import Kernel


class FigureReader:
    """One read-only session's figures (see the module's text); made by `Figures.reading()`."""

    def __init__(self, session: Session) -> None:
        self._s = session
        self.dialect = session.get_bind().dialect.name

    # --- the month report (month.py, quality.py, backoffice.py) -----------------------------------
    def cube(self, w: Window) -> list[CubeRow]:
        return month.cube(self._s, w)

    def staff_cube(self, w: Window) -> list[StaffCubeRow]:
        return month.staff_cube(self._s, w)

    def quarter_hours(self, w: Window) -> list[QuarterHourRow]:
        return month.quarter_hours(self._s, w, self.dialect)

    def reply_distribution(self, w: Window) -> list[BucketRow]:
        return month.reply_distribution(self._s, w, self.dialect)

    def reply_ranks(self, w: Window) -> list[RankRow]:
        return month.reply_ranks(self._s, w, self.dialect)

    def listed(self, w: Window) -> list[ListedRow]:
        return month.listed(self._s, w, self.dialect)

    def fees(self, w: Window) -> list[FeeRow]:
        return month.fees(self._s, w)

    def staff_names(self) -> dict[str, str]:
        return month.staff_names(self._s)

    def estates_in(self, w: Window) -> list[str]:
        return month.estates_in(self._s, w)

    def quality(self, w: Window, category_keys: list[str], repair_categories: list[str]) -> QualityFigures:
        return quality_figures(self._s, w, category_keys, repair_categories)

    def back_office(self, start: datetime, end: datetime, now: datetime) -> BackOffice:
        return back_office_figures(self._s, start, end, now)

    def desk(self, w: Window, first: date, last: date) -> DeskFigures:
        """The desk's own records (desk.py); `first`..`last`: the month's local days."""
        return desk_figures(self._s, w, first, last)

    # --- the stock report (stock.py) ---------------------------------------------------------------
    def stock_lines(self, start: datetime, end: datetime) -> list[StockLine]:
        return stock_lines(self._s, start, end)

    # --- the staff scorecard (scorecard.py) ----------------------------------------------------------
    def score_cube(self, w: Window) -> list[ScoreCubeRow]:
        return scorecard.score_cube(self._s, w)

    def satisfaction(self, w: Window) -> dict[str, tuple[int, int]]:
        return scorecard.satisfaction(self._s, w)

    def followups_made(self, w: Window) -> dict[str, int]:
        return scorecard.followups_made(self._s, w)

    def repeats(self, w: Window) -> int:
        return scorecard.repeats(self._s, w)

    def repeat_repairs_by_staff(self, w: Window) -> dict[str, int]:
        return scorecard.repeat_repairs_by_staff(self._s, w)

    def work_order_figures(self, w: Window) -> dict[str, tuple[int, int]]:
        return scorecard.work_order_figures(self._s, w)

    def training_hours(self, first: date, after: date) -> dict[str, float]:
        return scorecard.training_hours(self._s, first, after)

    def assessments(self, month_text: str) -> dict[str, int]:
        return scorecard.assessments(self._s, month_text)

    def staff_list(self) -> list[StaffRow]:
        return scorecard.staff_list(self._s)

    def people_records(
        self, start: datetime, end: datetime, first: date, last: date
    ) -> dict[str, PersonRecords]:
        """Each person's commendations and recommendations in [start, end), training by kind in
        first..last (desk.py)."""
        return people_records(self._s, start, end, first, last)

    # --- the shift handover ---------------------------------------------------------------------------
    def received_since(self, since: datetime, estate: str) -> list[Request]:
        """The estate's requests received since `since`, oldest first."""
        stmt = (
            select(Request)
            .where(Request.received_at >= since, Request.estate == estate)
            .order_by(col(Request.received_at))
        )
        return list(self._s.exec(stmt))

    def open_at(self, estate: str) -> list[Request]:
        """The estate's open requests."""
        stmt = select(Request).where(col(Request.status).in_(OPEN_STATUSES), Request.estate == estate)
        return list(self._s.exec(stmt))


class Figures:
    """The store's area for the reports: a read-only session's `FigureReader`."""

    def __init__(self, kernel: Kernel) -> None:
        self.k = kernel

    @contextmanager
    def reading(self) -> Iterator[FigureReader]:
        with self.k.read() as s:
            yield FigureReader(s)


__all__ = [
    "MEDIAN",
    "P90",
    "QUARTER_HOUR",
    "REPLY_BUCKET_EDGES",
    "BackOffice",
    "BucketRow",
    "CubeRow",
    "DeskFigures",
    "FeeRow",
    "FigureReader",
    "Figures",
    "ListedRow",
    "PersonRecords",
    "QualityFigures",
    "QuarterHourRow",
    "RankRow",
    "Satisfaction",
    "ScoreCubeRow",
    "StaffCubeRow",
    "StaffRow",
    "StockLine",
    "ToolIncident",
    "Window",
]

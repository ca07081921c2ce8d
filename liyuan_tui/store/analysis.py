"""The supervisor's own written analysis of a month (4.10 asks for statistics, analysis and a
summary): the report keeps its automatic facts and adds this text, with who wrote it and when.
Every version stays on record; the newest is the month's."""

from __future__ import annotations

import re

from sqlmodel import col, select

from liyuan_tui.domain import validation as check
from liyuan_tui.domain.errors import PermissionDenied, ValidationError
from liyuan_tui.domain.events import EventKind
from liyuan_tui.domain.models import MonthAnalysis
from liyuan_tui.domain.permissions import Action, allowed

from .kernel import Kernel

_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


class Analyses:
    """write, latest (supervisors and the manager, who see the month reports)."""

    def __init__(self, kernel: Kernel) -> None:
        self.k = kernel

    def write(self, month: str, text: str) -> MonthAnalysis:
        """The month's analysis as written now (an empty text withdraws it; the old one stays on record)."""
        month = _month(month)
        text = check.analysis(text)
        with self.k.write(Action.REPORT) as tx:
            row = MonthAnalysis(month=month, text=text, written_by=tx.me.login, written_at=tx.now)
            tx.add(row)
            tx.s.flush()
            tx.record(None, EventKind.ANALYSIS_WRITTEN, {"month": month, "chars": len(text)})
            return row

    def latest(self, month: str) -> MonthAnalysis | None:
        """The newest analysis of the month (None if nobody wrote one, or it was withdrawn)."""
        month = _month(month)
        with self.k.read() as s:
            me = self.k.actor(s)
            if not allowed(me.role, Action.REPORT):
                raise PermissionDenied("error.not_allowed", role=me.role, action=str(Action.REPORT))
            row = s.exec(
                select(MonthAnalysis)
                .where(MonthAnalysis.month == month)
                .order_by(col(MonthAnalysis.id).desc())
            ).first()
        return row if row is not None and row.text else None


def _month(value: str) -> str:
    v = (value or "").strip()
    if not _MONTH.match(v):
        raise ValidationError("error.month_malformed", "month", value=value)
    return v

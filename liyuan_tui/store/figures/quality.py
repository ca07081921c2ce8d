"""The figures of the month report's quality section (提高上门服务质量): follow-up calls made and
owed, how many reached the resident, satisfaction by category, how many problems were really
solved, and repeat repairs. Aggregates in SQL over one month (docs/report.md says what each figure
counts); reports/quality.py shows them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, case, func, select, true
from sqlalchemy.orm import Session

from liyuan_tui.domain.models import Request
from liyuan_tui.domain.records import FollowUp

from ..repeats import counts_as_repeat
from ..tables import table
from .month import Window

R = table(Request).c
F = table(FollowUp).c


def ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@dataclass(frozen=True)
class Satisfaction:
    scored: int = 0  # calls that gave a score
    total: int = 0  # the scores added up

    @property
    def mean(self) -> float | None:
        return round(self.total / self.scored, 3) if self.scored else None


@dataclass
class QualityFigures:
    calls: int = 0  # follow-up calls made in the month
    reached: int = 0  # … that reached the resident (a follow-up done)
    due: int = 0  # follow-ups that fell due in the month
    due_done: int = 0  # … that have been done (the resident reached)
    due_on_time: int = 0  # … done by the time they were due
    still_owed: int = 0  # … not done yet
    satisfaction: Satisfaction = field(default_factory=Satisfaction)
    by_category: dict[str, Satisfaction] = field(default_factory=dict)
    solved_asked: int = 0  # reached calls that asked whether it is really solved
    solved: int = 0  # … and heard yes
    repairs: int = 0  # repairs received in the month (requests of a category with kinds of fault)
    repeats: int = 0  # … that repeat an earlier one (二次维修)

    @property
    def reach_rate(self) -> float | None:
        return ratio(self.reached, self.calls)

    @property
    def solved_share(self) -> float | None:
        return ratio(self.solved, self.solved_asked)

    @property
    def repeat_rate(self) -> float | None:
        return ratio(self.repeats, self.repairs)


def _in(column: Any, w: Window) -> Any:
    return and_(column >= w.start, column < w.end)


def _of_estate(w: Window) -> Any:
    """The month report of one estate counts its requests' calls and repairs only."""
    return R.estate == w.estate if w.estate is not None else true()


def _count(cond: Any) -> Any:
    return func.coalesce(func.sum(case((cond, 1), else_=0)), 0)


def quality_figures(
    s: Session, w: Window, category_keys: Iterable[str], repair_categories: Iterable[str]
) -> QualityFigures:
    """The month's figures; satisfaction by category in the procedures' order (A medical … G other)."""
    fig = QualityFigures()
    calls = (
        select(
            R.category,
            func.count().label("n"),
            _count(F.reached == true()).label("reached"),
            func.count(F.score).label("scored"),
            func.coalesce(func.sum(F.score), 0).label("total"),
            _count(and_(F.reached == true(), F.solved.is_not(None))).label("asked"),
            _count(and_(F.reached == true(), F.solved == true())).label("solved"),
        )
        .select_from(table(FollowUp).join(table(Request), F.request_id == R.id))
        .where(_in(F.at, w), _of_estate(w))
        .group_by(R.category)
    )
    for r in s.execute(calls):
        fig.calls += r.n
        fig.reached += int(r.reached)
        fig.solved_asked += int(r.asked)
        fig.solved += int(r.solved)
        if r.scored:
            fig.by_category[r.category or "none"] = Satisfaction(int(r.scored), int(r.total))
    order = {k: i for i, k in enumerate(category_keys)}
    fig.by_category = dict(
        sorted(fig.by_category.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0]))
    )
    fig.satisfaction = Satisfaction(
        sum(x.scored for x in fig.by_category.values()), sum(x.total for x in fig.by_category.values())
    )
    done = s.execute(
        select(func.count(), _count(F.at <= F.due_at))
        .select_from(table(FollowUp).join(table(Request), F.request_id == R.id))
        .where(F.reached == true(), _in(F.due_at, w), _of_estate(w))
    ).one()
    fig.due_done, fig.due_on_time = int(done[0]), int(done[1])
    # (set only while a request is closed: its index finds them)
    fig.still_owed = (
        s.execute(select(func.count()).where(_in(R.followup_due_at, w), _of_estate(w))).scalar() or 0
    )
    fig.due = fig.due_done + fig.still_owed
    keys = set(repair_categories)
    # By category, then the repairs' rows kept: the month's range on received_at finds the rows
    # (a condition on the category would make SQLite read every repair ever logged instead).
    month_calls = (_in(R.received_at, w), R.status != "cancelled", _of_estate(w))
    for category, n in s.execute(select(R.category, func.count()).where(*month_calls).group_by(R.category)):
        if category in keys:
            fig.repairs += int(n)
    # The repeats: only the calls linked to an earlier one meet it, through the index on ref. (An
    # outer join of every call made PostgreSQL hash the whole history: half a second a month on
    # 1,000,000 requests, against a few milliseconds.)
    earlier = table(Request).alias("earlier")
    for category, repeats in s.execute(
        select(R.category, func.count())
        .select_from(table(Request).join(earlier, earlier.c.ref == R.repeat_of))
        .where(*month_calls, R.repeat_of.is_not(None), counts_as_repeat(R, earlier.c))
        .group_by(R.category)
    ):
        if category in keys:
            fig.repeats += int(repeats)
    return fig

"""The SQL behind the staff scorecard (考核, reports/scorecard.py adds it up): one month's requests
by who logged, replied to and escalated them, follow-up scores by the holder of the request called
about, calls made, repeat repairs by whose work did not hold, work orders finished by technician,
training hours, assessments and the staff list. Reply times and shares are the month report's own
(`month.conditions`, `month.reply_ranks`): the scorecard and the month report never disagree."""

from __future__ import annotations

from datetime import date
from typing import Any, NamedTuple

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import Session
from sqlmodel import col

from liyuan_tui.domain.models import Request, Staff
from liyuan_tui.domain.records import Assessment, FollowUp, Training
from liyuan_tui.domain.work_orders import ON_SITE_ROLES

from ..households import work_order_table
from ..repeats import counts_as_repeat
from ..tables import table
from .month import Window, conditions

R = table(Request).c


class ScoreCubeRow(NamedTuple):
    created_by: str | None
    replied_by: str | None
    escalated_by: str | None
    n: int
    replied: int | None
    within: int | None
    due: int | None
    late: int | None
    escalated: int | None
    unreplied_late: int | None  # logged by created_by, past its deadline, no reply yet


class StaffRow(NamedTuple):
    login: str
    name: str
    role: str
    active: bool


def flag(cond: Any) -> Any:
    return func.sum(case((cond, 1), else_=0))


def _in(column: Any, w: Window) -> Any:
    return and_(column >= w.start, column < w.end)


def holder(table: Any) -> Any:
    """Whose a request is: the one holding it, else the one who logged it."""
    return func.coalesce(table.assignee, table.created_by)


def score_cube(s: Session, w: Window) -> list[ScoreCubeRow]:
    """The month's requests (not cancelled: voided ones are left out, as in the month report) by
    who logged, replied to and escalated them; and what each logged that is past its deadline
    with no reply (a person's share in time is out of their replies and these)."""
    k = conditions(w)
    stmt = (
        select(
            R.created_by,
            R.replied_by,
            R.escalated_by,
            func.count().label("n"),
            flag(k["replied"]).label("replied"),
            flag(k["within"]).label("within"),
            flag(k["due"]).label("due"),
            flag(k["late"]).label("late"),
            flag(R.escalated_at.is_not(None)).label("escalated"),
            flag(k["unreplied_late"]).label("unreplied_late"),
        )
        .where(k["in_month"])
        .group_by(R.created_by, R.replied_by, R.escalated_by)
    )
    return [ScoreCubeRow._make(r) for r in s.execute(stmt)]


def satisfaction(s: Session, w: Window) -> dict[str, tuple[int, int]]:
    """Scores of the month's follow-up calls, by the holder of the request called about:
    login → (calls with a score, the scores added up)."""
    F = table(FollowUp).c
    stmt = (
        select(holder(R).label("login"), func.count(F.score), func.coalesce(func.sum(F.score), 0))
        .select_from(table(FollowUp).join(table(Request), F.request_id == R.id))
        .where(_in(F.at, w), F.score.is_not(None))
        .group_by(holder(R))
    )
    return {str(login): (int(n), int(total)) for login, n, total in s.execute(stmt)}


def followups_made(s: Session, w: Window) -> dict[str, int]:
    """Follow-up calls made in the month, by who made them."""
    stmt = select(col(FollowUp.by), func.count()).where(_in(FollowUp.at, w)).group_by(col(FollowUp.by))
    return {str(login): int(n) for login, n in s.execute(stmt)}


def repeats(s: Session, w: Window) -> int:
    """Repeat repairs received in the month (not cancelled): linked to an earlier repair that had
    been closed before this call came in (store/repeats.py, counts_as_repeat)."""
    # Here and below an inner join: only the month's calls linked to an earlier one meet it, through
    # the index on ref (12-14 ms a month over 1,000,000 requests on PostgreSQL, where an outer join
    # hashed the whole history: store/figures/quality.py, tests/bench/test_postgres_bench.py).
    e = table(Request).alias("earlier")
    stmt = (
        select(func.count())
        .select_from(table(Request).join(e, e.c.ref == R.repeat_of))
        .where(_in(R.received_at, w), R.status != "cancelled", counts_as_repeat(R, e.c))
    )
    return int(s.execute(stmt).scalar() or 0)


def repeat_repairs_by_staff(s: Session, w: Window) -> dict[str, int]:
    """Repeat repairs received in the month, counted against whoever did the earlier repair: the
    technician of the earlier request's last finished work order, else the earlier request's
    holder when they work on site (a technician, a department's staff). Never the desk that
    logged either call: a repeat nobody is known to have repaired is the team's only."""
    e = table(Request).alias("earlier")
    on_site = (
        select(col(Staff.login))
        .where(col(Staff.login) == holder(e.c), col(Staff.role).in_(ON_SITE_ROLES))
        .scalar_subquery()
    )
    who: Any = on_site
    wo = work_order_table(s)
    if wo is not None:
        technician = (
            select(wo.c.technician)
            .where(wo.c.request_id == e.c.id, wo.c.state == "done", wo.c.technician.is_not(None))
            .order_by(wo.c.finished_at.desc(), wo.c.id.desc())
            .limit(1)
            .scalar_subquery()
        )
        who = func.coalesce(technician, on_site)
    stmt = (
        select(who.label("login"), func.count())
        .select_from(table(Request).join(e, e.c.ref == R.repeat_of))
        .where(_in(R.received_at, w), R.status != "cancelled", counts_as_repeat(R, e.c))
        .group_by(who)
    )
    return {str(login): int(n) for login, n in s.execute(stmt) if login}


def work_order_figures(s: Session, w: Window) -> dict[str, tuple[int, int]]:
    """Work orders finished in the month by each technician, and how many of them by their finish
    time limit (an order without a limit counts as on time): login → (finished, on time). None
    before this database has work orders (issue 13)."""
    wo = work_order_table(s)
    if wo is None:
        return {}
    c = wo.c
    on_time = or_(c.finish_due_at.is_(None), c.finished_at <= c.finish_due_at)
    stmt = (
        select(c.technician, func.count(), flag(on_time))
        .where(c.state == "done", _in(c.finished_at, w), c.technician.is_not(None))
        .group_by(c.technician)
    )
    return {str(login): (int(n), int(ok or 0)) for login, n, ok in s.execute(stmt)}


def training_hours(s: Session, first: date, after: date) -> dict[str, float]:
    """Hours of the courses dated from `first` up to (not including) `after`, by login."""
    stmt = (
        select(col(Training.login), func.coalesce(func.sum(Training.hours), 0.0))
        .where(col(Training.day) >= first, col(Training.day) < after)
        .group_by(col(Training.login))
    )
    return {str(login): float(h or 0) for login, h in s.execute(stmt)}


def assessments(s: Session, month: str) -> dict[str, int]:
    """The month's assessment scores, by login."""
    stmt = select(col(Assessment.login), col(Assessment.score)).where(col(Assessment.month) == month)
    return {str(login): int(score) for login, score in s.execute(stmt)}


def staff_list(s: Session) -> list[StaffRow]:
    stmt = select(col(Staff.login), col(Staff.name), col(Staff.role), col(Staff.active))
    return [StaffRow._make(r) for r in s.execute(stmt)]

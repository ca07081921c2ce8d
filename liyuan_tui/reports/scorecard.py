"""The staff scorecard (考核): per staff member and for the whole team, one month's figures —
requests taken, reply times and the share replied in time, overdue, escalations, work orders
finished and on time, satisfaction of the follow-up calls on their requests, repeat repairs on
their work — and the team's figures of the month before. docs/report.md defines each figure.

Reply times and shares are the month report's own (month_queries): the scorecard and the month
report never disagree about the same month.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, datetime, tzinfo
from typing import Any

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import Session
from sqlmodel import col

from liyuan_tui.domain.errors import PermissionDenied
from liyuan_tui.domain.models import ROLES, Request, Staff
from liyuan_tui.domain.permissions import Action, allowed
from liyuan_tui.domain.records import Assessment, FollowUp, Training
from liyuan_tui.domain.work_orders import ON_SITE_ROLES

from liyuan_tui.store.households import work_order_table
from liyuan_tui.store.ladder import SYSTEM
from liyuan_tui.store.repeats import counts_as_repeat

from . import month_queries as q
from .month import Month, reply_percentiles

R = Request.__table__.c


@dataclass(frozen=True)
class ScoreFigures:
    """One person's month, or the team's."""

    requests: int = 0  # requests taken (logged), not cancelled
    replied: int = 0  # replies given
    within: int = 0  # … within the category's limit
    due: int = 0  # what the share in time is out of (a person: replies + unreplied overdue; the team: as the month report)
    median_reply_seconds: float | None = None
    overdue: int = 0
    escalations: int = 0
    orders_finished: int = 0
    orders_on_time: int = 0
    scored: int = 0  # follow-up calls with a score on their requests
    score_total: int = 0
    repeat_repairs: int = 0
    followups_made: int = 0  # calls they made themselves

    @property
    def within_limit_share(self) -> float | None:
        return self.within / self.due if self.due else None

    @property
    def orders_on_time_share(self) -> float | None:
        return self.orders_on_time / self.orders_finished if self.orders_finished else None

    @property
    def satisfaction_mean(self) -> float | None:
        return round(self.score_total / self.scored, 3) if self.scored else None


@dataclass(frozen=True)
class StaffScore:
    login: str
    name: str
    role: str
    active: bool
    figures: ScoreFigures
    assessment_score: int | None = None  # the month's assessment (staff assess)
    training_hours: float = 0.0  # courses dated in the month


@dataclass
class Scorecard:
    month: Month
    staff: list[StaffScore]
    team: ScoreFigures
    previous: ScoreFigures
    generated_at: datetime
    tz: tzinfo
    previous_month: Month = field(init=False)

    def __post_init__(self) -> None:
        self.previous_month = self.month.previous()


def scorecard(store: Any, month: Month | str, *, now: datetime | None = None) -> Scorecard:
    """The month's scorecard (supervisors and the manager, like the month report)."""
    month = Month.parse(month) if isinstance(month, str) else month
    me = store.staff.me()
    if not allowed(me.role, Action.REPORT):
        raise PermissionDenied("error.not_allowed", role=me.role, action=str(Action.REPORT))
    now = now or store.clock.now()
    with store.reading() as s:
        dialect = s.get_bind().dialect.name
        people, team = _month(s, month, store.tz, now, dialect)
        _, previous = _month(s, month.previous(), store.tz, now, dialect)
        staff = [tuple(r) for r in s.execute(select(Staff.login, Staff.name, Staff.role, Staff.active))]
        assessed = dict(
            s.execute(select(Assessment.login, Assessment.score).where(Assessment.month == str(month))).all()
        )
        hours = _training_hours(s, month)
    rank = {r: i for i, r in enumerate(ROLES)}
    # Everyone on the staff list who is active or did something this month, and anyone else the
    # month's records name (a logbook import's handler who never had a login); not the system.
    known = {login for login, *_ in staff}
    staff += [(login, login, "", False) for login in sorted(set(people) - known - {SYSTEM})]
    rows = [
        StaffScore(
            login,
            name,
            role,
            active,
            people.get(login, ScoreFigures()),
            assessed.get(login),
            hours.get(login, 0.0),
        )
        for login, name, role, active in staff
        if active or login in people or login in assessed or login in hours
    ]
    rows.sort(key=lambda x: (rank.get(x.role, len(rank)), x.login))
    return Scorecard(month, rows, team, previous, now, store.tz)


def _month(
    s: Session, month: Month, tz: tzinfo, now: datetime, dialect: str
) -> tuple[dict[str, ScoreFigures], ScoreFigures]:
    w = q.Window(month.start(tz), month.end(tz), now)
    k = q.conditions(w)
    counted = k["in_month"]  # voided requests left out, as in the month report
    per: dict[str, Counter] = defaultdict(Counter)
    team = Counter()
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
        .where(counted)
        .group_by(R.created_by, R.replied_by, R.escalated_by)
    )
    for r in s.execute(stmt):
        per[r.created_by]["requests"] += r.n
        per[r.created_by]["overdue"] += int(r.late or 0)
        per[r.created_by]["unreplied_late"] += int(r.unreplied_late or 0)
        if r.replied_by:
            per[r.replied_by]["replied"] += int(r.replied or 0)
            per[r.replied_by]["within"] += int(r.within or 0)
        if r.escalated_by:
            per[r.escalated_by]["escalations"] += int(r.escalated or 0)
        for name, value in (
            ("requests", r.n),
            ("replied", r.replied),
            ("within", r.within),
            ("due", r.due),
            ("overdue", r.late),
            ("escalations", r.escalated),
        ):
            team[name] += int(value or 0)
    for login, (n, total) in _satisfaction(s, w).items():
        per[login]["scored"] += n
        per[login]["score_total"] += total
        team["scored"] += n
        team["score_total"] += total
    for login, n in s.execute(
        select(FollowUp.by, func.count()).where(_in(FollowUp.at, w)).group_by(FollowUp.by)
    ):
        per[login]["followups_made"] += n
        team["followups_made"] += n
    for login, n in repeat_repairs_by_staff(s, w).items():
        per[login]["repeat_repairs"] += n
    team["repeat_repairs"] = _repeats(s, w)
    orders = work_order_figures(s, w)
    for login, (finished, on_time) in orders.items():
        per[login].update(orders_finished=finished, orders_on_time=on_time)
        team.update(orders_finished=finished, orders_on_time=on_time)
    medians = {key: m for key, (m, _p90) in reply_percentiles(q.reply_ranks(s, w, dialect)).items()}
    people = {
        # A person's share in time is out of their replies and the requests they logged that are
        # past their deadline with no reply: "100% in time" beside "3 overdue" cannot happen.
        login: _figures(c, due=c["replied"] + c["unreplied_late"], median=medians.get(("staff", login)))
        for login, c in per.items()
        if login
    }
    return people, _figures(team, due=team["due"], median=medians.get(("all", "")))


def _figures(c: Counter, *, due: int, median: float | None) -> ScoreFigures:
    names = (
        "requests",
        "replied",
        "within",
        "overdue",
        "escalations",
        "orders_finished",
        "orders_on_time",
        "scored",
        "score_total",
        "repeat_repairs",
        "followups_made",
    )
    return replace(ScoreFigures(**{n: int(c[n]) for n in names}), due=due, median_reply_seconds=median)


def flag(cond: Any) -> Any:
    return func.sum(case((cond, 1), else_=0))


def _in(column: Any, w: q.Window) -> Any:
    return and_(column >= w.start, column < w.end)


def holder(table: Any) -> Any:
    """Whose a request is: the one holding it, else the one who logged it."""
    return func.coalesce(table.assignee, table.created_by)


def _satisfaction(s: Session, w: q.Window) -> dict[str, tuple[int, int]]:
    """Scores of the month's follow-up calls, by the holder of the request called about."""
    F = FollowUp.__table__.c
    stmt = (
        select(holder(R).label("login"), func.count(F.score), func.coalesce(func.sum(F.score), 0))
        .select_from(FollowUp.__table__.join(Request.__table__, F.request_id == R.id))
        .where(_in(F.at, w), F.score.is_not(None))
        .group_by(holder(R))
    )
    return {login: (int(n), int(total)) for login, n, total in s.execute(stmt)}


def _repeats(s: Session, w: q.Window) -> int:
    e = Request.__table__.alias("earlier")
    return (
        s.execute(
            select(func.count())
            .select_from(Request.__table__.join(e, e.c.ref == R.repeat_of))
            .where(_in(R.received_at, w), R.status != "cancelled", counts_as_repeat(R, e.c))
        ).scalar()
        or 0
    )


def repeat_repairs_by_staff(s: Session, w: q.Window) -> dict[str, int]:
    """Repeat repairs received in the month, counted against whoever did the earlier repair: the
    technician of the earlier request's last finished work order, else the earlier request's holder when they work on site (a technician, a
    department's staff). Never the desk that logged either call: a repeat nobody is known to
    have repaired is the team's only."""
    e = Request.__table__.alias("earlier")
    on_site = (
        select(Staff.login)
        .where(Staff.login == holder(e.c), col(Staff.role).in_(ON_SITE_ROLES))
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
        .select_from(Request.__table__.join(e, e.c.ref == R.repeat_of))
        .where(_in(R.received_at, w), R.status != "cancelled", counts_as_repeat(R, e.c))
        .group_by(who)
    )
    return {login: int(n) for login, n in s.execute(stmt) if login}


def work_order_figures(s: Session, w: q.Window) -> dict[str, tuple[int, int]]:
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
    return {login: (int(n), int(ok or 0)) for login, n, ok in s.execute(stmt)}


def _training_hours(s: Session, month: Month) -> dict[str, float]:
    first = date(month.year, month.month, 1)
    nxt = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    stmt = (
        select(Training.login, func.coalesce(func.sum(Training.hours), 0.0))
        .where(Training.day >= first, Training.day < nxt)
        .group_by(Training.login)
    )
    return {login: float(h) for login, h in s.execute(stmt)}

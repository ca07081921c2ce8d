"""The staff scorecard (考核): per staff member and for the whole team, one month's figures —
requests taken, reply times and the share replied in time, overdue, escalations, work orders
finished and on time, satisfaction of the follow-up calls on their requests, repeat repairs on
their work — and the team's figures of the month before. docs/report.md defines each figure.

Reply times and shares are the month report's own (store/figures/month.py): the scorecard and the
month report never disagree about the same month. The SQL is the store's (store/figures/scorecard.py).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta, tzinfo

from liyuan_tui.domain.errors import PermissionDenied
from liyuan_tui.domain.models import ROLES
from liyuan_tui.domain.permissions import Action, allowed
from liyuan_tui.store.figures import FigureReader, PersonRecords, Window
from liyuan_tui.store.ladder import SYSTEM

from .month import Month, reply_percentiles
from .scorecard_records import team_training
from .source import ReportSource


@dataclass(frozen=True)
class ScoreFigures:
    """One person's month, or the team's."""

    requests: int = 0  # requests taken (logged), not cancelled
    replied: int = 0  # replies given
    within: int = 0  # … within the category's limit
    # what the share in time is out of (a person: replies + unreplied overdue; the team: as the month report)
    due: int = 0
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
    records: PersonRecords = field(default_factory=PersonRecords)  # commendations, training by kind


@dataclass
class Scorecard:
    month: Month
    staff: list[StaffScore]
    team: ScoreFigures
    previous: ScoreFigures
    generated_at: datetime
    tz: tzinfo
    training_by_kind: dict[str, float] = field(default_factory=dict)  # the team's person-hours
    previous_month: Month = field(init=False)

    def __post_init__(self) -> None:
        self.previous_month = self.month.previous()


def scorecard(store: ReportSource, month: Month | str, *, now: datetime | None = None) -> Scorecard:
    """The month's scorecard (supervisors and the manager, like the month report)."""
    month = Month.parse(month) if isinstance(month, str) else month
    me = store.staff.me()
    if not allowed(me.role, Action.REPORT):
        raise PermissionDenied("error.not_allowed", role=me.role, action=str(Action.REPORT))
    now = now or store.clock.now()
    first = date(month.year, month.month, 1)
    after = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    with store.figures.reading() as read:
        people, team = _month(read, month, store.tz, now)
        _, previous = _month(read, month.previous(), store.tz, now)
        staff = [(r.login, r.name, r.role, r.active) for r in read.staff_list()]
        assessed = read.assessments(str(month))
        hours = read.training_hours(first, after)
        records = read.people_records(
            month.start(store.tz), month.end(store.tz), first, after - timedelta(days=1)
        )
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
            records.get(login, PersonRecords()),
        )
        for login, name, role, active in staff
        if active or login in people or login in assessed or login in hours or login in records
    ]
    rows.sort(key=lambda x: (rank.get(x.role, len(rank)), x.login))
    return Scorecard(month, rows, team, previous, now, store.tz, team_training(records))


def _month(
    read: FigureReader, month: Month, tz: tzinfo, now: datetime
) -> tuple[dict[str, ScoreFigures], ScoreFigures]:
    w = Window(month.start(tz), month.end(tz), now)
    per: dict[str, Counter[str]] = defaultdict(Counter)
    team: Counter[str] = Counter()
    for r in read.score_cube(w):
        per[r.created_by or ""]["requests"] += r.n
        per[r.created_by or ""]["overdue"] += int(r.late or 0)
        per[r.created_by or ""]["unreplied_late"] += int(r.unreplied_late or 0)
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
    for login, (n, total) in read.satisfaction(w).items():
        per[login]["scored"] += n
        per[login]["score_total"] += total
        team["scored"] += n
        team["score_total"] += total
    for login, n in read.followups_made(w).items():
        per[login]["followups_made"] += n
        team["followups_made"] += n
    for login, n in read.repeat_repairs_by_staff(w).items():
        per[login]["repeat_repairs"] += n
    team["repeat_repairs"] = read.repeats(w)
    for login, (finished, on_time) in read.work_order_figures(w).items():
        per[login].update(orders_finished=finished, orders_on_time=on_time)
        team.update(orders_finished=finished, orders_on_time=on_time)
    medians = {key: m for key, (m, _p90) in reply_percentiles(read.reply_ranks(w)).items()}
    people = {
        # A person's share in time is out of their replies and the requests they logged that are
        # past their deadline with no reply: "100% in time" beside "3 overdue" cannot happen.
        login: _figures(c, due=c["replied"] + c["unreplied_late"], median=medians.get(("staff", login)))
        for login, c in per.items()
        if login
    }
    return people, _figures(team, due=team["due"], median=medians.get(("all", "")))


def _figures(c: Counter[str], *, due: int, median: float | None) -> ScoreFigures:
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

"""The scorecard's records of people (issue 22): each person's commendations, rewards and penalties
and recommendations dated in the month (激励、人事推荐), and their training hours by kind (ethics,
image, skills: 职业道德和形象教育 beside skills)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from liyuan_tui.domain.desk_records import COMMENDATION_KINDS, TRAINING_KINDS, Commendation, Recommendation
from liyuan_tui.domain.records import Training


@dataclass
class PersonRecords:
    """One person's month: commendations by kind, recommendations, training hours by kind."""

    commendations: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COMMENDATION_KINDS, 0))
    recommendations: int = 0
    training_hours: dict[str, float] = field(default_factory=lambda: dict.fromkeys(TRAINING_KINDS, 0.0))

    @property
    def any(self) -> bool:
        return bool(
            any(self.commendations.values()) or self.recommendations or any(self.training_hours.values())
        )


def people_records(
    s: Session, start: datetime, end: datetime, first: date, last: date
) -> dict[str, PersonRecords]:
    """Everyone's records of the month: commendations and recommendations made in [start, end),
    courses dated in first..last (local days)."""
    out: dict[str, PersonRecords] = defaultdict(PersonRecords)
    C, R, T = Commendation.__table__.c, Recommendation.__table__.c, Training.__table__.c  # type: ignore[attr-defined]
    for login, kind, n in s.execute(
        select(C.login, C.kind, func.count()).where(C.at >= start, C.at < end).group_by(C.login, C.kind)
    ):
        out[login].commendations[kind] = int(n)
    for login, n in s.execute(
        select(R.login, func.count()).where(R.at >= start, R.at < end).group_by(R.login)
    ):
        out[login].recommendations = int(n)
    for login, kind, hours in s.execute(
        select(T.login, T.kind, func.coalesce(func.sum(T.hours), 0.0))
        .where(T.day >= first, T.day <= last)
        .group_by(T.login, T.kind)
    ):
        out[login].training_hours[kind] = round(float(hours), 2)
    return dict(out)


def team_training(people: dict[str, PersonRecords]) -> dict[str, float]:
    """The team's person-hours of training by kind."""
    total = dict.fromkeys(TRAINING_KINDS, 0.0)
    for p in people.values():
        for kind, hours in p.training_hours.items():
            total[kind] = round(total.get(kind, 0.0) + hours, 2)
    return total

"""The SQL behind the desk's own records in the reports (issue 22; docs/report.md defines them):
the month report's receipts charged, paid and unpaid (and by method), incidents beside calls,
visitors received and training hours by kind (`desk_figures`, shown by reports/desk_figures.py);
and the scorecard's records of people — each person's commendations, rewards and penalties,
recommendations and training hours by kind (`people_records`, shown by reports/scorecard_render.py)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, case, distinct, func, select
from sqlalchemy.orm import Session

from liyuan_tui.domain.desk_records import (
    COMMENDATION_KINDS,
    PAY_METHODS,
    TRAINING_KINDS,
    Commendation,
    Receipt,
    Reception,
    Recommendation,
)
from liyuan_tui.domain.models import Request
from liyuan_tui.domain.records import Training

from ..tables import table
from .month import Window, conditions

R = table(Request).c
P = table(Receipt).c
V = table(Reception).c
T = table(Training).c


@dataclass
class DeskFigures:
    charged: int = 0  # receipts of the month's requests (cancelled requests left out)
    charged_cents: int = 0
    paid: int = 0  # … paid by the time the report is made
    paid_cents: int = 0
    by_method: dict[str, tuple[int, int]] = field(default_factory=dict)  # method → (paid, fen)
    calls: int = 0  # the month's requests, cancelled ones left out
    incidents: int = 0  # distinct incidents among them (a call on its own is its own incident)
    linked: int = 0  # calls linked to another call's incident
    receptions: int = 0  # visitors received in the month
    receptions_with_request: int = 0  # … whose visit became a request
    training_hours: dict[str, float] = field(default_factory=dict)  # kind → person-hours
    training_sessions: dict[str, int] = field(default_factory=dict)  # kind → courses given

    @property
    def unpaid(self) -> int:
        return self.charged - self.paid

    @property
    def unpaid_cents(self) -> int:
        return self.charged_cents - self.paid_cents


def _flag(cond: Any, then: Any = 1) -> Any:
    return func.coalesce(func.sum(case((cond, then), else_=0)), 0)


def desk_figures(s: Session, w: Window, first: date, last: date) -> DeskFigures:
    """`first`..`last`: the month's local days (training is dated by day, not by instant)."""
    counted = and_(conditions(w)["in_month"], R.status != "cancelled")
    fig = DeskFigures()
    _receipts(s, w, counted, fig)
    calls = s.execute(
        select(
            func.count(),
            func.count(distinct(func.coalesce(R.incident, R.ref))),
            _flag(R.incident.is_not(None)),
        ).where(counted)
    ).one()
    fig.calls, fig.incidents, fig.linked = int(calls[0]), int(calls[1]), int(calls[2])
    seen = and_(V.at >= w.start, V.at < w.end)
    if w.estate is not None:
        seen = and_(seen, V.estate == w.estate)
    visits = s.execute(select(func.count(), _flag(V.ref.is_not(None))).where(seen)).one()
    fig.receptions, fig.receptions_with_request = int(visits[0]), int(visits[1])
    trained = dict.fromkeys(TRAINING_KINDS, (0.0, 0))
    for kind, hours, sessions in s.execute(
        select(
            T.kind,
            func.coalesce(func.sum(T.hours), 0.0),
            func.count(distinct(func.coalesce(T.session, T.id))),
        )
        .where(T.day >= first, T.day <= last)
        .group_by(T.kind)
    ):
        trained[str(kind)] = (round(float(hours), 2), int(sessions))
    fig.training_hours = {kind: h for kind, (h, _) in trained.items()}
    fig.training_sessions = {kind: n for kind, (_, n) in trained.items()}
    return fig


def _receipts(s: Session, w: Window, counted: Any, fig: DeskFigures) -> None:
    """Receipts of the month's requests: charged, paid by `w.now`, and paid by each method."""
    is_paid = and_(P.paid_at.is_not(None), P.paid_at <= w.now)
    rows = s.execute(
        select(
            P.method,
            func.count(),
            func.coalesce(func.sum(P.amount_cents), 0),
            _flag(is_paid),
            _flag(is_paid, P.amount_cents),
        )
        .select_from(table(Receipt).join(table(Request), P.request_id == R.id))
        .where(counted)
        .group_by(P.method)
    ).all()
    for method, n, cents, paid, paid_cents in rows:
        fig.charged += int(n)
        fig.charged_cents += int(cents)
        fig.paid += int(paid)
        fig.paid_cents += int(paid_cents)
        if method and int(paid):
            fig.by_method[str(method)] = (int(paid), int(paid_cents))
    fig.by_method = {m: fig.by_method.get(m, (0, 0)) for m in PAY_METHODS} | {
        m: v for m, v in fig.by_method.items() if m not in PAY_METHODS
    }


# --- the scorecard's records of people ---------------------------------------------------------------


def _no_commendations() -> dict[str, int]:
    return dict.fromkeys(COMMENDATION_KINDS, 0)


def _no_training() -> dict[str, float]:
    return dict.fromkeys(TRAINING_KINDS, 0.0)


@dataclass
class PersonRecords:
    """One person's month: commendations by kind, recommendations, training hours by kind."""

    commendations: dict[str, int] = field(default_factory=_no_commendations)
    recommendations: int = 0
    training_hours: dict[str, float] = field(default_factory=_no_training)

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
    C, N = table(Commendation).c, table(Recommendation).c
    for login, kind, n in s.execute(
        select(C.login, C.kind, func.count()).where(C.at >= start, C.at < end).group_by(C.login, C.kind)
    ):
        out[str(login)].commendations[str(kind)] = int(n)
    for login, n in s.execute(
        select(N.login, func.count()).where(N.at >= start, N.at < end).group_by(N.login)
    ):
        out[str(login)].recommendations = int(n)
    for login, kind, hours in s.execute(
        select(T.login, T.kind, func.coalesce(func.sum(T.hours), 0.0))
        .where(T.day >= first, T.day <= last)
        .group_by(T.login, T.kind)
    ):
        out[str(login)].training_hours[str(kind)] = round(float(hours), 2)
    return dict(out)

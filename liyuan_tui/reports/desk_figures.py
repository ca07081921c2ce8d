"""The month report's figures of the desk's own records (issue 22; docs/report.md defines them):
receipts charged, paid and unpaid (and by method); incidents beside calls; visitors received; and
training hours by kind (ethics, image, skills)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import and_, case, distinct, func, select
from sqlalchemy.orm import Session

from liyuan_tui.domain.desk_records import PAY_METHODS, TRAINING_KINDS, Receipt, Reception
from liyuan_tui.domain.i18n import Translator
from liyuan_tui.domain.models import Request
from liyuan_tui.domain.records import Training

from . import month_queries as q

R = Request.__table__.c
P = Receipt.__table__.c


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


def desk_figures(s: Session, w: q.Window, first: date, last: date) -> DeskFigures:
    """`first`..`last`: the month's local days (training is dated by day, not by instant)."""
    k = q.conditions(w)
    counted = and_(k["in_month"], R.status != "cancelled")
    fig = DeskFigures()
    is_paid = and_(P.paid_at.is_not(None), P.paid_at <= w.now)
    rows = s.execute(
        select(
            P.method,
            func.count(),
            func.coalesce(func.sum(P.amount_cents), 0),
            _flag(is_paid),
            _flag(is_paid, P.amount_cents),
        )
        .select_from(Receipt.__table__.join(Request.__table__, P.request_id == R.id))
        .where(counted)
        .group_by(P.method)
    ).all()
    for method, n, cents, paid, paid_cents in rows:
        fig.charged += int(n)
        fig.charged_cents += int(cents)
        fig.paid += int(paid)
        fig.paid_cents += int(paid_cents)
        if method and int(paid):
            fig.by_method[method] = (int(paid), int(paid_cents))
    fig.by_method = {m: fig.by_method.get(m, (0, 0)) for m in PAY_METHODS} | {
        m: v for m, v in fig.by_method.items() if m not in PAY_METHODS
    }
    calls = s.execute(
        select(
            func.count(),
            func.count(distinct(func.coalesce(R.incident, R.ref))),
            _flag(R.incident.is_not(None)),
        ).where(counted)
    ).one()
    fig.calls, fig.incidents, fig.linked = int(calls[0]), int(calls[1]), int(calls[2])
    V = Reception.__table__.c
    seen = and_(V.at >= w.start, V.at < w.end)
    if w.estate is not None:
        seen = and_(seen, V.estate == w.estate)
    visits = s.execute(select(func.count(), _flag(V.ref.is_not(None))).where(seen)).one()
    fig.receptions, fig.receptions_with_request = int(visits[0]), int(visits[1])
    T = Training.__table__.c
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
        trained[kind] = (round(float(hours), 2), int(sessions))
    fig.training_hours = {kind: h for kind, (h, _) in trained.items()}
    fig.training_sessions = {kind: n for kind, (_, n) in trained.items()}
    return fig


def desk_dict(f: DeskFigures) -> dict[str, Any]:
    """The month report's JSON fields for the desk's records."""
    return {
        "calls": f.calls,
        "incidents": f.incidents,
        "linked_calls": f.linked,
        "receipts": {
            "charged": f.charged,
            "charged_amount": f.charged_cents / 100,
            "paid": f.paid,
            "paid_amount": f.paid_cents / 100,
            "unpaid": f.unpaid,
            "unpaid_amount": f.unpaid_cents / 100,
            "by_method": {m: {"count": n, "amount": c / 100} for m, (n, c) in f.by_method.items()},
        },
        "reception": {"total": f.receptions, "became_requests": f.receptions_with_request},
        "training": {
            kind: {"hours": f.training_hours.get(kind, 0.0), "sessions": f.training_sessions.get(kind, 0)}
            for kind in f.training_hours
        },
    }


Table = tuple[str, list[str], list[list[str]]]


def desk_tables(cur: DeskFigures, prev: DeskFigures, t: Translator) -> list[Table]:
    """One table, this month beside the month before: calls and incidents, receipts, visitors,
    training hours by kind."""

    def money(fen: int) -> str:
        return f"{fen / 100:.2f}"

    figures: list[tuple[str, Callable[[DeskFigures], str]]] = [
        (t("desk.report.calls"), lambda f: str(f.calls)),
        (t("desk.report.incidents"), lambda f: str(f.incidents)),
        (t("desk.report.linked"), lambda f: str(f.linked)),
        (t("desk.report.charged"), lambda f: str(f.charged)),
        (t("desk.report.charged_amount"), lambda f: money(f.charged_cents)),
        (t("desk.report.paid"), lambda f: str(f.paid)),
        (t("desk.report.paid_amount"), lambda f: money(f.paid_cents)),
        (t("desk.report.unpaid"), lambda f: str(f.unpaid)),
        (t("desk.report.unpaid_amount"), lambda f: money(f.unpaid_cents)),
    ]

    def by_method(m: str) -> Callable[[DeskFigures], str]:
        return lambda f: f"{f.by_method.get(m, (0, 0))[0]} / {money(f.by_method.get(m, (0, 0))[1])}"

    def hours(kind: str) -> Callable[[DeskFigures], str]:
        return lambda f: f"{f.training_hours.get(kind, 0.0):g}"

    for m in cur.by_method:
        figures.append((t("desk.report.paid_by", method=t(f"desk.method.{m}")), by_method(m)))
    figures += [
        (t("desk.report.receptions"), lambda f: str(f.receptions)),
        (t("desk.report.receptions_with_request"), lambda f: str(f.receptions_with_request)),
    ]
    for kind in cur.training_hours:
        figures.append((t("desk.report.training_hours", kind=t(f"desk.training_kind.{kind}")), hours(kind)))
    rows = [[label, shown(cur), shown(prev)] for label, shown in figures]
    head = [t("report.figure"), t("report.this_month"), t("report.previous_month")]
    return [(t("desk.report.title"), head, rows)]

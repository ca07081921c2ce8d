"""The month report's section on the desk's own records (issue 22; docs/report.md defines them) as
a dict and as a table: receipts charged, paid and unpaid (and by method); incidents beside calls;
visitors received; and training hours by kind (ethics, image, skills). The figures are the store's
(store/figures/desk.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from liyuan_tui.domain.i18n import Translator
from liyuan_tui.store.figures import DeskFigures


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

"""The staff scorecard as JSON (every figure), Markdown and CSV (UTF-8 with a BOM, for Excel), and
as the tables the scorecard screen shows. Pure: scorecard in, text out."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

from liyuan_tui.domain.i18n import Translator
from liyuan_tui.domain.safe_text import safe_json

from .month_render import BOM, local_iso
from .month_summary import format_change, format_duration, format_share, format_share_change, plain_number
from .scorecard import Scorecard, ScoreFigures, StaffScore
from .tables import Said, csv_rows, md_table

Table = tuple[str, list[str], list[list[str]]]


def figures_dict(f: ScoreFigures) -> dict[str, Any]:
    return {
        "requests": f.requests,
        "median_reply_seconds": f.median_reply_seconds,
        "within_limit_share": f.within_limit_share,
        "overdue": f.overdue,
        "escalations": f.escalations,
        "orders_finished": f.orders_finished,
        "orders_on_time_share": f.orders_on_time_share,
        "satisfaction_mean": f.satisfaction_mean,
        "repeat_repairs": f.repeat_repairs,
        "replied": f.replied,
        "within_limit": f.within,
        "orders_on_time": f.orders_on_time,
        "satisfaction_scored": f.scored,
        "followups_made": f.followups_made,
    }


def person_dict(p: StaffScore) -> dict[str, Any]:
    return {
        "login": p.login,
        "name": p.name,
        "role": p.role,
        "active": p.active,
        **figures_dict(p.figures),
        "assessment_score": p.assessment_score,
        "training_hours": p.training_hours,
        "training_hours_by_kind": p.records.training_hours,
        "commendations": p.records.commendations,
        "recommendations": p.records.recommendations,
    }


def scorecard_dict(card: Scorecard) -> dict[str, Any]:
    return {
        "month": str(card.month),
        "generated_at": local_iso(card.generated_at, card.tz),
        "staff": [person_dict(p) for p in card.staff],
        "team": {
            "month": str(card.month),
            **figures_dict(card.team),
            "training_hours_by_kind": card.training_by_kind,
        },
        "previous": {"month": str(card.previous_month), **figures_dict(card.previous)},
    }


def render_scorecard(card: Scorecard, fmt: str, t: Translator) -> Any:
    """The scorecard as text (md, csv, json) or, for xlsx, a workbook's bytes."""
    if fmt == "xlsx":
        from .xlsx import workbook

        title = t("scorecard.title", month=str(card.month))
        return workbook(title, [t("scorecard.definitions")], scorecard_tables(card, t, numeric=True))
    if fmt == "json":
        return safe_json(scorecard_dict(card), indent=2)  # names are data: no control sequence printed
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\r\n")
        # Every cell through csv_cell: a name like =HYPERLINK(…) is text to Excel, never a formula.
        w.writerow(csv_rows([[t("scorecard.title", month=str(card.month))]])[0])
        for title, header, rows in scorecard_tables(card, t, numeric=True):
            w.writerow([])
            w.writerows(csv_rows([[title], header]))
            w.writerows(csv_rows(rows))
        return BOM + buf.getvalue()
    out = [
        f"# {t('scorecard.title', month=str(card.month))}",
        "",
        t(
            "scorecard.generated",
            generated=(local_iso(card.generated_at, card.tz) or "")[:16].replace("T", " "),
        ),
    ]
    for title, header, rows in scorecard_tables(card, t):
        out += ["", f"## {title}", ""]
        out += md_table(header, rows) if rows else [t("report.none")]
    out += ["", t("scorecard.definitions")]
    return "\n".join(out) + "\n"


def scorecard_tables(card: Scorecard, t: Translator, numeric: bool = False) -> list[Table]:
    """The team beside the previous month, then one row per staff member."""

    def dur(x: float | None) -> str:
        return ("" if x is None else plain_number(x)) if numeric else format_duration(x, t)

    def pct(x: float | None) -> str:
        return ("" if x is None else f"{x:.4f}") if numeric else format_share(x)

    def mean(x: float | None) -> str:
        if x is None:
            return "" if numeric else "—"
        return plain_number(x) if numeric else f"{x:.2f}"

    def count(name: str) -> Callable[[ScoreFigures], str]:
        return lambda f: str(getattr(f, name))

    cur, prev = card.team, card.previous
    # (label, how it is shown, how the change is said), in the order
    figures: list[tuple[str, Callable[[ScoreFigures], str], Callable[[ScoreFigures, ScoreFigures], str]]] = [
        ("scorecard.requests", count("requests"), lambda a, b: format_change(a.requests, b.requests)),
        (
            "scorecard.median_reply",
            lambda f: dur(f.median_reply_seconds),
            lambda a, b: format_change(
                a.median_reply_seconds, b.median_reply_seconds, duration=None if numeric else t
            ),
        ),
        (
            "scorecard.within_share",
            lambda f: pct(f.within_limit_share),
            lambda a, b: format_share_change(a.within_limit_share, b.within_limit_share, t),
        ),
        ("scorecard.overdue", count("overdue"), lambda a, b: format_change(a.overdue, b.overdue)),
        (
            "scorecard.escalations",
            count("escalations"),
            lambda a, b: format_change(a.escalations, b.escalations),
        ),
        (
            "scorecard.orders_finished",
            count("orders_finished"),
            lambda a, b: format_change(a.orders_finished, b.orders_finished),
        ),
        (
            "scorecard.orders_on_time",
            lambda f: pct(f.orders_on_time_share),
            lambda a, b: format_share_change(a.orders_on_time_share, b.orders_on_time_share, t),
        ),
        (
            "scorecard.satisfaction",
            lambda f: mean(f.satisfaction_mean),
            lambda a, b: format_change(a.satisfaction_mean, b.satisfaction_mean),
        ),
        (
            "scorecard.repeat_repairs",
            count("repeat_repairs"),
            lambda a, b: format_change(a.repeat_repairs, b.repeat_repairs),
        ),
        (
            "scorecard.followups_made",
            count("followups_made"),
            lambda a, b: format_change(a.followups_made, b.followups_made),
        ),
    ]
    team = [[t(key), shown(cur), shown(prev), said(cur, prev)] for key, shown, said in figures]
    head = [t("report.figure"), t("report.this_month"), t("report.previous_month"), t("report.change")]
    listed = [p for p in card.staff if listed_in_tables(p)]

    def who(p: StaffScore) -> str:
        return Said(p.name if p.name == p.login else f"{p.name} ({p.login})")

    replies = [
        [
            who(p),
            str(p.figures.requests),
            dur(p.figures.median_reply_seconds),
            pct(p.figures.within_limit_share),
            str(p.figures.overdue),
            str(p.figures.escalations),
        ]
        for p in listed
    ]
    quality = [
        [
            who(p),
            str(p.figures.orders_finished),
            pct(p.figures.orders_on_time_share),
            mean(p.figures.satisfaction_mean),
            str(p.figures.repeat_repairs),
            str(p.figures.followups_made),
            "" if p.assessment_score is None else str(p.assessment_score),
            f"{p.training_hours:g}" if p.training_hours else "",
        ]
        for p in listed
    ]
    replies_head = [
        t("report.person"),
        t("scorecard.requests"),
        t("scorecard.median_reply"),
        t("scorecard.within_share"),
        t("scorecard.overdue"),
        t("scorecard.escalations"),
    ]
    quality_head = [
        t("report.person"),
        t("scorecard.orders_finished"),
        t("scorecard.orders_on_time"),
        t("scorecard.satisfaction"),
        t("scorecard.repeat_repairs"),
        t("scorecard.followups_made"),
        t("scorecard.assessment"),
        t("scorecard.training_hours"),
    ]
    return [
        (t("scorecard.team", previous=str(card.previous_month)), head, team),
        (t("scorecard.people_replies"), replies_head, replies),
        (t("scorecard.people_quality"), quality_head, quality),
        people_records_table(card, t, who),
    ]


def people_records_table(card: Scorecard, t: Translator, who: Callable[[StaffScore], str]) -> Table:
    """Commendations, rewards, penalties, recommendations and training hours by kind, for those
    with any this month."""
    kinds = list(card.training_by_kind) or ["ethics", "image", "skills"]
    head = [
        t("report.person"),
        t("desk.commendation.commendation"),
        t("desk.commendation.reward"),
        t("desk.commendation.penalty"),
        t("desk.scorecard.recommendations"),
    ] + [t("desk.report.training_hours", kind=t(f"desk.training_kind.{k}")) for k in kinds]

    def n(x: float | int) -> str:
        return f"{x:g}" if x else ""

    rows = [
        [who(p)]
        + [n(p.records.commendations.get(k, 0)) for k in ("commendation", "reward", "penalty")]
        + [n(p.records.recommendations)]
        + [n(p.records.training_hours.get(k, 0.0)) for k in kinds]
        for p in card.staff
        if p.records.any
    ]
    return (t("desk.scorecard.records"), head, rows)


def listed_in_tables(p: StaffScore) -> bool:
    """Who gets a line in the tables: whoever has a figure, an assessment or training this month,
    and every assistant (a month with nothing is worth seeing); JSON lists everyone."""
    f = p.figures
    busy = any(
        (
            f.requests,
            f.replied,
            f.overdue,
            f.escalations,
            f.orders_finished,
            f.scored,
            f.repeat_repairs,
            f.followups_made,
        )
    )
    return busy or p.assessment_score is not None or bool(p.training_hours) or p.role == "assistant"


__all__ = ["BOM", "render_scorecard", "scorecard_dict", "scorecard_tables"]

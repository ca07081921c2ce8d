"""The written summary of a month report: what stands out, in the user's language.

Every sentence comes from a Fact picked out of the figures (largest change, slowest category,
when the overdue ones cluster …); nothing is said that the figures do not show. `facts()` is
language-neutral (a screen may style them); `summary_lines()` turns them into text.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from liyuan_tui.domain.i18n import Translator

from .month import MonthFigures, MonthReport

OVERDUE_WINDOW_HOURS = 3  # the overdue cluster is the 3-hour stretch of the day with the most


@dataclass(frozen=True)
class Fact:
    key: str  # message key under "summary."
    params: dict[str, Any] = field(default_factory=dict)


def change(current: float | None, previous: float | None) -> tuple[float | None, float | None]:
    """(difference, relative change) against the previous month; relative is None from zero."""
    if current is None or previous is None:
        return None, None
    diff = current - previous
    return diff, (diff / previous if previous else None)


def facts(report: MonthReport) -> list[Fact]:
    cur, prev = report.current, report.previous
    month = str(cur.month)
    if cur.total == 0:
        return [Fact("empty", {"month": month, "previous": prev.total})]
    out = [Fact("total", {"month": month, "total": cur.total, "previous": prev.total})]
    if cur.confidential:  # said of the month's requests, right after them (not of the last sentence)
        out.append(Fact("confidential", {"count": cur.confidential}))
    if cur.reply.replied:
        out.append(
            Fact(
                "reply",
                {
                    "median": cur.reply.median,
                    "p90": cur.reply.p90,
                    "share": cur.reply.within_limit_share,
                    "previous_share": prev.reply.within_limit_share,
                },
            )
        )
    if cur.close.closed:
        out.append(
            Fact(
                "closed",
                {
                    "closed": cur.close.closed,
                    "resolved": cur.close.resolved,
                    "median": cur.close.median,
                    "p90": cur.close.p90,
                },
            )
        )
    out += _largest_change(cur, prev)
    out += _slowest_category(cur)
    out += _overdue_cluster(cur)
    if cur.escalated:
        out.append(
            Fact(
                "escalated",
                {"count": cur.escalated, "unacknowledged": cur.unacknowledged, "previous": prev.escalated},
            )
        )
    if cur.major:
        out.append(Fact("major", {"count": cur.major, "previous": prev.major}))
    if cur.handed_on:
        dept, count = next(iter(cur.handed_on.items()))  # sorted most first
        out.append(
            Fact("handed_on", {"total": sum(cur.handed_on.values()), "department": dept, "count": count})
        )
    if cur.fees_count:
        out.append(
            Fact(
                "fees",
                {
                    "count": cur.fees_count,
                    "amount": cur.fees_total_cents / 100,
                    "previous": prev.fees_total_cents / 100,
                },
            )
        )
    bo = cur.back_office
    if bo.opened or bo.finished:
        out.append(
            Fact(
                "back_office",
                {
                    "opened": bo.opened,
                    "finished": bo.finished,
                    "hours": bo.hours,
                    "share": bo.arrive_share,
                    "amount": bo.materials_value / 100,
                },
            )
        )
    out += _quality(cur)
    return out


def _quality(cur: MonthFigures) -> list[Fact]:
    """Follow-up calls (made, reached, satisfaction, owed) and repeat repairs, when there were any."""
    q, out = cur.quality, []
    if q.calls or q.still_owed:
        out.append(
            Fact(
                "followups",
                {
                    "calls": q.calls,
                    "reach": q.reach_rate,
                    "mean": q.satisfaction.mean,
                    "solved_share": q.solved_share,
                    "owed": q.still_owed,
                },
            )
        )
    if q.repeats:
        out.append(Fact("repeats", {"count": q.repeats, "repairs": q.repairs, "rate": q.repeat_rate}))
    return out


def _largest_change(cur: MonthFigures, prev: MonthFigures) -> list[Fact]:
    if prev.total == 0:
        return []
    diffs = [
        (cur.by_category.get(k, 0) - prev.by_category.get(k, 0), k)
        for k in dict.fromkeys(list(cur.by_category) + list(prev.by_category))
    ]
    diffs = [d for d in diffs if d[0]]
    if not diffs:
        return []
    _diff, key = max(diffs, key=lambda d: (abs(d[0]), d[0]))
    return [
        Fact(
            "largest_change",
            {
                "category": key,
                "previous": prev.by_category.get(key, 0),
                "current": cur.by_category.get(key, 0),
            },
        )
    ]


def _slowest_category(cur: MonthFigures) -> list[Fact]:
    """The category with the lowest share replied in time (then the longest 90th percentile)."""
    rated = [c for c in cur.categories if c.reply.due and c.reply.within_limit_share is not None]
    if not rated:
        return []
    worst = min(rated, key=lambda c: (c.reply.within_limit_share, -(c.reply.p90 or 0), c.key))
    if worst.reply.within_limit_share == 1:
        return [Fact("all_in_time", {})]
    if worst.reply.p90 is None:  # nobody in it was replied to: there is no reply time to quote
        return [Fact("slowest_category_unreplied", {"category": worst.key, "late": worst.late})]
    return [
        Fact(
            "slowest_category",
            {
                "category": worst.key,
                "share": worst.reply.within_limit_share,
                "p90": worst.reply.p90,
                "late": worst.late,
            },
        )
    ]


def _overdue_cluster(cur: MonthFigures) -> list[Fact]:
    if cur.late == 0:
        return [Fact("no_overdue", {})] if cur.reply.due else []
    late = [h.late for h in sorted(cur.by_hour, key=lambda h: h.hour)]
    span = OVERDUE_WINDOW_HOURS
    best = max(range(24), key=lambda h: (sum(late[(h + i) % 24] for i in range(span)), -h))
    in_window = sum(late[(best + i) % 24] for i in range(span))
    return [
        Fact(
            "overdue_cluster",
            {
                "count": cur.late,
                "start": best,
                "end": (best + span) % 24,
                "in_window": in_window,
                "share": in_window / cur.late,
            },
        )
    ]


# --- text -------------------------------------------------------------------------------------


def format_duration(seconds: float | None, t: Translator) -> str:
    if seconds is None:
        return "—"
    s = round(seconds)
    if s < 60:
        return t("report.secs", s=s)
    if s < 3600:
        return t("report.mins", m=s // 60, s=s % 60) if s % 60 else t("report.mins_only", m=s // 60)
    return t("report.hours", h=s // 3600, m=s % 3600 // 60)


def plain_number(x: float, signed: bool = False) -> str:
    """A number as Excel and people read it: no exponent, at most three decimals."""
    text = f"{x:+.3f}" if signed else f"{x:.3f}"
    return text.rstrip("0").rstrip(".")


def format_share_change(current: float | None, previous: float | None, t: Translator) -> str:
    diff, _ = change(current, previous)
    return "—" if diff is None else t("report.points", n=diff * 100)


def format_share(share: float | None) -> str:
    return "—" if share is None else f"{share * 100:.0f}%"


def format_change(
    current: float | None, previous: float | None, money: bool = False, duration: Translator | None = None
) -> str:
    """`+5 (+20%)`; money with two decimals; a duration (given its translator) in words."""
    diff, rel = change(current, previous)
    if diff is None:
        return "—"
    if not diff:
        return "0"
    if duration is not None:
        text = ("+" if diff > 0 else "-") + format_duration(abs(diff), duration)
    else:
        text = f"{diff:+.2f}" if money else plain_number(diff, signed=True)
    return text + (f" ({rel * 100:+.0f}%)" if rel is not None else "")


def summary_lines(report: MonthReport, t: Translator, category_name: Callable[[str], str]) -> list[str]:
    lines = []
    for fact in facts(report):
        p = dict(fact.params)
        for key in ("median", "p90"):
            if key in p:
                p[key] = format_duration(p[key], t)
        for key in ("share", "previous_share", "reach", "solved_share", "rate"):
            if key in p:
                p[key] = format_share(p[key])
        if "mean" in p:
            p["mean"] = "—" if p["mean"] is None else f"{p['mean']:.1f}"
        if "category" in p:
            p["category"] = category_name(p["category"])
        if fact.key == "total":
            p["change"] = format_change(p["total"], p["previous"])
        if fact.key in ("fees",):
            p["amount"] = f"{p['amount']:.2f}"
            p["previous"] = f"{p['previous']:.2f}"
        if fact.key == "back_office":
            p["amount"], p["hours"] = f"{p['amount']:.2f}", f"{p['hours']:g}"
        lines.append(t("summary." + fact.key, **p))
    return lines

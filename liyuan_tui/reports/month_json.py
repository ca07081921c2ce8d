"""A month report as a dict for JSON: every figure, this month and the last, their changes and the
supervisor's written analysis (times in the report's zone, ISO 8601 with the offset)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, tzinfo
from functools import lru_cache
from typing import Any

from liyuan_tui.domain.i18n import Translator

from .backoffice import back_office_dict
from .desk_figures import desk_dict
from .month import CloseStats, ListedRequest, MonthFigures, MonthReport, ReplyStats
from .month_summary import change, summary_lines
from .quality import quality_dict
from .tables import Namer


@lru_cache(maxsize=8192)
def _offset(tz: tzinfo, quarter: int) -> tuple[timedelta, str]:
    local = datetime.fromtimestamp(quarter * 900, UTC).astimezone(tz)
    return local.utcoffset() or timedelta(0), local.isoformat(timespec="seconds")[19:]


def local_iso(when: datetime | None, tz: tzinfo) -> str | None:
    """`when.astimezone(tz).isoformat(timespec="seconds")`, several times faster on long lists: the
    zone's offset is looked up once per UTC quarter hour (no zone changes offset in between)."""
    if when is None:
        return None
    off, suffix = _offset(tz, int(when.timestamp()) // 900)
    if when.tzinfo is not UTC:  # (the report's times are UTC already)
        when = when.astimezone(UTC)
    return (when + off).isoformat(timespec="seconds")[:19] + suffix


def _reply_dict(r: ReplyStats) -> dict[str, Any]:
    return {
        "replied": r.replied,
        "due": r.due,
        "within_limit": r.within,
        "within_limit_share": r.within_limit_share,
        "reply_seconds": {"median": r.median, "p90": r.p90},
    }


def _close_dict(c: CloseStats) -> dict[str, Any]:
    return {"closed": c.closed, "resolved": c.resolved, "close_seconds": {"median": c.median, "p90": c.p90}}


def _item_dict(x: ListedRequest, tz: tzinfo, kind: str) -> dict[str, Any]:
    """One request of a list, with the fields that list is about (confidential: no ref, unit, text)."""
    d: dict[str, Any] = {
        "ref": x.ref,
        "category": x.category,
        "confidential": x.confidential,
        "received_at": local_iso(x.received_at, tz),
        "status": x.status,
        "late_seconds": x.late_seconds,
    }
    if kind == "overdue":
        d.update(unit=x.unit, holder=x.holder)
    elif kind == "escalations":
        d.update(
            escalated_to=x.escalated_to,
            acknowledged_at=local_iso(x.acknowledged_at, tz),
            acknowledged_by=x.acknowledged_by,
        )
    else:
        d.update(unit=x.unit, outcome_kind=x.outcome_kind, outcome=x.outcome, handed_to=x.handed_to)
    return d


def figures_dict(f: MonthFigures, tz: tzinfo) -> dict[str, Any]:
    return {
        "month": str(f.month),
        "from": local_iso(f.start, tz),
        "until": local_iso(f.end, tz),
        "total": f.total,
        "by_category": f.by_category,
        "by_channel": f.by_channel,
        "by_status": f.by_status,
        "by_outcome": f.by_outcome,
        "handed_on": f.handed_on,
        "reply_seconds": {"median": f.reply.median, "p90": f.reply.p90},
        "within_limit_share": f.reply.within_limit_share,
        "replied": f.reply.replied,
        "due": f.reply.due,
        "within_limit": f.reply.within,
        **_close_dict(f.close),
        "categories": {
            c.key: {
                "total": c.total,
                "overdue": c.late,
                "escalated": c.escalated,
                "major": c.major,
                **_reply_dict(c.reply),
                **_close_dict(c.close),
            }
            for c in f.categories
        },
        "staff": [
            {
                "login": s.login,
                "name": s.name,
                "logged": s.logged,
                "closed": s.closed,
                "escalated": s.escalated,
                **_reply_dict(s.reply),
            }
            for s in f.staff
        ],
        "by_hour": [{"hour": h.hour, "total": h.total, "overdue": h.late} for h in f.by_hour],
        "by_day": [{"date": d.day.isoformat(), "total": d.total, "overdue": d.late} for d in f.by_day],
        "reply_distribution": [
            {"from_seconds": b.low, "to_seconds": b.high, "count": b.count} for b in f.reply_distribution
        ],
        "overdue_count": f.late,
        "overdue": [_item_dict(x, tz, "overdue") for x in f.overdue],
        "escalated": f.escalated,
        "escalated_unacknowledged": f.unacknowledged,
        "escalations": [_item_dict(x, tz, "escalations") for x in f.escalations],
        "major": f.major,
        "majors": [_item_dict(x, tz, "majors") for x in f.majors],
        "confidential": f.confidential,
        "cancelled": f.cancelled,
        "fees": [
            {
                "item": x.code,
                "name_zh": x.name_zh,
                "name_en": x.name_en,
                "count": x.count,
                "qty": x.qty,
                "amount": x.amount_cents / 100,
            }
            for x in f.fees
        ],
        "fees_count": f.fees_count,
        "fees_total": f.fees_total_cents / 100,
        "back_office": back_office_dict(f.back_office, tz),
        "quality": quality_dict(f.quality),
        **desk_dict(f.desk),
    }


def change_dict(cur: MonthFigures, prev: MonthFigures) -> dict[str, Any]:
    def pair(a: float | None, b: float | None) -> dict[str, float | None]:
        diff, rel = change(a, b)
        return {"diff": diff, "relative": rel}

    keys = dict.fromkeys(list(cur.by_category) + list(prev.by_category))
    return {
        "total": pair(cur.total, prev.total),
        "by_category": {k: pair(cur.by_category.get(k, 0), prev.by_category.get(k, 0)) for k in keys},
        "reply_seconds": {
            "median": pair(cur.reply.median, prev.reply.median),
            "p90": pair(cur.reply.p90, prev.reply.p90),
        },
        "within_limit_share": pair(cur.reply.within_limit_share, prev.reply.within_limit_share),
        "resolved": pair(cur.close.resolved, prev.close.resolved),
        "close_seconds": {
            "median": pair(cur.close.median, prev.close.median),
            "p90": pair(cur.close.p90, prev.close.p90),
        },
        "overdue": pair(cur.late, prev.late),
        "escalated": pair(cur.escalated, prev.escalated),
        "major": pair(cur.major, prev.major),
        "fees_total": pair(cur.fees_total_cents / 100, prev.fees_total_cents / 100),
    }


def report_dict(report: MonthReport, t: Translator, namer: Namer) -> dict[str, Any]:
    data = figures_dict(report.current, report.tz)
    data["generated_at"] = local_iso(report.generated_at, report.tz)
    data["summary"] = summary_lines(report, t, namer.category)
    data["analysis"] = analysis_dict(report)
    data["previous"] = figures_dict(report.previous, report.tz)
    data["change"] = change_dict(report.current, report.previous)
    data["estate"] = report.estate
    if report.estates:
        data["estates"] = {code: figures_dict(fig, report.tz) for code, fig in report.estates.items()}
    return data


def analysis_dict(report: MonthReport) -> dict[str, Any] | None:
    """The supervisor's own analysis, with who wrote it and when (None if nobody has)."""
    a = report.analysis
    if a is None:
        return None
    return {
        "text": a.text,
        "written_by": a.written_by,
        "written_by_name": report.analysis_by,
        "written_at": local_iso(a.written_at, report.tz),
    }


def analysis_signature(report: MonthReport, t: Translator) -> str:
    a = report.analysis
    assert a is not None
    who = report.analysis_by or a.written_by  # people by name, never by login
    return t("report.analysis_by", who=who, at=when_text(a.written_at, report.tz))


def when_text(x: datetime | None, tz: tzinfo) -> str:
    """`2026-11-27 22:05` in the zone (empty for no time)."""
    iso = local_iso(x, tz)
    return f"{iso[:10]} {iso[11:16]}" if iso else ""

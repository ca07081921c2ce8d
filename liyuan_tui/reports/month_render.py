"""A month report as JSON (every figure, for other programs), Markdown (reads well printed) and
CSV (UTF-8 with BOM so Excel keeps the Chinese). Pure: report in, text out.

Confidential requests are already stripped to category and figures by reports.py; nothing here
adds a detail back.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta, timezone, tzinfo
from functools import lru_cache
from typing import Any

from liyuan_tui.domain.i18n import Translator
from liyuan_tui.domain.safe_text import safe_json

from .backoffice import back_office_dict, back_office_tables
from .tables import Namer, Said, csv_rows, escalated_to_name, md_line, md_quote, md_table, md_text
from .month_summary import (
    change,
    format_change,
    format_duration,
    format_share,
    format_share_change,
    plain_number,
    summary_lines,
)
from .month import CloseStats, ListedRequest, MonthFigures, MonthReport, ReplyStats
from .quality import quality_dict, quality_tables

FORMATS = ("md", "csv", "json", "xlsx")
BOM = "\ufeff"


def render(report: MonthReport, fmt: str, t: Translator, procedures: Any) -> Any:
    """The report as text (md, csv, json) or, for xlsx, a workbook's bytes."""
    namer = Namer(t, procedures)
    if fmt == "xlsx":
        from .xlsx import month_workbook

        return month_workbook(report, t, namer)
    if fmt == "json":
        # No indent: json's C encoder only runs without one (several times faster on long lists).
        return safe_json(report_dict(report, t, namer))
    if fmt == "csv":
        return render_csv(report, t, namer)
    return render_markdown(report, t, namer)


# --- JSON -------------------------------------------------------------------------------------


@lru_cache(maxsize=8192)
def _offset(tz: tzinfo, quarter: int) -> tuple[timedelta, str]:
    local = datetime.fromtimestamp(quarter * 900, timezone.utc).astimezone(tz)
    return local.utcoffset() or timedelta(0), local.isoformat(timespec="seconds")[19:]


def local_iso(when: datetime | None, tz: tzinfo) -> str | None:
    """`when.astimezone(tz).isoformat(timespec="seconds")`, several times faster on long lists: the
    zone's offset is looked up once per UTC quarter hour (no zone changes offset in between)."""
    if when is None:
        return None
    off, suffix = _offset(tz, int(when.timestamp()) // 900)
    return (when.astimezone(timezone.utc).replace(tzinfo=None) + off).isoformat(timespec="seconds") + suffix


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
    return t("report.analysis_by", who=report.analysis_by or a.written_by, at=_when(a.written_at, report.tz))


# --- tables shared by Markdown and CSV ----------------------------------------------------------

Table = tuple[str, list[str], list[list[str]]]  # title, header, rows


def _when(x: datetime | None, tz: tzinfo) -> str:
    iso = local_iso(x, tz)
    return f"{iso[:10]} {iso[11:16]}" if iso else ""


def _money(cents: int) -> str:
    return f"{cents / 100:.2f}"


def tables(report: MonthReport, t: Translator, namer: Namer, numeric: bool = False) -> list[Table]:
    """Every section as a table. `numeric`: seconds and shares as plain numbers (for CSV)."""
    cur, prev, tz = report.current, report.previous, report.tz
    names = report.names  # people by name, never by login
    dur = (lambda s: "" if s is None else plain_number(s)) if numeric else (lambda s: format_duration(s, t))
    share = (lambda x: "" if x is None else f"{x:.4f}") if numeric else format_share
    secs = t("report.in_seconds") if numeric else ""
    median, p90 = t("report.median") + secs, t("report.p90") + secs
    close_median, close_p90 = t("report.close_median") + secs, t("report.close_p90") + secs
    money_change = format_change(cur.fees_total_cents / 100, prev.fees_total_cents / 100, money=True)
    overview = [
        [t("report.total"), str(cur.total), str(prev.total), format_change(cur.total, prev.total)],
        [
            median,
            dur(cur.reply.median),
            dur(prev.reply.median),
            format_change(cur.reply.median, prev.reply.median, duration=None if numeric else t),
        ],
        [
            p90,
            dur(cur.reply.p90),
            dur(prev.reply.p90),
            format_change(cur.reply.p90, prev.reply.p90, duration=None if numeric else t),
        ],
        [
            t("report.within_share"),
            share(cur.reply.within_limit_share),
            share(prev.reply.within_limit_share),
            format_share_change(cur.reply.within_limit_share, prev.reply.within_limit_share, t),
        ],
        [
            t("report.closed_count"),
            str(cur.close.closed),
            str(prev.close.closed),
            format_change(cur.close.closed, prev.close.closed),
        ],
        [
            t("report.resolved"),
            str(cur.close.resolved),
            str(prev.close.resolved),
            format_change(cur.close.resolved, prev.close.resolved),
        ],
        [
            close_median,
            dur(cur.close.median),
            dur(prev.close.median),
            format_change(cur.close.median, prev.close.median, duration=None if numeric else t),
        ],
        [
            close_p90,
            dur(cur.close.p90),
            dur(prev.close.p90),
            format_change(cur.close.p90, prev.close.p90, duration=None if numeric else t),
        ],
        [t("report.overdue"), str(cur.late), str(prev.late), format_change(cur.late, prev.late)],
        [
            t("report.escalated"),
            str(cur.escalated),
            str(prev.escalated),
            format_change(cur.escalated, prev.escalated),
        ],
        [t("report.unacknowledged"), str(cur.unacknowledged), str(prev.unacknowledged), ""],
        [t("report.major"), str(cur.major), str(prev.major), format_change(cur.major, prev.major)],
        [t("report.confidential"), str(cur.confidential), str(prev.confidential), ""],
        [t("report.fees_total"), _money(cur.fees_total_cents), _money(prev.fees_total_cents), money_change],
        # Voided requests (作废): a line of their own, in no figure above.
        [t("report.cancelled"), str(cur.cancelled), str(prev.cancelled), ""],
    ]
    cmp_head = [t("report.this_month"), t("report.previous_month"), t("report.change")]
    out: list[Table] = [(t("report.overview"), [t("report.figure")] + cmp_head, overview)]

    prev_cats = {c.key: c for c in prev.categories}
    cat_rows = []
    for c in cur.categories:
        p = prev_cats.get(c.key)
        before = p.total if p else 0
        cat_rows.append(
            [
                namer.category(c.key),
                str(c.total),
                str(before),
                format_change(c.total, before),
                str(c.late),
                share(c.reply.within_limit_share),
                dur(c.reply.median),
                dur(c.reply.p90),
                str(c.close.resolved),
                dur(c.close.median),
            ]
        )
    out.append(
        (
            t("report.by_category"),
            [t("column.category")]
            + cmp_head
            + [
                t("report.overdue"),
                t("report.within_share"),
                median,
                p90,
                t("report.resolved"),
                close_median,
            ],
            cat_rows,
        )
    )

    for kind, title, cur_counts, prev_counts in (
        ("channel", "report.by_channel", cur.by_channel, prev.by_channel),
        ("status", "report.by_status", cur.by_status, prev.by_status),
        ("outcome", "report.by_outcome", cur.by_outcome, prev.by_outcome),
    ):
        rows = [
            [namer(kind, k), str(v), str(prev_counts.get(k, 0)), format_change(v, prev_counts.get(k, 0))]
            for k, v in cur_counts.items()
        ]
        out.append((t(title), [t("report.item")] + cmp_head, rows))
    out.append(
        (
            t("report.handed_on"),
            [t("report.department"), t("report.count")],
            [[Said(k), str(v)] for k, v in cur.handed_on.items()],
        )
    )

    peak = max([h.total for h in cur.by_hour] + [1])
    out.append(
        (
            t("report.by_hour"),
            [t("report.hour"), t("report.count"), t("report.overdue")] + ([] if numeric else [""]),
            [
                [f"{h.hour:02d}:00–{(h.hour + 1) % 24:02d}:00", str(h.total), str(h.late)]
                + ([] if numeric else [_bar(h.total, peak)])
                for h in cur.by_hour
            ],
        )
    )
    peak = max([d.total for d in cur.by_day] + [1])
    out.append(
        (
            t("report.by_day"),
            [t("report.date"), t("report.count"), t("report.overdue")] + ([] if numeric else [""]),
            [
                [d.day.isoformat(), str(d.total), str(d.late)] + ([] if numeric else [_bar(d.total, peak)])
                for d in cur.by_day
            ],
        )
    )
    peak = max([b.count for b in cur.reply_distribution] + [1])
    out.append(
        (
            t("report.distribution"),
            [t("report.reply_time"), t("report.count")] + ([] if numeric else [""]),
            [
                [_bucket(b.low, b.high, t, numeric), str(b.count)]
                + ([] if numeric else [_bar(b.count, peak)])
                for b in cur.reply_distribution
            ],
        )
    )

    out.append(
        (
            t("report.staff"),
            [
                t("report.person"),
                t("report.logged"),
                t("report.replied"),
                t("report.within_share"),
                median,
                p90,
                t("report.closed"),
                t("report.escalated"),
            ],
            [
                [
                    Said(s.name),
                    str(s.logged),
                    str(s.replied),
                    share(s.reply.within_limit_share),
                    dur(s.reply.median),
                    dur(s.reply.p90),
                    str(s.closed),
                    str(s.escalated),
                ]
                for s in cur.staff
            ],
        )
    )

    hidden = t("report.hidden")
    out.append(
        (
            t("report.overdue_list"),
            [
                t("column.ref"),
                t("column.category"),
                t("column.received"),
                t("report.late_by"),
                t("column.unit"),
                t("column.assignee"),
            ],
            [
                [
                    Said(x.ref) if x.ref else hidden,
                    namer.category(x.category),
                    _when(x.received_at, tz),
                    (str(x.late_seconds) if numeric else format_duration(x.late_seconds, t)),
                    Said(x.unit) if x.unit is not None else hidden,
                    Said(names.get(x.holder, x.holder)) if x.holder else "",
                ]
                for x in cur.overdue
            ],
        )
    )
    out.append(
        (
            t("report.escalations"),
            [
                t("column.ref"),
                t("column.category"),
                t("column.received"),
                t("report.escalated_to"),
                t("report.acknowledged"),
            ],
            [
                [
                    Said(x.ref) if x.ref else hidden,
                    namer.category(x.category),
                    _when(x.received_at, tz),
                    Said(escalated_to_name(x.escalated_to, t, names)),
                    (
                        Said(
                            f"{_when(x.acknowledged_at, tz)} {names.get(x.acknowledged_by or '', x.acknowledged_by or '')}".strip()
                        )
                        if x.acknowledged_at
                        else t("report.not_acknowledged")
                    ),
                ]
                for x in cur.escalations
            ],
        )
    )
    out.append(
        (
            t("report.majors"),
            [
                t("column.ref"),
                t("column.category"),
                t("column.received"),
                t("column.state"),
                t("report.outcome"),
            ],
            [
                [
                    Said(x.ref) if x.ref else hidden,
                    namer.category(x.category),
                    _when(x.received_at, tz),
                    t("status." + x.status),
                    Said(x.outcome) if x.outcome is not None else hidden,
                ]
                for x in cur.majors
            ],
        )
    )
    out.append(
        (
            t("report.fees"),
            [t("report.fee_item"), t("report.count"), t("report.qty"), t("report.amount")],
            [
                [
                    Said(x.name_zh if t.lang == "zh" else x.name_en),
                    str(x.count),
                    f"{x.qty:g}",
                    _money(x.amount_cents),
                ]
                for x in cur.fees
            ],
        )
    )
    out += back_office_tables(cur.back_office, prev.back_office, t, share, tz)
    out += quality_tables(cur.quality, prev.quality, t, namer, cmp_head, share, format_change)
    if report.estates:
        out.append(_estates_table(report, t, dur, share))
    return out


def _estates_table(report: MonthReport, t: Translator, dur, share) -> Table:
    """Every estate's main figures side by side (the manager's month report over all estates)."""
    codes = list(report.estates)
    figs = [report.estates[c] for c in codes]
    rows = [
        [t("report.total")] + [str(f.total) for f in figs],
        [t("report.within_share")] + [share(f.reply.within_limit_share) for f in figs],
        [t("report.median")] + [dur(f.reply.median) for f in figs],
        [t("report.overdue")] + [str(f.late) for f in figs],
        [t("report.escalated")] + [str(f.escalated) for f in figs],
        [t("report.major")] + [str(f.major) for f in figs],
        [t("report.fees")] + [_money(f.fees_total_cents) for f in figs],
    ]
    return (t("report.by_estate"), [t("report.figure")] + [Said(c) for c in codes], rows)


def _bar(value: int, peak: int, width: int = 20) -> str:
    return "█" * round(value / peak * width) if value else ""


def _bucket(low: int, high: int | None, t: Translator, numeric: bool) -> str:
    if numeric:
        return f"{low}–{high}" if high is not None else f"{low}+"
    if high is None:
        return t("report.bucket_over", low=format_duration(low, t))
    return f"{format_duration(low, t)} – {format_duration(high, t)}"


# --- Markdown ---------------------------------------------------------------------------------


def render_markdown(report: MonthReport, t: Translator, namer: Namer) -> str:
    cur, tz = report.current, report.tz
    out = [
        f"# {t('report.title', month=str(cur.month))}",
        "",
        t(
            "report.period",
            start=_when(cur.start, tz),
            end=_when(cur.end, tz),
            tz=str(tz),
            generated=_when(report.generated_at, tz),
        ),
        "",
        f"## {t('report.summary')}",
        "",
    ]
    out += [f"- {md_text(line)}" for line in summary_lines(report, t, namer.category)]
    if report.analysis is not None:  # the supervisor's own words, as written, with who and when
        # In a quoted block of its own, each line as written (a hard break at its end): nothing in
        # it becomes a heading, a list, a rule or a link of the report's; then the signature.
        lines = [md_line(line) for line in report.analysis.text.splitlines()] or [""]
        out += [
            "",
            f"## {t('report.analysis')}",
            "",
            "\n".join(md_quote(lines)),
            "",
            f"*{md_text(analysis_signature(report, t))}*",
        ]
    for title, header, rows in tables(report, t, namer):
        out += ["", f"## {title}", ""]
        out += md_table(header, rows) if rows else [t("report.none")]
    return "\n".join(out) + "\n"


# --- CSV --------------------------------------------------------------------------------------


def render_csv(report: MonthReport, t: Translator, namer: Namer) -> str:
    """Sections one under another, each a title row, a header row and its rows; seconds and
    shares as plain numbers so Excel can compute with them. Starts with a BOM for Excel."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    # Every cell through csv_cell: a unit like =HYPERLINK(…) is text to Excel, never a formula.
    w.writerows(csv_rows([[t("report.title", month=str(report.current.month))], [t("report.summary")]]))
    w.writerows(csv_rows([line] for line in summary_lines(report, t, namer.category)))
    if report.analysis is not None:
        w.writerow([])
        w.writerows(
            csv_rows([[t("report.analysis")], [Said(report.analysis.text)], [analysis_signature(report, t)]])
        )
    for title, header, rows in tables(report, t, namer, numeric=True):
        w.writerow([])
        w.writerows(csv_rows([[title], header]))
        w.writerows(csv_rows(rows))
    return BOM + buf.getvalue()


__all__ = ["FORMATS", "render", "report_dict", "figures_dict", "render_markdown", "render_csv", "tables"]

"""A month report as tables — title, header, rows — shared by Markdown, CSV and the report screen.
`numeric`: seconds and shares as plain numbers (for CSV, so Excel can compute with them)."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from liyuan_tui.domain.i18n import Translator

from .backoffice import back_office_tables
from .desk_figures import desk_tables
from .month import MonthReport
from .month_json import when_text
from .month_summary import (
    format_change,
    format_duration,
    format_share,
    format_share_change,
    plain_number,
)
from .quality import quality_tables
from .tables import Namer, Said, escalated_to_name

Table = tuple[str, list[str], list[list[str]]]  # title, header, rows
Shown = Callable[[float | None], str]  # a duration or a share, as a cell


def _money(cents: int) -> str:
    return f"{cents / 100:.2f}"


def tables(report: MonthReport, t: Translator, namer: Namer, numeric: bool = False) -> list[Table]:
    """Every section as a table. `numeric`: seconds and shares as plain numbers (for CSV)."""
    cur, prev, tz = report.current, report.previous, report.tz
    names = report.names  # people by name, never by login

    def dur(seconds: float | None) -> str:
        if numeric:
            return "" if seconds is None else plain_number(seconds)
        return format_duration(seconds, t)

    def share(part: float | None) -> str:
        if numeric:
            return "" if part is None else f"{part:.4f}"
        return format_share(part)

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
    late_by = lru_cache(maxsize=None)(lambda s: format_duration(s, t))  # (a long list repeats them)
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
                    when_text(x.received_at, tz),
                    (str(x.late_seconds) if numeric else late_by(x.late_seconds)),
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
                    when_text(x.received_at, tz),
                    Said(escalated_to_name(x.escalated_to, t, names)),
                    (
                        Said(f"{when_text(x.acknowledged_at, tz)} {_named(names, x.acknowledged_by)}".strip())
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
                    when_text(x.received_at, tz),
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
    out += desk_tables(cur.desk, prev.desk, t)
    if report.estates:
        out.append(_estates_table(report, t, dur, share))
    return out


def _estates_table(report: MonthReport, t: Translator, dur: Shown, share: Shown) -> Table:
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


def _named(names: dict[str, str], login: str | None) -> str:
    return names.get(login, login) if login else ""


def _bar(value: int, peak: int, width: int = 20) -> str:
    return "█" * round(value / peak * width) if value else ""


def _bucket(low: int, high: int | None, t: Translator, numeric: bool) -> str:
    if numeric:
        return f"{low}–{high}" if high is not None else f"{low}+"
    if high is None:
        return t("report.bucket_over", low=format_duration(low, t))
    return f"{format_duration(low, t)} – {format_duration(high, t)}"

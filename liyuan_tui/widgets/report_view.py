"""A month report as the sections of the report screen: the written summary, the overview beside
the previous month, charts (per day, reply times, categories, by hour of day) and every figure
table. The tables are report_render's own, so the screen and the exports never disagree;
confidential requests arrive already stripped to their category and figures.
"""

from __future__ import annotations

from typing import Any

from rich import box
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text

from liyuan_tui.domain.i18n import Translator
from liyuan_tui.domain.safe_text import visible
from liyuan_tui.reports.month import MonthReport
from liyuan_tui.reports.month_render import analysis_signature, tables
from liyuan_tui.reports.month_summary import format_share, summary_lines
from liyuan_tui.reports.tables import NO_CATEGORY, Namer

from .charts import ColumnChart, bar_table
from .plain import plain
from .queue_table import short_category

Section = tuple[str, RenderableType]  # (title, body)
# Rows a list shows on screen. A month with thousands of overdue requests would otherwise take
# seconds to lay out on the event loop (measured: 4,757 rows, 10 s); the exports carry them all.
LIST_LIMIT = 50
# Headers with a short form for narrow terminals (screens.report.short.*).
SHORT_HEADERS = (
    "report.this_month",
    "report.previous_month",
    "report.median",
    "report.p90",
    "report.within_share",
    "report.escalated",
    "report.resolved",
    "report.close_median",
)
# Columns of figures (right-aligned); the others hold names, refs, units and times.
NUMERIC_COLUMNS = (
    "report.this_month",
    "report.previous_month",
    "report.change",
    "report.count",
    "report.overdue",
    "report.within_share",
    "report.median",
    "report.p90",
    "report.logged",
    "report.replied",
    "report.closed",
    "report.escalated",
    "report.qty",
    "report.amount",
    "report.late_by",
    "report.resolved",
    "report.close_median",
    "report.q_scored",
    "report.q_mean",
    "scorecard.requests",
    "scorecard.median_reply",
    "scorecard.within_share",
    "scorecard.overdue",
    "scorecard.escalations",
    "scorecard.orders_finished",
    "scorecard.orders_on_time",
    "scorecard.satisfaction",
    "scorecard.repeat_repairs",
    "scorecard.followups_made",
    "scorecard.assessment",
    "scorecard.training_hours",
)


class ShortNamer(Namer):
    """Short category names (急救, Repair) where the screen is narrow; other names as in the exports."""

    def category(self, key: str) -> str:
        if key == NO_CATEGORY:
            return self.t("report.no_category")
        return short_category(key, self.procedures, self.t)


def report_sections(report: MonthReport, t: Translator, procedures: Any) -> list[Section]:
    namer = ShortNamer(t, procedures)
    all_tables = tables(report, t, namer)
    charted = {t("report.by_hour"), t("report.by_day"), t("report.distribution")}
    overview, rest = all_tables[0], [x for x in all_tables[1:] if x[0] not in charted]
    out: list[Section] = [
        (t("report.summary"), summary(report, t, procedures)),
        (t("report.analysis"), analysis(report, t)),
        (overview[0], figure_table(overview[1], overview[2], t)),
    ]
    out += charts(report, t, procedures)
    for title, header, rows in rest:
        body = figure_table(header, rows[:LIST_LIMIT], t)
        if len(rows) > LIST_LIMIT:  # the worst first (the overdue list is sorted latest first)
            body = Group(body, Text(t("screens.report.more", count=len(rows) - LIST_LIMIT), style="dim"))
        out.append((title, body))
    return out


def summary(report: MonthReport, t: Translator, procedures: Any) -> Text:
    lines = summary_lines(report, t, ShortNamer(t, procedures).category)
    text = Text()
    for i, line in enumerate(lines):
        text.append(("\n" if i else "") + "• ", style="bold cyan")
        text.append(visible(line))
    return text


def analysis(report: MonthReport, t: Translator) -> RenderableType:
    """The supervisor's own analysis as written (a Text: their words are never markup), signed."""
    if report.analysis is None:
        return Text(t("screens.report.no_analysis"), style="dim")
    return Group(plain(report.analysis.text), Text(analysis_signature(report, t), style="dim"))


def figure_table(header: list[str], rows: list[list[str]], t: Translator) -> RenderableType:
    if not rows:
        return Text(t("report.none"), style="dim")
    numeric = {t(key) for key in NUMERIC_COLUMNS}
    short = {t(key): t(f"screens.report.short.{key.split('.')[1]}") for key in SHORT_HEADERS}

    def table(narrow: bool) -> Table:
        out = Table(
            box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, header_style="bold", collapse_padding=narrow
        )
        for i, name in enumerate(header):
            # The first column names the row: the other columns give way, never the names.
            out.add_column(
                short.get(name, name) if narrow else name,
                justify="right" if i and name in numeric else "left",
                no_wrap=i == 0,
                overflow="fold",
            )
        for row in rows:
            out.add_row(*(plain(cell) for cell in row))  # names, units, departments: data, not markup
        return out

    return Narrowing(table(narrow=False), table(narrow=True))


class Narrowing:
    """The wide renderable where it fits, else the narrow one (a table with short headers and one-cell
    gaps, so an 80-column terminal gets whole words rather than headers broken mid-word)."""

    def __init__(self, wide: RenderableType, narrow: RenderableType) -> None:
        self.wide, self.narrow = wide, narrow

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement.get(console, options, self.wide)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        # A table measures itself within the width it is offered: offer it room to say what it needs.
        fits = Measurement.get(console, options.update_width(1000), self.wide).maximum <= options.max_width
        yield self.wide if fits else self.narrow


def charts(report: MonthReport, t: Translator, procedures: Any) -> list[Section]:
    """Requests per day, reply times, categories and hours of the day; "none" for an empty month."""
    cur = report.current
    none = Text(t("report.none"), style="dim")
    days = cur.by_day
    busiest = max(days, key=lambda d: (d.total, -d.day.toordinal()), default=None)
    per_day_title = t("screens.report.per_day", total=cur.total)
    if busiest is not None and busiest.total:
        per_day_title += " · " + t("screens.report.busiest", count=busiest.total, day=f"{busiest.day:%m-%d}")
    day_labels = {
        i: str(d.day.day)
        for i, d in enumerate(days)
        if d.day.day in (1, 5, 10, 15, 20, 25) or i == len(days) - 1
    }
    per_day = ColumnChart([d.total for d in days], day_labels, [d.late for d in days]) if cur.total else none

    replies = sum(b.count for b in cur.reply_distribution)
    limit = int(procedures.reply_limit("").total_seconds())
    rows = [
        (_bucket_label(b.low, b.high, t), b.count, format_share(b.count / replies) if replies else "")
        for b in cur.reply_distribution
    ]
    # Replies slower than the reply limit in red (every category's limit is 10 minutes by default).
    styles = ["red" if b.low >= limit else "cyan" for b in cur.reply_distribution]
    distribution = bar_table(rows, styles=styles) if replies else none

    namer = ShortNamer(t, procedures)
    cats = [
        (namer.category(c.key), c.total, t("screens.report.late_note", late=c.late) if c.late else "")
        for c in cur.categories
    ]
    hour_labels = {h: f"{h:02d}" for h in range(0, 24, 3)}
    by_hour = ColumnChart([h.total for h in cur.by_hour], hour_labels, [h.late for h in cur.by_hour])
    return [
        (per_day_title, per_day),
        (t("screens.report.distribution", replied=replies), distribution),
        (t("screens.report.categories"), bar_table(cats) if cur.total else none),
        (t("screens.report.by_hour", late=cur.late), by_hour if cur.total else none),
    ]


def _bucket_label(low: int, high: int | None, t: Translator) -> str:
    if high is None:
        return t("screens.report.minutes_over", low=low // 60)
    if low == 0:
        return t("screens.report.minutes_under", high=high // 60)
    return t("screens.report.minutes_range", low=low // 60, high=high // 60)

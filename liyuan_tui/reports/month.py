"""Month-end statistics (procedure 4.10): every figure of one month and the month before, as
plain dataclasses a screen or a renderer can show. The SQL is the store's (store/figures/); rows
become figures in month_counts.py; the records are in month_records.py; the written summary in
month_summary.py; md/csv/json in month_render.py.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, tzinfo

from dateutil.relativedelta import relativedelta

from liyuan_tui.domain.errors import PermissionDenied
from liyuan_tui.domain.permissions import Action, allowed
from liyuan_tui.store.figures import FigureReader, Window

from .long_work import collector_paused
from .month_counts import (
    distribution,
    fill_counts,
    fill_lists,
    hours_and_days,
    percentile,
    reply_percentiles,
    staff_figures,
    utc,
)
from .month_records import (
    CategoryFigures,
    CloseStats,
    DayFigures,
    FeeFigures,
    HourFigures,
    ListedRequest,
    Month,
    MonthFigures,
    MonthReport,
    ReplyBucket,
    ReplyStats,
    StaffFigures,
)
from .source import ReportSource
from .tables import NO_CATEGORY

QUERIES = 10  # the queries month_figures sends for one month (what a progress bar counts)
ALL_ESTATES = "all"


def month_report(
    store: ReportSource,
    month: Month | str,
    *,
    now: datetime | None = None,
    estate: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> MonthReport:
    """The month's figures and the previous month's, read through one read-only session.
    Only the customer-service supervisors and the manager see reports. `estate`: one estate's
    requests; "all": every estate together and each one side by side; None: every estate together.
    `progress(done, of)` is told after each query (a report over a long history takes a while)."""
    month = Month.parse(month) if isinstance(month, str) else month
    me = store.staff.me()
    if not allowed(me.role, Action.REPORT):
        raise PermissionDenied("error.not_allowed", role=me.role, action=str(Action.REPORT))
    now = now or store.clock.now()
    tz = store.tz
    keys = list(store.procedures)
    repairs = [k for k, p in store.procedures.items() if p.fault_kinds]
    only = None if estate in (None, ALL_ESTATES) else estate
    done = [0]

    def step() -> None:
        done[0] += 1
        if progress is not None:
            progress(done[0], 2 * QUERIES)

    def figures(read: FigureReader, which: Month, code: str | None, told: Callable[[], None]) -> MonthFigures:
        return month_figures(read, which, tz, now, code, keys, names, repairs, told)

    with collector_paused(), store.figures.reading() as read:
        names = read.staff_names()
        current = figures(read, month, only, step)
        previous = figures(read, month.previous(), only, step)
        side_by_side = {}
        if estate == ALL_ESTATES:
            whole = Window(month.start(tz), month.end(tz), now)
            side_by_side = {code: figures(read, month, code, lambda: None) for code in read.estates_in(whole)}
    analysis = store.analyses.latest(str(month))
    by = names.get(analysis.written_by, analysis.written_by) if analysis is not None else ""
    return MonthReport(current, previous, now, tz, analysis, by, estate, side_by_side, names)


def month_figures(
    read: FigureReader,
    month: Month,
    tz: tzinfo,
    now: datetime,
    estate: str | None,
    category_keys: list[str],
    names: dict[str, str],
    repair_categories: list[str],
    step: Callable[[], None] = lambda: None,
) -> MonthFigures:
    """One month's figures (of one estate, or every estate's together), from one reader's rows;
    `step()` after each query."""
    w = Window(month.start(tz), month.end(tz), now, estate)
    fig = MonthFigures(month, w.start, w.end)
    ranks = reply_percentiles(read.reply_ranks(w))
    step()
    fill_counts(fig, read.cube(w), category_keys, ranks)
    step()
    fig.staff = staff_figures(read.staff_cube(w), names, ranks)
    step()
    fig.by_hour, fig.by_day = hours_and_days(read.quarter_hours(w), month, tz)
    step()
    fig.reply_distribution = distribution(read.reply_distribution(w))
    step()
    fill_lists(fig, read.listed(w))
    step()
    fig.fees = [
        FeeFigures(
            r.item_code,
            r.name_zh or r.item_code,
            r.name_en or r.item_code,
            r.n,
            float(r.qty or 0),
            int(r.cents or 0),
        )
        for r in read.fees(w)
    ]
    step()
    fig.back_office = read.back_office(w.start, w.end, w.now)
    step()
    fig.quality = read.quality(w, category_keys, repair_categories)
    step()
    last = date(month.year, month.month, 1) + relativedelta(months=1, days=-1)
    fig.desk = read.desk(w, date(month.year, month.month, 1), last)
    step()
    return fig


__all__ = [
    "ALL_ESTATES",
    "NO_CATEGORY",
    "QUERIES",
    "CategoryFigures",
    "CloseStats",
    "DayFigures",
    "FeeFigures",
    "HourFigures",
    "ListedRequest",
    "Month",
    "MonthFigures",
    "MonthReport",
    "ReplyBucket",
    "ReplyStats",
    "StaffFigures",
    "month_figures",
    "month_report",
    "percentile",
    "reply_percentiles",
    "utc",
]

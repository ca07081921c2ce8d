"""Month-end statistics (procedure 4.10): every figure of one month and the month before, as
plain dataclasses a screen or a renderer can show. The SQL is in report_queries; the written
summary in report_summary; md/csv/json in report_render.

A request belongs to the month of its local reception time (Settings.tz): the month runs from
local midnight on the 1st to local midnight on the 1st of the next month.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timezone, tzinfo
from typing import Any, Callable, Iterable

from dateutil.relativedelta import relativedelta

from . import month_queries as q
from .quality import QualityFigures, quality_figures
from liyuan_tui.domain import validation as check
from liyuan_tui.domain.errors import PermissionDenied, ValidationError
from liyuan_tui.domain.models import CHANNELS, STATUSES, MonthAnalysis
from liyuan_tui.domain.permissions import Action, allowed

from .month_records import (
    CategoryFigures,
    CloseStats,
    DayFigures,
    FeeFigures,
    HourFigures,
    ListedRequest,
    ReplyBucket,
    ReplyStats,
    StaffFigures,
)
from .backoffice import BackOffice, back_office_figures
from .tables import NO_CATEGORY
from liyuan_tui.store import OUTCOME_KINDS

UTC = timezone.utc

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
# No request is left in "resolved": closing records the outcome, and "resolved" is counted from it.
# A voided request (cancelled) is in no figure: it has a line of its own (MonthFigures.cancelled).
REPORTED_STATUSES = tuple(s for s in STATUSES if s not in ("resolved", "cancelled"))


@dataclass(frozen=True, order=True)
class Month:
    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> Month:
        m = _MONTH.fullmatch(check.no_controls(text, "month").strip())
        if not m or not 1 <= int(m.group(2)) <= 12:
            raise ValidationError("error.month_malformed", "month", value=text)
        if not check.EARLIEST_YEAR <= int(m.group(1)) <= check.LATEST_YEAR:
            raise ValidationError(
                "error.time_out_of_range",
                "month",
                value=text,
                first=check.EARLIEST_YEAR,
                last=check.LATEST_YEAR,
            )
        return cls(int(m.group(1)), int(m.group(2)))

    @classmethod
    def of(cls, when: datetime, tz: tzinfo) -> Month:
        local = when.astimezone(tz)
        return cls(local.year, local.month)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    def start(self, tz: tzinfo) -> datetime:
        """Local midnight on the 1st, as an aware UTC instant."""
        return datetime(self.year, self.month, 1, tzinfo=tz).astimezone(UTC)

    def end(self, tz: tzinfo) -> datetime:
        nxt = datetime(self.year, self.month, 1, tzinfo=tz) + relativedelta(months=1)
        return nxt.astimezone(UTC)

    def previous(self) -> Month:
        d = date(self.year, self.month, 1) - relativedelta(months=1)
        return Month(d.year, d.month)


@dataclass
class MonthFigures:
    month: Month
    start: datetime  # UTC
    end: datetime
    total: int = 0
    by_category: dict[str, int] = field(default_factory=dict)
    by_channel: dict[str, int] = field(default_factory=dict)
    by_status: dict[str, int] = field(default_factory=dict)
    by_outcome: dict[str, int] = field(default_factory=dict)
    handed_on: dict[str, int] = field(default_factory=dict)  # department → requests handed on to it
    reply: ReplyStats = field(default_factory=ReplyStats)
    close: CloseStats = field(default_factory=CloseStats)
    categories: list[CategoryFigures] = field(default_factory=list)
    staff: list[StaffFigures] = field(default_factory=list)
    by_hour: list[HourFigures] = field(default_factory=list)
    by_day: list[DayFigures] = field(default_factory=list)
    reply_distribution: list[ReplyBucket] = field(default_factory=list)
    late: int = 0
    escalated: int = 0
    unacknowledged: int = 0
    major: int = 0
    confidential: int = 0
    cancelled: int = 0  # voided (作废) in the month: counted here and nowhere else
    overdue: list[ListedRequest] = field(default_factory=list)
    escalations: list[ListedRequest] = field(default_factory=list)
    majors: list[ListedRequest] = field(default_factory=list)
    fees: list[FeeFigures] = field(default_factory=list)
    back_office: BackOffice = field(default_factory=BackOffice)
    quality: QualityFigures = field(default_factory=QualityFigures)  # follow-ups and repeat repairs

    @property
    def fees_total_cents(self) -> int:
        return sum(f.amount_cents for f in self.fees)

    @property
    def fees_count(self) -> int:
        return sum(f.count for f in self.fees)


@dataclass
class MonthReport:
    current: MonthFigures
    previous: MonthFigures
    generated_at: datetime
    tz: tzinfo
    analysis: MonthAnalysis | None = None  # the supervisor's own text, newest version
    analysis_by: str = ""  # its writer's name
    estate: str | None = None  # the estate reported on (None: every estate together)
    estates: dict[str, MonthFigures] = field(default_factory=dict)  # side by side, when asked for all
    names: dict[str, str] = field(default_factory=dict)  # login → name: people are named, not logged

    @property
    def month(self) -> Month:
        return self.current.month


QUERIES = 9  # the queries month_figures sends for one month (what a progress bar counts)
ALL_ESTATES = "all"


def month_report(
    store: Any,
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
    keys = list(store.procedures)
    repairs = [k for k, p in store.procedures.items() if p.fault_kinds]
    only = None if estate in (None, ALL_ESTATES) else estate
    done = [0]

    def step() -> None:
        done[0] += 1
        if progress is not None:
            progress(done[0], 2 * QUERIES)

    with store.reading() as s:
        dialect = s.get_bind().dialect.name
        names = q.staff_names(s)
        current = month_figures(s, month, store.tz, now, keys, names, dialect, only, repairs, step)
        previous = month_figures(
            s, month.previous(), store.tz, now, keys, names, dialect, only, repairs, step
        )
        side_by_side = {}
        if estate == ALL_ESTATES:
            window = q.Window(month.start(store.tz), month.end(store.tz), now)
            side_by_side = {
                code: month_figures(s, month, store.tz, now, keys, names, dialect, code, repairs)
                for code in q.estates_in(s, window)
            }
    analysis = store.analyses.latest(str(month))
    by = names.get(analysis.written_by, analysis.written_by) if analysis is not None else ""
    return MonthReport(current, previous, now, store.tz, analysis, by, estate, side_by_side, names)


def month_figures(
    s: Any,
    month: Month,
    tz: tzinfo,
    now: datetime,
    category_keys: Iterable[str],
    names: dict[str, str],
    dialect: str,
    estate: str | None = None,
    repair_categories: Iterable[str] = (),
    step: Callable[[], None] = lambda: None,
) -> MonthFigures:
    w = q.Window(month.start(tz), month.end(tz), now, estate)
    fig = MonthFigures(month, w.start, w.end)
    keys = list(category_keys)

    def ask(query: Callable[..., Any], *args: Any) -> Any:
        rows = query(s, w, *args)
        step()
        return rows

    ranks = reply_percentiles(ask(q.reply_ranks, dialect))
    _fill_counts(fig, ask(q.cube), keys, ranks)
    fig.staff = _staff(ask(q.staff_cube), names, ranks)
    fig.by_hour, fig.by_day = _hours_and_days(ask(q.quarter_hours, dialect), month, tz)
    fig.reply_distribution = _distribution(ask(q.reply_distribution, dialect))
    _fill_lists(fig, ask(q.listed, dialect))
    fig.fees = [
        FeeFigures(
            r.item_code,
            r.name_zh or r.item_code,
            r.name_en or r.item_code,
            r.n,
            float(r.qty or 0),
            int(r.cents or 0),
        )
        for r in ask(q.fees)
    ]
    fig.back_office = back_office_figures(s, w.start, w.end, now)
    step()
    fig.quality = quality_figures(s, w, keys, repair_categories)
    step()
    return fig


def percentile(ranked: dict[int, float], n: int, num: int, den: int) -> float | None:
    """Linear interpolation between the closest ranks (as numpy's default and Python's
    statistics.quantiles(method="inclusive")), from the values at ranks low and low+1 only."""
    if n == 0:
        return None
    low, rest = divmod((n - 1) * num, den)
    value = ranked[low]
    if rest:
        value += (ranked[low + 1] - value) * rest / den
    return round(value, 3)


def reply_percentiles(rows: Iterable[Any]) -> dict[tuple[str, str], tuple[float | None, float | None]]:
    groups: dict[tuple[str, str], dict[int, float]] = defaultdict(dict)
    sizes: dict[tuple[str, str], int] = {}
    for r in rows:
        groups[(r.dim, r.grp)][int(r.i)] = float(r.secs)
        sizes[(r.dim, r.grp)] = int(r.n)
    return {
        key: (percentile(vals, sizes[key], *q.MEDIAN), percentile(vals, sizes[key], *q.P90))
        for key, vals in groups.items()
    }


def _fill_counts(fig: MonthFigures, rows: list[Any], keys: list[str], ranks: dict) -> None:
    sums: dict[str, Counter] = defaultdict(Counter)  # category → counters
    channel, status, outcome, handed = Counter(), Counter(), Counter(), Counter()
    cancelled = 0
    for r in rows:
        if r.status == "cancelled":  # voided: a line of its own, no other figure
            cancelled += r.total
            continue
        cat = r.category or NO_CATEGORY
        for name in (
            "total",
            "replied",
            "within",
            "due",
            "late",
            "escalated",
            "unacknowledged",
            "major",
            "confidential",
        ):
            sums[cat][name] += int(getattr(r, name) or 0)
        channel[r.channel] += r.total
        status[r.status] += r.total
        if r.status == "closed":  # the outcome of a closed request only (docs/report.md: resolved)
            sums[cat]["closed"] += r.total
            sums[cat]["resolved"] += int(r.resolved or 0)
            if r.outcome_kind:
                outcome[r.outcome_kind] += r.total
            if r.handed_to:
                handed[r.handed_to] += r.total
    whole = sum(sums.values(), Counter())
    ordered = keys + sorted(k for k in sums if k not in keys)
    fig.total, fig.cancelled = whole["total"], cancelled
    fig.by_category = {k: sums[k]["total"] for k in ordered if k in keys or sums[k]["total"]}
    fig.by_channel = _complete(channel, CHANNELS)
    fig.by_status = _complete(status, REPORTED_STATUSES)
    fig.by_outcome = _complete(outcome, OUTCOME_KINDS)
    fig.handed_on = dict(sorted(handed.items(), key=lambda kv: (-kv[1], kv[0])))
    fig.late, fig.escalated, fig.major = whole["late"], whole["escalated"], whole["major"]
    fig.unacknowledged, fig.confidential = whole["unacknowledged"], whole["confidential"]
    fig.reply = _reply(whole, ranks.get(("all", "")))
    fig.close = _close(whole, ranks.get(("close_all", "")))
    fig.categories = [
        CategoryFigures(
            k,
            sums[k]["total"],
            sums[k]["late"],
            sums[k]["escalated"],
            sums[k]["major"],
            _reply(sums[k], ranks.get(("category", "" if k == NO_CATEGORY else k))),
            _close(sums[k], ranks.get(("close_category", "" if k == NO_CATEGORY else k))),
        )
        for k in fig.by_category
    ]


def _complete(counts: Counter, keys: Iterable[str]) -> dict[str, int]:
    """Every known key (0 when none), then any other value found in the data."""
    out = {k: counts.get(k, 0) for k in keys}
    out.update({k: v for k, v in sorted(counts.items()) if k not in out})
    return out


def _reply(c: Counter, pct: tuple[float | None, float | None] | None) -> ReplyStats:
    median, p90 = pct or (None, None)
    return ReplyStats(c["replied"], c["due"], c["within"], median, p90)


def _close(c: Counter, pct: tuple[float | None, float | None] | None) -> CloseStats:
    median, p90 = pct or (None, None)
    return CloseStats(c["closed"], c["resolved"], median, p90)


def _staff(rows: list[Any], names: dict[str, str], ranks: dict) -> list[StaffFigures]:
    per: dict[str, Counter] = defaultdict(Counter)
    for r in rows:
        if r.created_by:
            per[r.created_by]["logged"] += r.total
        if r.replied_by:
            per[r.replied_by]["replied"] += int(r.replied or 0)
            per[r.replied_by]["within"] += int(r.within or 0)
        if r.closed_by:
            per[r.closed_by]["closed"] += int(r.closed or 0)
        if r.created_by:
            per[r.created_by]["unreplied_late"] += int(r.unreplied_late or 0)
        if r.escalated_by:
            per[r.escalated_by]["escalated"] += r.total
    out = []
    for login in sorted(per, key=lambda x: (-per[x]["logged"] - per[x]["replied"], x)):
        if not per[login]["logged"] + per[login]["replied"] + per[login]["closed"] + per[login]["escalated"]:
            continue  # named only by a count of zero
        c = per[login]
        median, p90 = ranks.get(("staff", login), (None, None))
        # A person's "due" is what they replied to and what they logged that is past its deadline
        # with no reply yet: an overdue request nobody answered is not "100% in time".
        reply = ReplyStats(c["replied"], c["replied"] + c["unreplied_late"], c["within"], median, p90)
        out.append(
            StaffFigures(
                login, names.get(login, login), c["logged"], c["replied"], c["closed"], c["escalated"], reply
            )
        )
    return out


def _hours_and_days(rows: list[Any], month: Month, tz: tzinfo) -> tuple[list[HourFigures], list[DayFigures]]:
    hours: dict[int, Counter] = defaultdict(Counter)
    days: dict[date, Counter] = defaultdict(Counter)
    for r in rows:
        local = datetime.fromtimestamp(int(r.q) * q.QUARTER_HOUR, UTC).astimezone(tz)
        for bucket in (hours[local.hour], days[local.date()]):
            bucket["total"] += r.total
            bucket["late"] += int(r.late or 0)
    first = date(month.year, month.month, 1)
    count = ((first + relativedelta(months=1)) - first).days
    all_days = [first + relativedelta(days=i) for i in range(count)]
    return (
        [HourFigures(h, hours[h]["total"], hours[h]["late"]) for h in range(24)],
        [DayFigures(d, days[d]["total"], days[d]["late"]) for d in all_days],
    )


def _distribution(rows: list[Any]) -> list[ReplyBucket]:
    found = {int(r.bucket): int(r.n) for r in rows}
    lows = (0,) + q.REPLY_BUCKET_EDGES
    highs: tuple[int | None, ...] = q.REPLY_BUCKET_EDGES + (None,)
    return [ReplyBucket(lo, hi, found.get(i, 0)) for i, (lo, hi) in enumerate(zip(lows, highs))]


def utc(value: Any) -> datetime | None:
    """A time from a raw query: SQLite gives naive UTC text, other databases a datetime."""
    if value is None:
        return None
    if isinstance(value, str):
        return datetime.fromisoformat(value).replace(tzinfo=UTC)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _fill_lists(fig: MonthFigures, rows: list[Any]) -> None:
    for (
        ref,
        category,
        unit,
        status,
        received_at,
        escalated,
        escalated_to,
        acknowledged_at,
        acknowledged_by,
        major,
        confidential,
        assignee,
        replied_by,
        outcome_kind,
        outcome,
        handed_to,
        late,
        late_seconds,
    ) in rows:
        hidden = bool(confidential)
        item = ListedRequest(
            None if hidden else ref,
            category or NO_CATEGORY,
            hidden,
            status,
            utc(received_at),  # type: ignore[arg-type]
            int(round(late_seconds)) if late else None,
            None if hidden else unit,
            assignee or replied_by,
            escalated_to,
            utc(acknowledged_at),
            acknowledged_by,
            outcome_kind,
            None if hidden else outcome,
            None if hidden else (handed_to or None),
        )
        if late:
            fig.overdue.append(item)
        if escalated:
            fig.escalations.append(item)
        if major:
            fig.majors.append(item)
    fig.overdue.sort(key=lambda x: -(x.late_seconds or 0))


__all__ = [
    "Month",
    "MonthFigures",
    "MonthReport",
    "ReplyStats",
    "CloseStats",
    "CategoryFigures",
    "StaffFigures",
    "HourFigures",
    "DayFigures",
    "ReplyBucket",
    "FeeFigures",
    "ListedRequest",
    "month_report",
    "month_figures",
    "percentile",
    "NO_CATEGORY",
]

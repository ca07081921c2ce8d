"""From the store's rows to the month's figures: counts summed by category, channel, status and
person; the median and 90th percentile interpolated from the few ranked rows the database returns;
local hours and days from UTC quarter hours; the lists of late, escalated and major requests."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import UTC, date, datetime, tzinfo
from typing import overload

from dateutil.relativedelta import relativedelta

from liyuan_tui.domain.models import CHANNELS
from liyuan_tui.store import OUTCOME_KINDS
from liyuan_tui.store.figures import (
    MEDIAN,
    P90,
    QUARTER_HOUR,
    REPLY_BUCKET_EDGES,
    BucketRow,
    CubeRow,
    ListedRow,
    QuarterHourRow,
    RankRow,
    StaffCubeRow,
)

from .month_records import (
    REPORTED_STATUSES,
    CategoryFigures,
    CloseStats,
    DayFigures,
    HourFigures,
    ListedRequest,
    Month,
    MonthFigures,
    ReplyBucket,
    ReplyStats,
    StaffFigures,
)
from .tables import NO_CATEGORY

Percentiles = dict[tuple[str, str], tuple[float | None, float | None]]  # (dim, group) → (median, p90)


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


def reply_percentiles(rows: Iterable[RankRow]) -> Percentiles:
    groups: dict[tuple[str, str], dict[int, float]] = defaultdict(dict)
    sizes: dict[tuple[str, str], int] = {}
    for r in rows:
        groups[(r.dim, r.grp)][int(r.i)] = float(r.secs)
        sizes[(r.dim, r.grp)] = int(r.n)
    return {
        key: (percentile(vals, sizes[key], *MEDIAN), percentile(vals, sizes[key], *P90))
        for key, vals in groups.items()
    }


def fill_counts(fig: MonthFigures, rows: list[CubeRow], keys: list[str], ranks: Percentiles) -> None:
    sums: dict[str, Counter[str]] = defaultdict(Counter)  # category → counters
    channel: Counter[str] = Counter()
    status: Counter[str] = Counter()
    outcome: Counter[str] = Counter()
    handed: Counter[str] = Counter()
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
    whole: Counter[str] = sum(sums.values(), Counter())
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


def _complete(counts: Counter[str], keys: Iterable[str]) -> dict[str, int]:
    """Every known key (0 when none), then any other value found in the data."""
    out = {k: counts.get(k, 0) for k in keys}
    out.update({k: v for k, v in sorted(counts.items()) if k not in out})
    return out


def _reply(c: Counter[str], pct: tuple[float | None, float | None] | None) -> ReplyStats:
    median, p90 = pct or (None, None)
    return ReplyStats(c["replied"], c["due"], c["within"], median, p90)


def _close(c: Counter[str], pct: tuple[float | None, float | None] | None) -> CloseStats:
    median, p90 = pct or (None, None)
    return CloseStats(c["closed"], c["resolved"], median, p90)


def staff_figures(rows: list[StaffCubeRow], names: dict[str, str], ranks: Percentiles) -> list[StaffFigures]:
    per: dict[str, Counter[str]] = defaultdict(Counter)
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
        c = per[login]
        if not c["logged"] + c["replied"] + c["closed"] + c["escalated"]:
            continue  # named only by a count of zero
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


def hours_and_days(
    rows: list[QuarterHourRow], month: Month, tz: tzinfo
) -> tuple[list[HourFigures], list[DayFigures]]:
    hours: dict[int, Counter[str]] = defaultdict(Counter)
    days: dict[date, Counter[str]] = defaultdict(Counter)
    for r in rows:
        local = datetime.fromtimestamp(int(r.q) * QUARTER_HOUR, UTC).astimezone(tz)
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


def distribution(rows: list[BucketRow]) -> list[ReplyBucket]:
    found = {int(r.bucket): int(r.n) for r in rows}
    lows = (0, *REPLY_BUCKET_EDGES)
    highs: tuple[int | None, ...] = (*REPLY_BUCKET_EDGES, None)
    return [ReplyBucket(lo, hi, found.get(i, 0)) for i, (lo, hi) in enumerate(zip(lows, highs, strict=True))]


@overload
def utc(value: str | datetime) -> datetime: ...
@overload
def utc(value: None) -> None: ...
def utc(value: str | datetime | None) -> datetime | None:
    """A time from a raw query: SQLite gives naive UTC text, other databases a datetime."""
    if value is None:
        return None
    if isinstance(value, str):
        return datetime.fromisoformat(value).replace(tzinfo=UTC)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def fill_lists(fig: MonthFigures, rows: list[ListedRow]) -> None:
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
            utc(received_at),
            round(late_seconds) if late else None,
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

"""The SQL behind the month report: a handful of aggregate queries over one month's requests.

Each query reads the month through the index on received_at and returns only aggregates (or, for
the percentiles, the few rows at the ranks that matter), so the report's cost is the database's
own aggregation however long the history grows. SQLite and PostgreSQL differ only in how seconds
between two times and a time's epoch are written (`_seconds_between`, `_quarter_hour`).

Each query returns its rows as a named tuple of its own (`CubeRow` …), typed as the databases
give them: counts as int, seconds as a number (PostgreSQL's are Decimal), SQLite's raw times as text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, NamedTuple

from sqlalchemy import (
    DateTime,
    Integer,
    String,
    and_,
    case,
    cast,
    func,
    literal,
    or_,
    select,
    true,
    type_coerce,
    union_all,
)
from sqlalchemy.orm import Session
from sqlalchemy.sql import ColumnElement
from sqlmodel import col

from liyuan_tui.domain.models import Charge, FeeItem, Request, Staff

from ..tables import table

R = table(Request).c
C = table(Charge).c
F = table(FeeItem).c

QUARTER_HOUR = 900  # seconds: buckets this small place every real zone's local hour exactly
# Upper edges (seconds) of the reply-time distribution's buckets; the last one is open-ended.
REPLY_BUCKET_EDGES = (60, 120, 300, 600, 900, 1800)
# Percentiles as (numerator, denominator) so ranks are integer arithmetic in SQL and Python alike.
MEDIAN = (1, 2)
P90 = (9, 10)


Number = int | float | Decimal  # what SUM and time arithmetic give back, by database


class CubeRow(NamedTuple):
    category: str | None
    channel: str
    status: str
    outcome_kind: str | None
    handed_to: str | None
    total: int
    replied: int | None
    within: int | None
    due: int | None
    late: int | None
    escalated: int | None
    unacknowledged: int | None
    major: int | None
    confidential: int | None
    resolved: int | None  # closed as resolved (docs/report.md: one definition of resolved)


class StaffCubeRow(NamedTuple):
    created_by: str | None
    replied_by: str | None
    closed_by: str | None
    escalated_by: str | None
    total: int
    replied: int | None
    within: int | None
    closed: int | None
    unreplied_late: int | None  # logged by created_by, past its deadline, no reply yet


class QuarterHourRow(NamedTuple):
    q: int  # quarter hours since the epoch (UTC)
    total: int
    late: int | None


class BucketRow(NamedTuple):
    bucket: int  # index into REPLY_BUCKET_EDGES (the last: above the last edge)
    n: int


class RankRow(NamedTuple):
    dim: str  # all | category | staff | close_all | close_category
    grp: str
    n: int  # the group's size
    i: int  # the rank (from 0)
    secs: Number


class ListedRow(NamedTuple):
    ref: str
    category: str | None
    unit: str
    status: str
    received_at: str | datetime  # SQLite's raw text (reports.month.utc reads it), else a datetime
    escalated: bool
    escalated_to: str | None
    acknowledged_at: str | datetime | None
    acknowledged_by: str | None
    major: bool
    confidential: bool
    assignee: str | None
    replied_by: str | None
    outcome_kind: str | None
    outcome: str | None
    handed_to: str | None
    late: bool
    late_seconds: Number


class FeeRow(NamedTuple):
    item_code: str
    name_zh: str | None
    name_en: str | None
    n: int
    qty: Number | None
    cents: Number | None


@dataclass(frozen=True)
class Window:
    """One month in UTC, and the instant the figures are taken at (for "overdue so far")."""

    start: datetime
    end: datetime
    now: datetime
    estate: str | None = None  # one estate's requests only (None: every estate together)


def _seconds_between(dialect: str, a: Any, b: Any) -> ColumnElement[Any]:
    if dialect == "sqlite":
        # julianday keeps milliseconds; rounding removes the float noise of the subtraction.
        return func.round((func.julianday(b) - func.julianday(a)) * 86400.0, 3)
    return func.extract("epoch", b - a)


def _quarter_hour(dialect: str, col: Any) -> ColumnElement[Any]:
    """Quarter hours since the epoch (UTC): grouped here, turned into local hours and days later."""
    if dialect == "sqlite":
        return cast(func.strftime("%s", col), Integer) // QUARTER_HOUR
    return cast(func.floor(func.extract("epoch", col) / QUARTER_HOUR), Integer)


def _flag(cond: ColumnElement[Any]) -> ColumnElement[Any]:
    return func.sum(case((cond, 1), else_=0))


def conditions(w: Window) -> dict[str, ColumnElement[Any]]:
    """The definitions every figure shares (docs/report.md states them in words). A voided
    request (作废) is in the month (`received`: the cube counts it on a line of its own) but in
    no figure (`counted`, `in_month`)."""
    received = and_(R.received_at >= w.start, R.received_at < w.end)
    if w.estate is not None:
        received = and_(received, R.estate == w.estate)
    counted = R.status != "cancelled"
    in_month = and_(received, counted)
    replied = and_(counted, R.replied_at.is_not(None))
    within = and_(replied, R.replied_at <= R.reply_due_at)
    late = and_(
        counted, or_(R.replied_at > R.reply_due_at, and_(R.replied_at.is_(None), R.reply_due_at < w.now))
    )
    due = and_(counted, or_(R.replied_at.is_not(None), R.reply_due_at < w.now))
    closed = and_(R.status == "closed", R.closed_at.is_not(None))
    # Resolved: closed, and closed as resolved. A reopened request is not (its outcome is gone).
    resolved = and_(closed, R.outcome_kind == "resolved")
    return {
        "received": received,
        "in_month": in_month,
        "resolved": resolved,
        "unreplied_late": and_(counted, R.replied_at.is_(None), R.reply_due_at < w.now),
        "replied": replied,
        "within": within,
        "late": late,
        "due": due,
        "closed": closed,
    }


def cube(s: Session, w: Window) -> list[CubeRow]:
    """Counts by category × channel × status × outcome × department handed to, in one scan;
    every marginal (by category, by channel, …) is summed from these few rows."""
    k = conditions(w)
    stmt = (
        select(
            R.category,
            R.channel,
            R.status,
            R.outcome_kind,
            R.handed_to,
            func.count().label("total"),
            _flag(k["replied"]).label("replied"),
            _flag(k["within"]).label("within"),
            _flag(k["due"]).label("due"),
            _flag(k["late"]).label("late"),
            _flag(R.escalated_at.is_not(None)).label("escalated"),
            _flag(and_(R.escalated_at.is_not(None), R.acknowledged_at.is_(None))).label("unacknowledged"),
            _flag(R.major == true()).label("major"),
            _flag(R.confidential == true()).label("confidential"),
            _flag(k["resolved"]).label("resolved"),
        )
        .where(k["received"])
        .group_by(R.category, R.channel, R.status, R.outcome_kind, R.handed_to)
    )
    return [CubeRow._make(r) for r in s.execute(stmt)]


def staff_cube(s: Session, w: Window) -> list[StaffCubeRow]:
    """Who logged, replied to, closed and escalated the month's requests, in one scan; and the
    requests each logged that are past their deadline with no reply (their share in time is out
    of their replies and these)."""
    k = conditions(w)
    stmt = (
        select(
            R.created_by,
            R.replied_by,
            R.closed_by,
            R.escalated_by,
            func.count().label("total"),
            _flag(k["replied"]).label("replied"),
            _flag(k["within"]).label("within"),
            _flag(R.status == "closed").label("closed"),
            _flag(k["unreplied_late"]).label("unreplied_late"),
        )
        .where(k["in_month"])
        .group_by(R.created_by, R.replied_by, R.closed_by, R.escalated_by)
    )
    return [StaffCubeRow._make(r) for r in s.execute(stmt)]


def quarter_hours(s: Session, w: Window, dialect: str) -> list[QuarterHourRow]:
    """Requests and late ones per UTC quarter hour: local days and hours of day come from these."""
    k = conditions(w)
    q = _quarter_hour(dialect, R.received_at).label("q")
    stmt = (
        select(q, func.count().label("total"), _flag(k["late"]).label("late"))
        .where(k["in_month"])
        .group_by(q)
    )
    return [QuarterHourRow._make(r) for r in s.execute(stmt)]


def reply_distribution(s: Session, w: Window, dialect: str) -> list[BucketRow]:
    """How many replies fell in each reply-time bucket (bucket i: below REPLY_BUCKET_EDGES[i])."""
    k = conditions(w)
    secs = _seconds_between(dialect, R.received_at, R.replied_at)
    bucket = case(
        *[(secs < edge, i) for i, edge in enumerate(REPLY_BUCKET_EDGES)], else_=len(REPLY_BUCKET_EDGES)
    ).label("bucket")
    stmt = select(bucket, func.count().label("n")).where(k["in_month"], k["replied"]).group_by(bucket)
    return [BucketRow._make(r) for r in s.execute(stmt)]


def reply_ranks(s: Session, w: Window, dialect: str) -> list[RankRow]:
    """The reply times (for the whole month, each category and each staff member who replied) and
    the times from receipt to close (the whole month, each category): at the ranks the median and
    the 90th percentile interpolate between, with each group's size.

    The database sorts (window functions); only about four rows per group come back.
    """
    k = conditions(w)
    replies = (
        select(
            R.category.label("category"),
            func.coalesce(R.replied_by, "").label("replied_by"),
            _seconds_between(dialect, R.received_at, R.replied_at).label("secs"),
        )
        .where(k["in_month"], k["replied"])
        .cte("replies")
    )
    closes = (
        select(
            R.category.label("category"), _seconds_between(dialect, R.received_at, R.closed_at).label("secs")
        )
        .where(k["in_month"], k["closed"])
        .cte("closes")
    )

    def ranked(base: Any, dim: str, group: Any) -> Any:
        partition = {"partition_by": group} if group is not None else {}
        return select(
            literal(dim).label("dim"),
            (group if group is not None else literal("")).label("grp"),
            base.c.secs,
            (func.row_number().over(order_by=base.c.secs, **partition) - 1).label("i"),
            func.count().over(**partition).label("n"),
        )

    ranks = union_all(
        ranked(replies, "all", None),
        ranked(replies, "category", replies.c.category),
        ranked(replies, "staff", replies.c.replied_by),
        ranked(closes, "close_all", None),
        ranked(closes, "close_category", closes.c.category),
    ).subquery()
    wanted = []
    for num, den in (MEDIAN, P90):
        low = (ranks.c.n - 1) * num // den
        wanted += [low, low + 1]
    stmt = select(ranks.c.dim, ranks.c.grp, ranks.c.n, ranks.c.i, ranks.c.secs).where(
        or_(*[ranks.c.i == x for x in wanted])
    )
    return [RankRow._make(r) for r in s.execute(stmt)]


def _raw_time(dialect: str, col: Any) -> ColumnElement[Any]:
    """A time column as the driver returns it, read by reports.utc(): SQLite's text (C-fast)
    instead of SQLAlchemy's per-value regex, which dominated the cost of long lists; elsewhere
    the driver's naive UTC datetime, without a call to UTCDateTime's processor per value."""
    return type_coerce(col, String if dialect == "sqlite" else DateTime)


def listed(s: Session, w: Window, dialect: str) -> list[ListedRow]:
    """The month's late, escalated and major requests, for the lists; how late in seconds (to the
    reply; without one, to the closing; still open, to now)."""
    k = conditions(w)
    stop = func.coalesce(R.replied_at, R.closed_at, literal(w.now, R.replied_at.type))
    stmt = (
        select(
            R.ref,
            R.category,
            R.unit,
            R.status,
            _raw_time(dialect, R.received_at).label("received_at"),
            R.escalated_at.is_not(None).label("escalated"),
            R.escalated_to,
            _raw_time(dialect, R.acknowledged_at).label("acknowledged_at"),
            R.acknowledged_by,
            R.major,
            R.confidential,
            R.assignee,
            R.replied_by,
            R.outcome_kind,
            R.outcome,
            R.handed_to,
            k["late"].label("late"),
            _seconds_between(dialect, R.reply_due_at, stop).label("late_seconds"),
        )
        .where(k["in_month"], or_(k["late"], R.escalated_at.is_not(None), R.major == true()))
        .order_by(R.received_at, R.ref)
    )
    return [ListedRow._make(r) for r in s.execute(stmt).all()]  # (all: one fetch, not one a row)


def fees(s: Session, w: Window) -> list[FeeRow]:
    """Paid services on the month's requests, by fee item (names from the FeeItem table)."""
    k = conditions(w)
    stmt = (
        select(
            C.item_code,
            func.max(F.name_zh).label("name_zh"),
            func.max(F.name_en).label("name_en"),
            func.count().label("n"),
            func.sum(C.qty).label("qty"),
            func.sum(C.amount_cents).label("cents"),
        )
        .select_from(
            table(Request)
            .join(table(Charge), C.request_id == R.id)
            .outerjoin(table(FeeItem), F.code == C.item_code)
        )
        .where(k["in_month"])
        .group_by(C.item_code)
        .order_by(C.item_code)
    )
    return [FeeRow._make(r) for r in s.execute(stmt)]


def staff_names(s: Session) -> dict[str, str]:
    return {str(login): str(name) for login, name in s.execute(select(col(Staff.login), col(Staff.name)))}


def estates_in(s: Session, w: Window) -> list[str]:
    """The estates that had requests in the month."""
    return list(
        s.execute(
            select(R.estate)
            .where(R.received_at >= w.start, R.received_at < w.end)
            .group_by(R.estate)
            .order_by(R.estate)
        ).scalars()
    )

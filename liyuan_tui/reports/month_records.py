"""The records a month report is made of: the month itself, reply and close times, a category's,
a person's, an hour's and a day's figures, the reply-time buckets, fees, the requests the lists
name, one month's figures and the report (this month beside the last).

A request belongs to the month of its local reception time (Settings.tz): the month runs from
local midnight on the 1st to local midnight on the 1st of the next month.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, tzinfo

from dateutil.relativedelta import relativedelta

from liyuan_tui.domain import validation as check
from liyuan_tui.domain.errors import ValidationError
from liyuan_tui.domain.models import STATUSES, MonthAnalysis
from liyuan_tui.store.figures import BackOffice, DeskFigures, QualityFigures


@dataclass(frozen=True)
class ReplyStats:
    """Reply times (seconds from reception to the reply) of one group of requests."""

    replied: int = 0
    due: int = 0  # requests that had to be replied to by now (not cancelled)
    within: int = 0  # replied within their category's limit
    median: float | None = None
    p90: float | None = None

    @property
    def within_limit_share(self) -> float | None:
        return self.within / self.due if self.due else None


@dataclass(frozen=True)
class CloseStats:
    """Requests closed (and of them, closed as resolved), and the time from receipt to close."""

    closed: int = 0
    resolved: int = 0
    median: float | None = None
    p90: float | None = None


@dataclass(frozen=True)
class CategoryFigures:
    key: str
    total: int
    late: int
    escalated: int
    major: int
    reply: ReplyStats
    close: CloseStats = CloseStats()


@dataclass(frozen=True)
class StaffFigures:
    """One person's share of the month (for the supervisor's staff assessment)."""

    login: str
    name: str
    logged: int
    replied: int
    closed: int
    escalated: int
    reply: ReplyStats


@dataclass(frozen=True)
class HourFigures:
    hour: int  # local hour of day, 0–23
    total: int
    late: int


@dataclass(frozen=True)
class DayFigures:
    day: date  # local date
    total: int
    late: int


@dataclass(frozen=True)
class ReplyBucket:
    """Replies that took at least `low` and less than `high` seconds (high None: no upper edge)."""

    low: int
    high: int | None
    count: int


@dataclass(frozen=True)
class FeeFigures:
    code: str
    name_zh: str
    name_en: str
    count: int
    qty: float
    amount_cents: int


@dataclass(slots=True)  # not frozen: a frozen dataclass's __init__ is several times slower on long lists
class ListedRequest:
    """A request in the overdue, escalation or major list. A confidential one carries only its
    category, times and figures: ref, unit, names and texts are None."""

    ref: str | None
    category: str
    confidential: bool
    status: str
    received_at: datetime
    late_seconds: int | None  # None: replied in time
    unit: str | None
    holder: str | None
    escalated_to: str | None
    acknowledged_at: datetime | None
    acknowledged_by: str | None
    outcome_kind: str | None
    outcome: str | None
    handed_to: str | None


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
    desk: DeskFigures = field(default_factory=DeskFigures)  # receipts, incidents, visitors, training

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

"""The records a month report is made of: reply and close times, a category's, a person's, an
hour's and a day's figures, the reply-time buckets, fees, and the requests the lists name."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


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
    outcome_kind: str
    outcome: str | None
    handed_to: str | None

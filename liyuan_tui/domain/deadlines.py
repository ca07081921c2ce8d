"""The reply deadline (4.1.2 A: reply within the category's limit, 10 minutes by default).

Pure functions of (request, now): nothing here keeps a counter, so a countdown is always right
however late a tick fires. Replying stops the clock: a replied request keeps the time it had left
(or how late it was) at the moment of the reply.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Protocol

WARNING_WINDOW = timedelta(minutes=3)


class Urgency(StrEnum):
    OK = "ok"
    WARNING = "warning"  # under 3 minutes left
    OVERDUE = "overdue"
    REPLIED = "replied"  # the clock has stopped


class HasDeadline(Protocol):
    received_at: datetime
    reply_due_at: datetime
    replied_at: datetime | None


def reply_due_at(received_at: datetime, limit: timedelta) -> datetime:
    if received_at.tzinfo is None:
        raise ValueError("received_at must be timezone-aware")
    return received_at + limit


def time_left(request: HasDeadline, now: datetime) -> timedelta:
    """Time to the deadline: negative when overdue; frozen at the reply once replied."""
    stop = request.replied_at if request.replied_at is not None else now
    return request.reply_due_at - stop


def seconds_left(request: HasDeadline, now: datetime) -> int:
    """Whole seconds to the deadline, rounded down (so -1 as soon as the deadline has passed)."""
    return math.floor(time_left(request, now).total_seconds())


def is_overdue(request: HasDeadline, now: datetime) -> bool:
    return time_left(request, now) < timedelta(0)


def urgency(request: HasDeadline, now: datetime) -> Urgency:
    if request.replied_at is not None:
        return Urgency.REPLIED
    left = time_left(request, now)
    if left < timedelta(0):
        return Urgency.OVERDUE
    if left < WARNING_WINDOW:
        return Urgency.WARNING
    return Urgency.OK


class UrgencyWatch:
    """Whether a request's urgency changed since the last look (a rung of the warning ladder
    reached), looking at the requests again only once the clock is past the first moment one of
    them can change: a tick of an idle desk costs one comparison, however many requests are open."""

    def __init__(self) -> None:
        self._states: dict[str, Urgency] = {}
        self._holds_until: datetime | None = None  # no urgency changes before then
        self._steady = False  # none changes at all (every request overdue or replied)

    def known(self, requests: Mapping[str, HasDeadline], now: datetime) -> None:
        """The requests as they are now: a new one's urgency is taken as it is (not a change)."""
        self._states = {ref: self._states.get(ref) or urgency(req, now) for ref, req in requests.items()}
        self._holds_until, self._steady = None, False

    def crossed(self, requests: Mapping[str, HasDeadline], now: datetime) -> bool:
        if self._steady or (self._holds_until is not None and now <= self._holds_until):
            return False
        crossed = False
        for ref, req in requests.items():
            state = urgency(req, now)
            crossed = crossed or self._states.get(ref) not in (None, state)
            self._states[ref] = state
        holds = [at for req in requests.values() if (at := urgency_holds_until(req, now)) is not None]
        self._holds_until, self._steady = min(holds, default=None), not holds
        return crossed


def urgency_holds_until(request: HasDeadline, now: datetime) -> datetime | None:
    """The moment after which the request's urgency is no longer what it is at `now` (None: it
    stays: overdue, or replied)."""
    if request.replied_at is not None:
        return None
    for at in (request.reply_due_at - WARNING_WINDOW, request.reply_due_at):
        if now <= at:
            return at
    return None


def replied_within_limit(request: HasDeadline) -> bool | None:
    """Whether the reply came in time; None while nobody has replied."""
    if request.replied_at is None:
        return None
    return request.replied_at <= request.reply_due_at


def format_countdown(seconds: int, lang: str = "zh", width: int | None = None) -> str:
    """`09:41` left, `-01:12` overdue under an hour; beyond, hours and minutes (`-3时05分`,
    `-3h05m`), then days and hours (`-5天11时`, `-5d11h`) — never `-7873:49`. `width` (terminal
    cells, a Chinese character two): a coarser form where the full one does not fit (`-5天`)."""
    sign = "-" if seconds < 0 else ""
    left = abs(seconds)
    if left < 3600:
        minutes, secs = divmod(left, 60)
        return f"{sign}{minutes:02d}:{secs:02d}"
    zh = lang == "zh"
    days, rest = divmod(left, 86400)
    hours, minutes = rest // 3600, rest % 3600 // 60
    if days:
        full, coarse = (f"{days}天{hours}时", f"{days}天") if zh else (f"{days}d{hours}h", f"{days}d")
    else:
        full, coarse = (
            (f"{hours}时{minutes:02d}分", f"{hours}时") if zh else (f"{hours}h{minutes:02d}m", f"{hours}h")
        )
    if width is not None and _cells(sign + full) > width:
        return sign + coarse
    return sign + full


def _cells(text: str) -> int:
    """Terminal cells: a wide (CJK) character counts two."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def queue_order(request: HasDeadline, now: datetime, major: bool) -> tuple[int, int, float]:
    """Sort key, most urgent first: major cases, then requests still waiting for a reply by least
    time left (the earliest deadline: the same order whatever `now` is, so a key once worked out
    holds until the request changes), then replied ones by age."""
    if request.replied_at is None:
        return (0 if major else 1, 0, request.reply_due_at.timestamp())
    return (0 if major else 1, 1, request.received_at.timestamp())

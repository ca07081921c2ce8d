"""Where "now" comes from: the system clock in production, a settable clock in tests.

Domain code never calls datetime.now(); it is handed a Clock (or a `now`) instead.
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta
from typing import Protocol

UTC = UTC


class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant, timezone-aware, in UTC."""
        ...


class SystemClock:
    """The machine's clock."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class FakeClock:
    """A clock that moves only when a test moves it (thread-safe: workers read it too)."""

    def __init__(self, start: datetime | None = None) -> None:
        if start is None:
            start = datetime(2026, 11, 27, 14, 0, tzinfo=UTC)  # 22:00 in Shanghai
        if start.tzinfo is None:
            raise ValueError("FakeClock needs a timezone-aware start")
        self._now = start.astimezone(UTC)
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            return self._now

    def advance(self, seconds: float = 0, **delta: float) -> datetime:
        with self._lock:
            self._now += timedelta(seconds=seconds, **delta)
            return self._now

    def set(self, when: datetime) -> None:
        if when.tzinfo is None:
            raise ValueError("FakeClock.set needs a timezone-aware time")
        with self._lock:
            self._now = when.astimezone(UTC)


# Real time passing, for what waits on the world rather than on the desk's clock (a page being
# sent, a busy catalog): the one place the code sleeps or reads a stopwatch, beside `now`.
def pause(seconds: float) -> None:
    """Wait `seconds` of real time."""
    time.sleep(seconds)


def stopwatch() -> float:
    """Seconds on a clock that only goes forward (for deadlines of a wait, never for records)."""
    return time.monotonic()

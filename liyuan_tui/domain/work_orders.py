"""The rules of a work order and the ledger (pure): which state may follow which, the on-site time
limits of a category and the countdown to them, the warning ladder's rungs for orders, and
quantities and money as the desk writes them.

Times are passed in; nothing here keeps a counter (a countdown is computed from its deadline).
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Protocol

from .procedures import Procedure

# Which states each action may start from (a repair goes 待派工 → 已派工 → 已到场 → 已完工; 待料
# sends the technician away for parts, and `arrive` brings them back on site).
ACTION_FROM: dict[str, tuple[str, ...]] = {
    "dispatch": ("pending", "dispatched", "waiting_parts"),
    "arrive": ("dispatched", "waiting_parts"),
    "wait": ("dispatched", "on_site"),
    "finish": ("on_site",),
    "cancel": ("pending", "dispatched", "on_site", "waiting_parts"),
}
# Roles a work order may be given to.
ON_SITE_ROLES = ("technician", "dept_staff")
# The ladder's warning comes this long before each limit.
WARNING_BEFORE = {"arrive": timedelta(minutes=10), "finish": timedelta(hours=1)}


class OrderUrgency(StrEnum):
    OK = "ok"
    WARNING = "warning"
    LATE = "late"
    NONE = "none"  # no limit applies (the category sets none, or the order is not dispatched yet)
    CLOSED = "closed"  # finished or cancelled: the clock has stopped


class HasOrderTimes(Protocol):
    state: str
    arrived_at: datetime | None
    arrive_due_at: datetime | None
    finish_due_at: datetime | None


def limits_from(base: datetime, proc: Procedure | None) -> tuple[datetime | None, datetime | None]:
    """Arrival and finishing deadlines, counted from the appointment (or the dispatch)."""
    if proc is None:
        return None, None
    arrive = base + proc.arrive_within if proc.arrive_within is not None else None
    finish = base + proc.finish_within if proc.finish_within is not None else None
    return arrive, finish


def next_deadline(order: HasOrderTimes) -> tuple[str, datetime] | None:
    """("arrive" | "finish", when) the order is counting down to now; None without one."""
    if order.state not in ("dispatched", "on_site", "waiting_parts"):
        return None
    if order.arrived_at is None and order.arrive_due_at is not None:
        return "arrive", order.arrive_due_at
    if order.finish_due_at is not None:
        return "finish", order.finish_due_at
    return None


def order_seconds_left(order: HasOrderTimes, now: datetime) -> int | None:
    nxt = next_deadline(order)
    return None if nxt is None else math.floor((nxt[1] - now).total_seconds())


def order_urgency(order: HasOrderTimes, now: datetime) -> OrderUrgency:
    if order.state in ("done", "cancelled"):
        return OrderUrgency.CLOSED
    nxt = next_deadline(order)
    if nxt is None:
        return OrderUrgency.NONE
    which, due = nxt
    if now > due:
        return OrderUrgency.LATE
    if due - now < WARNING_BEFORE[which]:
        return OrderUrgency.WARNING
    return OrderUrgency.OK


def within(done_at: datetime | None, due: datetime | None) -> bool | None:
    """Whether something done by `done_at` met its limit; None when there was no limit or it is
    not done yet."""
    if done_at is None or due is None:
        return None
    return done_at <= due


def order_rungs(order_id: int, order: HasOrderTimes, now: datetime) -> list[tuple[str, str, str]]:
    """(dedupe key, "warning" | "late", "arrive" | "finish") of the ladder rungs an open order
    has reached: the technician is warned before each limit, the supervisor alerted past it."""
    rungs = []
    due: list[tuple[str, datetime | None]] = [("finish", order.finish_due_at)]
    if order.arrived_at is None:
        due.insert(0, ("arrive", order.arrive_due_at))
    if order.state not in ("dispatched", "on_site", "waiting_parts"):
        return []
    for which, when in due:
        if when is None or when - now >= WARNING_BEFORE[which]:
            continue
        if now > when:  # (a terminal opened after the limit does not warn of it first)
            rungs.append((f"order-late:{order_id}:{which}", "late", which))
        else:
            rungs.append((f"order-warn:{order_id}:{which}", "warning", which))
    return rungs


def order_rungs_change_at(order: HasOrderTimes, now: datetime) -> datetime | None:
    """The first moment from `now` on at which `order_rungs` may answer otherwise (a warning
    begins, a limit passes), the order itself unchanged; None: never."""
    if order.state not in ("dispatched", "on_site", "waiting_parts"):
        return None
    due: list[tuple[str, datetime | None]] = [("finish", order.finish_due_at)]
    if order.arrived_at is None:
        due.append(("arrive", order.arrive_due_at))
    moments = [
        at
        for which, when in due
        if when is not None
        for at in (when - WARNING_BEFORE[which], when)
        if at >= now
    ]
    return min(moments, default=None)


def format_clock(seconds: int | None) -> str:
    """`09:41`, `-01:12` under an hour; `23:59:59`, `-1:05:00` beyond; `--` without a limit."""
    if seconds is None:
        return "--"
    sign = "-" if seconds < 0 else ""
    left = abs(seconds)
    if left < 3600:
        return f"{sign}{left // 60:02d}:{left % 60:02d}"
    return f"{sign}{left // 3600}:{left % 3600 // 60:02d}:{left % 60:02d}"


# --- quantities and money -----------------------------------------------------------------------


def format_qty(milli: int) -> str:
    """1500 → "1.5", 2000 → "2", -250 → "-0.25"."""
    sign = "-" if milli < 0 else ""
    whole, part = divmod(abs(milli), 1000)
    return f"{sign}{whole}" + (f".{part:03d}".rstrip("0") if part else "")


def qty_number(milli: int) -> float | int:
    """A quantity for JSON: a whole number stays an integer."""
    return milli // 1000 if milli % 1000 == 0 else milli / 1000


def value_fen(milli: int, price_fen: int) -> int:
    """Quantity × unit price, in fen, rounded half up (as a cashier would)."""
    exact = Decimal(milli) * Decimal(price_fen) / Decimal(1000)
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))

"""The reply deadline as pure functions of (request, now)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from liyuan_tui.domain.deadlines import (
    Urgency,
    format_countdown,
    is_overdue,
    queue_order,
    replied_within_limit,
    reply_due_at,
    seconds_left,
    urgency,
)

T0 = datetime(2026, 11, 27, 14, 0, tzinfo=UTC)


@dataclass
class R:
    received_at: datetime
    reply_due_at: datetime
    replied_at: datetime | None = None


def req(limit_min: float = 10, replied_after: float | None = None) -> R:
    due = reply_due_at(T0, timedelta(minutes=limit_min))
    return R(T0, due, T0 + timedelta(seconds=replied_after) if replied_after is not None else None)


def test_a_fresh_request_has_ten_minutes():
    r = req()
    assert seconds_left(r, T0) == 600
    assert format_countdown(seconds_left(r, T0)) == "10:00"
    assert urgency(r, T0) is Urgency.OK


def test_under_three_minutes_is_a_warning_and_past_the_deadline_is_overdue():
    r = req()
    assert urgency(r, T0 + timedelta(minutes=7)) is Urgency.OK  # exactly 3:00 left
    assert urgency(r, T0 + timedelta(minutes=7, seconds=1)) is Urgency.WARNING
    assert urgency(r, T0 + timedelta(minutes=10)) is Urgency.WARNING  # 00:00, not yet late
    assert urgency(r, T0 + timedelta(minutes=10, microseconds=1)) is Urgency.OVERDUE
    assert format_countdown(seconds_left(r, T0 + timedelta(minutes=11, seconds=12))) == "-01:12"


def test_logged_fifteen_minutes_ago_is_five_minutes_overdue():
    r = req()
    now = T0 + timedelta(minutes=15)
    assert seconds_left(r, now) == -300
    assert is_overdue(r, now)


def test_reply_stops_the_clock():
    r = req(replied_after=130)
    for later in (0, 600, 86_400):
        assert seconds_left(r, T0 + timedelta(seconds=later)) == 470
        assert urgency(r, T0 + timedelta(seconds=later)) is Urgency.REPLIED
    assert replied_within_limit(r) is True
    assert replied_within_limit(req(replied_after=601)) is False
    assert replied_within_limit(req()) is None


def test_naive_received_time_is_refused():
    import pytest

    with pytest.raises(ValueError):
        reply_due_at(datetime(2026, 1, 1), timedelta(minutes=10))


moments = st.integers(min_value=-10_000, max_value=100_000)
limits = st.integers(min_value=1, max_value=7 * 24 * 60)


@given(limit=limits, elapsed=moments)
def test_time_left_plus_time_elapsed_is_the_limit(limit, elapsed):
    r = req(limit)
    now = T0 + timedelta(seconds=elapsed)
    assert seconds_left(r, now) == limit * 60 - elapsed


@given(limit=limits, a=moments, b=moments)
def test_the_countdown_never_goes_up_and_urgency_only_worsens(limit, a, b):
    r = req(limit)
    early, late = sorted((a, b))
    order = [Urgency.OK, Urgency.WARNING, Urgency.OVERDUE]
    assert seconds_left(r, T0 + timedelta(seconds=late)) <= seconds_left(r, T0 + timedelta(seconds=early))
    assert order.index(urgency(r, T0 + timedelta(seconds=late))) >= order.index(
        urgency(r, T0 + timedelta(seconds=early))
    )


@given(limit=limits, reply=st.integers(min_value=0, max_value=100_000), now=moments)
def test_after_a_reply_nothing_moves(limit, reply, now):
    r = req(limit, replied_after=reply)
    assert seconds_left(r, T0 + timedelta(seconds=now)) == limit * 60 - reply
    assert urgency(r, T0 + timedelta(seconds=now)) is Urgency.REPLIED
    assert replied_within_limit(r) is (reply <= limit * 60)


@given(st.integers(min_value=-3599, max_value=3599))
def test_countdown_text_round_trips_under_an_hour(seconds):
    text = format_countdown(seconds)
    sign = -1 if text.startswith("-") else 1
    minutes, secs = text.lstrip("-").split(":")
    assert len(secs) == 2 and len(minutes) == 2
    assert sign * (int(minutes) * 60 + int(secs)) == seconds


@pytest.mark.parametrize(
    ("seconds", "zh", "en", "desk_zh"),
    [
        (-(3 * 3600 + 5 * 60 + 9), "-3时05分", "-3h05m", "-3时"),
        (-(5 * 86400 + 11 * 3600 + 49 * 60), "-5天11时", "-5d11h", "-5天"),
        (-(7873 * 60 + 49), "-5天11时", "-5d11h", "-5天"),  # once printed as -7873:49
        (2 * 3600, "2时00分", "2h00m", "2时"),
    ],
)
def test_beyond_an_hour_the_countdown_says_hours_then_days(seconds, zh, en, desk_zh):
    assert format_countdown(seconds, "zh") == zh and format_countdown(seconds, "en") == en
    assert format_countdown(seconds, "zh", width=6) == desk_zh  # the desk's six cells
    assert format_countdown(seconds, "en", width=6) == en  # (fits as it is)


@given(st.integers(min_value=-(10**8), max_value=10**8), st.sampled_from(["zh", "en"]))
def test_the_desks_countdown_always_fits_its_six_cells(seconds, lang):
    from rich.cells import cell_len

    assert (
        cell_len(format_countdown(seconds, lang, width=6)) <= 6 or abs(seconds) >= 86400 * 1000
    )  # (a thousand days late)


def test_queue_order_puts_major_first_then_least_time_left_then_replied():
    a = req(10)
    b = R(T0 - timedelta(minutes=5), T0 + timedelta(minutes=5))
    c = req(10, replied_after=10)
    now = T0 + timedelta(minutes=1)
    rows = [("a", a, False), ("b", b, False), ("c", c, False), ("m", req(10), True)]
    ordered = sorted(rows, key=lambda row: queue_order(row[1], now, row[2]))
    assert [name for name, *_ in ordered] == ["m", "b", "a", "c"]

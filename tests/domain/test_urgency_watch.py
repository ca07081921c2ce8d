"""The app's tick asks whether a request's urgency changed (a rung of the ladder reached) without
looking at every request each second: only once the clock is past the first moment one can."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from liyuan_tui.domain.deadlines import UrgencyWatch, urgency_holds_until

T0 = datetime(2026, 11, 27, 14, 0, tzinfo=UTC)


@dataclass
class Req:
    received_at: datetime
    reply_due_at: datetime
    replied_at: datetime | None = None


def due_in(minutes: float) -> Req:
    return Req(T0, T0 + timedelta(minutes=minutes))


def test_urgency_holds_until_the_warning_then_the_deadline_then_for_good():
    req = due_in(10)
    assert urgency_holds_until(req, T0) == T0 + timedelta(minutes=7)
    assert urgency_holds_until(req, T0 + timedelta(minutes=8)) == T0 + timedelta(minutes=10)
    assert urgency_holds_until(req, T0 + timedelta(minutes=11)) is None  # overdue stays overdue
    assert urgency_holds_until(Req(T0, T0 + timedelta(minutes=10), replied_at=T0), T0) is None


def test_a_crossing_is_seen_once_and_nothing_is_looked_at_before_it_can_come():
    requests = {"a": due_in(10), "b": due_in(4)}
    watch = UrgencyWatch()
    watch.known(requests, T0)
    assert not watch.crossed(requests, T0 + timedelta(seconds=1))
    looked: list[str] = []

    class Counted(dict):
        def items(self):
            looked.append("items")
            return super().items()

    counted = Counted(requests)
    assert not watch.crossed(counted, T0 + timedelta(seconds=59))  # b warns after 1 minute
    assert looked == []  # not even looked at
    assert watch.crossed(counted, T0 + timedelta(minutes=1, seconds=1))  # b: under 3 minutes
    assert not watch.crossed(counted, T0 + timedelta(minutes=1, seconds=2))
    assert watch.crossed(counted, T0 + timedelta(minutes=7, seconds=1))  # a warns


def test_a_new_request_is_taken_as_it_is_not_as_a_crossing():
    watch = UrgencyWatch()
    watch.known({"a": due_in(10)}, T0)
    late = {"a": due_in(10), "b": due_in(1)}
    watch.known(late, T0 + timedelta(minutes=2))  # b logged already overdue
    assert not watch.crossed(late, T0 + timedelta(minutes=2, seconds=1))

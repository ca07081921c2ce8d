"""Follow-up calls (回访): owed after the close, by the category's days; a call that misses stays
owed, one that reaches the resident settles it, one that finds it not solved reopens the request
(one event, the supervisors told); roles, versions and refusals as for any action."""

from __future__ import annotations

import json
import sqlite3
from datetime import timedelta

import pytest
from backoffice_helpers import close_repair, log_repair

from liyuan_tui.domain.errors import PermissionDenied, StaleError, ValidationError
from liyuan_tui.domain.notices import notices_for


def rows(db_path, sql):
    with sqlite3.connect(db_path) as conn:
        return conn.execute(sql).fetchall()


def test_a_closed_request_owes_a_call_after_its_categorys_days(desk, clock, procedures):
    req = close_repair(desk, log_repair(desk).ref)
    assert req.followup_due_at == clock.now() + timedelta(days=procedures["repair"].followup_days)
    medical = desk.intake.create_request(category="medical", unit="3-1201", phone="138", complete=True)
    assert procedures["medical"].followup_days == 1  # a patient is asked after the next day
    owed = desk.followups.due()
    assert [d.request.ref for d in owed] == [req.ref]
    assert owed[0].due_at == req.followup_due_at and owed[0].attempts == 0
    assert medical.ref not in {d.request.ref for d in owed}  # still open: nothing owed yet


def test_the_most_overdue_comes_first(desk, clock):
    first = close_repair(desk, log_repair(desk, unit="1-101").ref)
    clock.advance(3600)
    second = close_repair(desk, log_repair(desk, unit="1-102").ref)
    clock.advance(86400 * 5)
    owed = desk.followups.due()
    assert [d.request.ref for d in owed] == [first.ref, second.ref]
    assert owed[0].overdue_seconds(clock.now()) > owed[1].overdue_seconds(clock.now()) > 0


def test_a_withdrawn_request_owes_no_call(desk):
    req = close_repair(desk, log_repair(desk).ref, kind="withdrawn")
    assert req.followup_due_at is None and desk.followups.due() == []


def test_a_missed_call_stays_owed_and_is_counted(desk, db_path):
    ref = close_repair(desk, log_repair(desk).ref).ref
    done = desk.followups.record(ref, reached="no", note="无人接听")
    assert not done.reopened and done.attempts == 1
    assert done.request.status == "closed" and done.request.followup_due_at is not None
    again = desk.followups.record(ref, reached=False)
    assert again.attempts == 2
    owed = desk.followups.due()
    assert owed[0].attempts == 2 and owed[0].last_attempt_at == again.followup.at


def test_reaching_the_resident_settles_the_call(desk, db_path):
    ref = close_repair(desk, log_repair(desk).ref).ref
    done = desk.followups.record(ref, reached="yes", score="5", solved="yes", note="很满意")
    assert done.request.followup_due_at is None and desk.followups.due() == []
    assert rows(db_path, "SELECT reached, score, solved, note, by FROM followup") == [
        (1, 5, 1, "很满意", "ann")
    ]
    events = desk.lookup.detail(ref).events
    assert events[-1].kind == "followup"
    assert json.loads(events[-1].payload) == {
        "reached": True,
        "score": 5,
        "solved": True,
        "reopened": False,
        "note": "很满意",
    }
    with pytest.raises(ValidationError) as err:  # a second terminal recording the same call
        desk.followups.record(ref, reached="yes", score=4)
    assert err.value.key == "error.followup_already"


def test_not_solved_reopens_the_request_in_one_event_and_tells_the_supervisors(staff, desk, clock):
    ref = close_repair(desk, log_repair(desk).ref).ref
    before = len(desk.lookup.detail(ref).events)
    done = desk.followups.record(ref, reached="yes", score=2, solved="no", note="还在漏")
    req = done.request
    assert done.reopened and req.status == "replied" and req.closed_at is None and req.followup_due_at is None
    events = desk.lookup.detail(ref).events
    assert len(events) == before + 1 and events[-1].kind == "followup"
    assert json.loads(events[-1].payload)["reopened"] is True
    assert ref in {r.ref for r in desk.lookup.open_requests()}  # back in the queue
    changes = [(e, req) for e in events[-1:]]
    for role, told in (
        ("cs_supervisor", True),
        ("manager", True),
        ("security_lead", False),
        ("guard", False),
    ):
        viewer = staff[role].staff.me()
        assert [n.kind for n in notices_for(changes, viewer, staff[role].procedures)] == (
            ["followup_reopened"] if told else []
        ), role
    # closing it again owes a new call
    clock.advance(3600)
    again = close_repair(desk, ref)
    assert again.followup_due_at == clock.now() + timedelta(days=3)
    assert [d.request.ref for d in desk.followups.due()] == [ref]


def test_reopening_by_hand_drops_the_call_owed(desk):
    ref = close_repair(desk, log_repair(desk).ref).ref
    desk.lifecycle.reopen(ref, "求助人来电说还没修好")
    assert desk.lookup.get_request(ref).followup_due_at is None and desk.followups.due() == []


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"reached": "maybe"}, "reached"),
        ({"reached": "no", "score": 3}, "score"),
        ({"reached": "no", "solved": "yes"}, "solved"),
        ({"reached": "yes", "score": 6}, "score"),
        ({"reached": "yes", "score": "x"}, "score"),
        ({"reached": "yes", "solved": "perhaps"}, "solved"),
        ({"reached": "yes", "note": "a\x1b[2Jb"}, "note"),
        ({"reached": "yes", "note": "x" * 5000}, "note"),
    ],
)
def test_bad_calls_are_refused_naming_the_field_and_write_nothing(desk, db_path, kwargs, field):
    ref = close_repair(desk, log_repair(desk).ref).ref
    events = rows(db_path, "SELECT count(*) FROM event")
    with pytest.raises(ValidationError) as err:
        desk.followups.record(ref, **kwargs)
    assert err.value.field == field
    assert rows(db_path, "SELECT count(*) FROM event") == events
    assert rows(db_path, "SELECT count(*) FROM followup") == [(0,)]


def test_an_open_request_has_nothing_to_follow_up(desk):
    ref = log_repair(desk).ref
    with pytest.raises(ValidationError) as err:
        desk.followups.record(ref, reached="yes")
    assert err.value.key == "error.followup_not_closed"


@pytest.mark.parametrize(
    "role, allowed",
    [
        ("assistant", True),
        ("cs_supervisor", True),
        ("manager", True),
        ("security_lead", False),
        ("guard", False),
        ("dept_staff", False),
    ],
)
def test_the_desk_makes_the_calls(staff, role, allowed):
    desk = staff["assistant"]
    ref = close_repair(desk, log_repair(desk).ref).ref
    if allowed:
        assert staff[role].followups.record(ref, reached="yes", score=4).followup.by == staff[role].login
        return
    with pytest.raises(PermissionDenied):
        staff[role].followups.record(ref, reached="yes")
    with pytest.raises(PermissionDenied):
        staff[role].followups.due()


def test_a_call_from_a_stale_screen_is_refused(desk, staff):
    ref = close_repair(desk, log_repair(desk).ref).ref
    seen = desk.lookup.get_request(ref).version
    staff["cs_supervisor"].followups.record(ref, reached="no")
    with pytest.raises(StaleError):
        desk.followups.record(ref, reached="yes", expected_version=seen)

"""The deadline's warning ladder: recorded once per rung however many terminals notice it."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys

import pytest

from liyuan_tui.domain.notices import notices_for


def ladder_events(store, ref):
    return [(e.kind, e.actor) for e in store.lookup.detail(ref).events if e.dedupe_key]


def test_the_ladder_warns_then_escalates_then_repeats_every_five_minutes(staff, clock):
    desk, sup = staff["assistant"], staff["cs_supervisor"]
    req = desk.intake.create_request(category="B", unit="1", phone="123")
    assert desk.ladder.record_deadline_alerts() == []
    clock.advance(minutes=7, seconds=1)  # under 3 minutes left
    assert [e.kind for e in desk.ladder.record_deadline_alerts()] == ["deadline_warning"]
    assert sup.ladder.record_deadline_alerts() == []  # a second terminal finds it recorded
    clock.advance(minutes=3)  # past the deadline
    written = sup.ladder.record_deadline_alerts()
    assert [e.kind for e in written] == ["auto_escalated"]
    assert json.loads(written[0].payload)["noticed_by"] == "sup"
    after = desk.lookup.get_request(req.ref)
    assert after.escalated_by == "system" and after.escalated_to == "cs_supervisor"
    assert after.version == req.version  # a system annotation: the form is not made stale
    clock.advance(minutes=5)
    assert [e.kind for e in desk.ladder.record_deadline_alerts()] == ["overdue_alert"]
    assert desk.ladder.record_deadline_alerts() == []
    clock.advance(minutes=5)
    assert [e.kind for e in sup.ladder.record_deadline_alerts()] == ["overdue_alert"]
    desk.lifecycle.mark_replied(req.ref)
    clock.advance(minutes=30)
    assert desk.ladder.record_deadline_alerts() == []  # replied: the ladder stops
    assert ladder_events(desk, req.ref) == [
        ("deadline_warning", "system"),
        ("auto_escalated", "system"),
        ("overdue_alert", "system"),
        ("overdue_alert", "system"),
    ]


def test_a_terminal_opened_late_does_not_replay_old_alerts(desk, clock):
    req = desk.intake.create_request(category="B", unit="1", phone="123")
    clock.advance(minutes=10 + 23)
    kinds = [e.kind for e in desk.ladder.record_deadline_alerts()]
    assert kinds == ["auto_escalated", "overdue_alert"]
    assert [
        json.loads(e.payload)["late_seconds"] for e in desk.lookup.detail(req.ref).events if e.dedupe_key
    ] == [1380, 1380]


def test_who_is_told_about_the_ladder(staff, clock, procedures):
    desk = staff["assistant"]
    desk.intake.create_request(category="B", unit="1", phone="123")
    last = desk.lookup.last_event_id()
    clock.advance(minutes=8)
    desk.ladder.record_deadline_alerts()
    clock.advance(minutes=3)
    desk.ladder.record_deadline_alerts()
    changes = desk.lookup.changes_since(last)
    told = {
        role: [n.kind for n in notices_for(changes, st.staff.me(), procedures)] for role, st in staff.items()
    }
    assert told["assistant"] == ["deadline_warning", "overdue"]
    assert told["cs_supervisor"] == ["overdue"] and told["manager"] == ["overdue"]
    assert told["guard"] == [] and told["security_lead"] == []


WATCHER = """
import sys
from liyuan_tui.domain.clock import FakeClock
from liyuan_tui.store import Store
from datetime import datetime, timezone
clock = FakeClock(datetime.fromisoformat(sys.argv[2]))
st = Store(sys.argv[1], clock, sys.argv[3])
print(len(st.ladder.record_deadline_alerts()))
"""


@pytest.mark.e2e
def test_several_processes_noticing_at_once_record_each_rung_once(staff, clock, db_url, db_path):
    desk = staff["assistant"]
    for _ in range(20):
        desk.intake.create_request(category="B", unit="1", phone="123")
    clock.advance(minutes=16)
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WATCHER, db_url, clock.now().isoformat(), login],
            stdout=subprocess.PIPE,
            text=True,
        )
        for login in ("ann", "sup", "mgr", "lead")
    ]
    counts = [int(p.communicate(timeout=120)[0]) for p in procs]
    assert sum(counts) == 40  # 20 auto-escalations + 20 repeats, whoever wrote them
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT count(*) FROM event WHERE dedupe_key IS NOT NULL").fetchone()[0] == 40


def test_events_cannot_be_changed_even_with_another_client(desk, db_path):
    desk.intake.create_request()
    with sqlite3.connect(db_path) as conn:
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            conn.execute("UPDATE event SET actor = 'someone else'")
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            conn.execute("DELETE FROM event")

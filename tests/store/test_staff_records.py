"""Training and assessment records (培训、考核): supervisors and the manager record them, each
person sees their own, one event each."""

from __future__ import annotations

import json
import sqlite3

import pytest

from liyuan_tui.domain.errors import PermissionDenied, ValidationError


def test_a_course_and_an_assessment_are_recorded_and_read_back(staff):
    sup = staff["cs_supervisor"]
    sup.staff_records.train("ann", course="消防安全培训", day="2026-11-02", hours="3.5", result="合格")
    sup.staff_records.assess("ann", month="2026-11", score="88", note="回复及时")
    rec = staff["assistant"].staff_records.records("ann")  # her own
    assert [(t.course, t.hours, t.result) for t in rec.trainings] == [("消防安全培训", 3.5, "合格")]
    assert [(a.month, a.score, a.by) for a in rec.assessments] == [("2026-11", 88, "sup")]


def test_assessing_again_replaces_it_and_the_event_keeps_the_old_score(staff, db_path):
    sup, mgr = staff["cs_supervisor"], staff["manager"]
    sup.staff_records.assess("ann", month="2026-11", score=80, note="初评")
    mgr.staff_records.assess("ann", month="2026-11", score=85, note="复核")
    rec = sup.staff_records.records("ann")
    assert [(a.score, a.by) for a in rec.assessments] == [(85, "mgr")]
    with sqlite3.connect(db_path) as conn:
        payloads = [
            json.loads(p) for (p,) in conn.execute("SELECT payload FROM event WHERE kind = 'assessed'")
        ]
    assert payloads[-1]["replaces"] == {"score": 80, "by": "sup"}


@pytest.mark.parametrize("role", ["assistant", "security_lead", "guard", "dept_staff"])
def test_only_supervisors_and_the_manager_record_them(staff, role):
    with pytest.raises(PermissionDenied):
        staff[role].staff_records.train("gd", course="x", day="2026-11-02")
    with pytest.raises(PermissionDenied):
        staff[role].staff_records.assess("gd", month="2026-11", score=50, note="x")


def test_nobody_assesses_themselves(staff):
    with pytest.raises(PermissionDenied):
        staff["cs_supervisor"].staff_records.assess("sup", month="2026-11", score=100, note="我很好")


def test_others_records_are_for_supervisors_only(staff):
    with pytest.raises(PermissionDenied):
        staff["assistant"].staff_records.records("gd")
    assert staff["manager"].staff_records.records("gd").staff.login == "gd"


@pytest.mark.parametrize(
    "call, field",
    [
        (lambda r: r.train("ann", course="", day="2026-11-02"), "course"),
        (lambda r: r.train("ann", course="x", day="2026-13-02"), "date"),
        (lambda r: r.train("ann", course="x", day="2026-11-02", hours="-1"), "hours"),
        (lambda r: r.train("ann", course="x\x1b]0;t\x07", day="2026-11-02"), "course"),
        (lambda r: r.train("nobody", course="x", day="2026-11-02"), "login"),
        (lambda r: r.assess("ann", month="2026-11", score="101", note="x"), "score"),
        (lambda r: r.assess("ann", month="11/2026", score="50", note="x"), "month"),
        (lambda r: r.assess("ann", month="2026-11", score="50", note=""), "note"),
    ],
)
def test_bad_records_are_refused_naming_the_field(staff, db_path, call, field):
    with sqlite3.connect(db_path) as conn:
        before = conn.execute("SELECT count(*) FROM event").fetchone()[0]
    with pytest.raises(ValidationError) as err:
        call(staff["cs_supervisor"].staff_records)
    assert err.value.field == field
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT count(*) FROM event").fetchone()[0] == before

"""The household file (一户一档): the archive's residents are its people, the desk adds the
emergency contact, flags and notes (one event per edit, a compare-and-set on its version), and
each role sees what its job needs."""

from __future__ import annotations

import json
import sqlite3

import pytest
from backoffice_helpers import close_repair, log_repair

from liyuan_tui.domain.errors import PermissionDenied, StaleError, ValidationError
from liyuan_tui.domain.imports import parse_residents

UNIT = "3栋1202"


def events(db_path, kind):
    with sqlite3.connect(db_path) as conn:
        return [json.loads(p) for (p,) in conn.execute("SELECT payload FROM event WHERE kind = ?", (kind,))]


@pytest.fixture
def household(staff, desk):
    csv = f"unit,name,phones,relation\n{UNIT},张阿姨,13911111202,户主\n".encode()
    staff["cs_supervisor"].imports.import_residents(parse_residents(csv))
    desk.households.edit(
        UNIT,
        elderly_alone="yes",
        language="粤语",
        emergency_name="张先生",
        emergency_relation="儿子",
        emergency_phone="13922221202",
        notes="钥匙放在邻居1201",
    )
    close_repair(desk, log_repair(desk, unit=UNIT).ref)
    return UNIT


def test_imported_residents_are_the_households_people_and_intake_still_finds_them(desk, household):
    f = desk.households.household(UNIT)
    assert [(p.name, p.relation, p.phones) for p in f.people] == [("张阿姨", "户主", "13911111202")]
    assert f.flags == ["elderly_alone", "language"] and f.household.language == "粤语"
    desk.households.edit(UNIT, person="张小明", relation="孙子", phones="13933331202, 13944441202")
    found = desk.archive.residents_matching("1393333")
    assert [(r.unit, r.name) for r in found] == [(UNIT, "张小明")]  # the look-up as the form types


def test_each_edit_is_one_event_and_bumps_the_version(desk, household, db_path):
    before = desk.households.household(UNIT).version
    desk.households.edit(UNIT, disability="yes")
    desk.households.edit(UNIT, person="张阿姨", phones="13911111203")
    after = desk.households.household(UNIT)
    assert after.version == before + 2
    changed = events(db_path, "household_changed")
    assert changed[-2] == {"unit": UNIT, "disability": [False, True]}
    assert changed[-1]["person"] == "张阿姨" and changed[-1]["person_phones"] == [
        "13911111202",
        "13911111203",
    ]


def test_an_edit_from_a_stale_screen_is_refused(desk, staff, household):
    seen = desk.households.household(UNIT).version
    staff["cs_supervisor"].households.edit(UNIT, notes="新备注")
    with pytest.raises(StaleError):
        desk.households.edit(UNIT, notes="旧屏幕上的备注", expected_version=seen)
    assert desk.households.household(UNIT).household.notes == "新备注"


def test_the_history_has_requests_charges_and_calls_newest_first(desk, household, clock):
    ref = desk.households.household(UNIT).history[0].request.ref
    clock.advance(86400)
    desk.followups.record(ref, reached="yes", score=4, solved="yes")
    kinds = [x.kind for x in desk.households.household(UNIT).history]
    assert kinds == ["followup", "request"]


# What each role sees: the desk everything, security whom to call and the flags, others the flags
# and who lives there; nobody outside the desk sees phones, notes or the unit's history.
VIEWS = {
    "assistant": {"flags", "people", "phones", "emergency_contact", "notes", "history"},
    "cs_supervisor": {"flags", "people", "phones", "emergency_contact", "notes", "history"},
    "manager": {"flags", "people", "phones", "emergency_contact", "notes", "history"},
    "security_lead": {"flags", "people", "emergency_contact"},
    "guard": {"flags", "people", "emergency_contact"},
    "dept_staff": {"flags", "people"},
}


@pytest.mark.parametrize("role", list(VIEWS))
def test_each_role_sees_what_its_job_needs(staff, household, role):
    f = staff[role].households.household(UNIT)
    assert f.parts == VIEWS[role]
    assert f.flags == ["elderly_alone", "language"]  # every role sees the flags
    assert bool(f.history) is ("history" in VIEWS[role])
    assert (f.household.notes == "钥匙放在邻居1201") is ("notes" in VIEWS[role])
    assert (f.household.emergency_phone == "13922221202") is ("emergency_contact" in VIEWS[role])
    assert [p.phones for p in f.people] == (["13911111202"] if "phones" in VIEWS[role] else [""])


@pytest.mark.parametrize("role", ["security_lead", "guard", "dept_staff"])
def test_only_the_desk_edits_the_file(staff, household, role):
    with pytest.raises(PermissionDenied):
        staff[role].households.edit(UNIT, notes="x")


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"notes": "a\x07b"}, "notes"),
        ({"language": "\u202eevil"}, "language"),
        ({"elderly_alone": "sometimes"}, "elderly_alone"),
        ({"emergency_phone": "call me"}, "emergency_phone"),
        ({"relation": "户主"}, "person"),
        ({"person": "张阿姨", "remove_person": "张阿姨"}, "remove_person"),
        ({"remove_person": "nobody"}, "remove_person"),
        ({}, None),
    ],
)
def test_bad_edits_are_refused_naming_the_field_and_write_nothing(desk, household, db_path, kwargs, field):
    before = len(events(db_path, "household_changed"))
    with pytest.raises(ValidationError) as err:
        desk.households.edit(UNIT, **kwargs)
    assert err.value.field == field
    assert len(events(db_path, "household_changed")) == before


def test_a_person_can_be_removed(desk, household):
    desk.households.edit(UNIT, remove_person="张阿姨")
    assert desk.households.household(UNIT).people == []

"""The store: one transaction and one event per action, optimistic versions, nothing written on
bad input, the rules that keep a request from closing too early."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, timedelta

import pytest

from liyuan_tui.domain.errors import NotFound, PermissionDenied, StaleError, UnknownUser, ValidationError


def count(db_path, table: str) -> int:
    with sqlite3.connect(db_path) as conn:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def kinds(store, ref: str) -> list[str]:
    return [e.kind for e in store.lookup.detail(ref).events]


def log_medical(store, **extra):
    fields = dict(category="A", unit="3-1201", phone="13800000000", complete=True)
    fields.update(extra)
    return store.intake.create_request(**fields)


def test_sqlite_is_tuned_for_several_terminals(supervisor, db_path):
    with supervisor.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000


def test_the_database_file_is_never_world_readable(supervisor, db_path):
    assert db_path.stat().st_mode & 0o007 == 0


def test_the_first_user_of_a_new_database_becomes_a_supervisor(store_for):
    st = store_for("first")
    me, first = st.staff.ensure_identity()
    assert first and me.role == "cs_supervisor"
    again, first_again = store_for("first").staff.ensure_identity()
    assert not first_again and again.role == "cs_supervisor"


def test_an_unknown_login_is_refused_with_how_to_be_added(supervisor, store_for):
    with pytest.raises(UnknownUser) as err:
        store_for("stranger").staff.ensure_identity()
    assert "liyuan staff add stranger" in str(err.value)


def test_a_deactivated_login_is_refused(supervisor, store_for):
    supervisor.staff.add_staff("gone", "Gone", "assistant")
    supervisor.staff.update_staff("gone", active=False)
    with pytest.raises(UnknownUser):
        store_for("gone").staff.ensure_identity()
    with pytest.raises(UnknownUser):
        store_for("gone").intake.create_request()


def test_a_new_request_starts_the_clock_at_once(desk, clock):
    req = desk.intake.create_request()
    assert req.received_at == clock.now()
    assert req.reply_due_at == clock.now() + timedelta(minutes=10)
    assert req.status == "open" and req.ref == "202611-0001"
    assert req.assignee == "ann"  # the assistant who took the call holds it
    assert kinds(desk, req.ref) == ["created"]


def test_refs_count_up_within_the_local_month(desk, clock):
    from datetime import datetime

    clock.set(datetime(2026, 11, 30, 15, 59, tzinfo=UTC))  # 23:59 on the 30th in Shanghai
    assert desk.intake.create_request().ref == "202611-0001"
    clock.advance(minutes=2)  # 00:01 on 1 December, local
    assert desk.intake.create_request().ref == "202612-0001"
    assert desk.intake.create_request().ref == "202612-0002"


def test_choosing_the_category_sets_its_deadline(desk, clock):
    req = desk.intake.create_request()
    clock.advance(60)
    req = desk.intake.update_fields(req.ref, category="medical", unit="3-1201")
    assert req.category == "medical" and req.reply_due_at == req.received_at + timedelta(minutes=10)
    events = desk.lookup.detail(req.ref).events
    assert events[-1].kind == "updated"
    assert json.loads(events[-1].payload) == {"category": ["", "medical"], "unit": ["", "3-1201"]}


def test_every_action_is_one_event(desk, db_path):
    req = log_medical(desk)
    desk.intake.update_fields(req.ref, description="胸口疼")
    desk.lifecycle.tick_step(req.ref, "patient_address", value="3-1201")
    desk.lifecycle.tick_step(req.ref, "contact_phone", value="13800000000")
    desk.lifecycle.choose_branch(req.ref, "ambulance")
    desk.lifecycle.mark_replied(req.ref)
    desk.lifecycle.escalate(req.ref)
    desk.lifecycle.set_major(req.ref)
    assert kinds(desk, req.ref) == [
        "created",
        "updated",
        "step",
        "step",
        "branch",
        "replied",
        "escalated",
        "major",
    ]
    staff_events = 7  # the first supervisor and the six staff the fixture adds
    assert count(db_path, "event") == len(kinds(desk, req.ref)) + staff_events
    assert desk.lookup.get_request(req.ref).version == 8


def test_bad_input_names_the_field_and_writes_nothing(desk, db_path):
    before = (count(db_path, "request"), count(db_path, "event"))
    cases = [
        (dict(category="Z"), "category"),
        (dict(category="A", unit="", phone="123", complete=True), "unit"),
        (dict(category="A", unit="1", phone="12ab", complete=True), "phone"),
        (dict(channel="fax"), "channel"),
        (dict(requester_name="x" * 41), "name"),
    ]
    for fields, field in cases:
        with pytest.raises(ValidationError) as err:
            desk.intake.create_request(**fields)
        assert err.value.field == field
    req = desk.intake.create_request()
    before = (count(db_path, "request"), count(db_path, "event"))
    with pytest.raises(ValidationError):
        desk.intake.update_fields(req.ref, unit="ok", phone="nonsense")  # one bad field: nothing saved
    assert (count(db_path, "request"), count(db_path, "event")) == before
    assert desk.lookup.get_request(req.ref).unit == ""


def test_a_stale_write_names_who_changed_the_request(desk, supervisor, clock):
    req = desk.intake.create_request()
    seen = req.version
    clock.advance(30)
    supervisor.intake.update_fields(req.ref, unit="5-302")
    with pytest.raises(StaleError) as err:
        desk.intake.update_fields(req.ref, expected_version=seen, unit="3-1201")
    assert "sup" in str(err.value) and "22:00:30" in str(err.value)
    assert desk.lookup.get_request(req.ref).unit == "5-302"  # never overwritten


def test_taking_a_request_someone_holds_says_who(staff):
    desk, sup = staff["assistant"], staff["cs_supervisor"]
    req = sup.intake.create_request()
    desk.lifecycle.take(req.ref)
    with pytest.raises(StaleError) as err:
        staff["manager"].lifecycle.take(req.ref)
    assert "ann" in str(err.value)


def test_reply_stops_the_clock_and_cannot_be_given_twice(desk, clock):
    req = desk.intake.create_request(category="B")
    clock.advance(minutes=12)
    req = desk.lifecycle.mark_replied(req.ref)
    assert req.status == "replied" and req.replied_at == clock.now()
    assert json.loads(desk.lookup.detail(req.ref).events[-1].payload) == {"late_seconds": 120}
    with pytest.raises(ValidationError):
        desk.lifecycle.mark_replied(req.ref)


def test_steps_wait_for_the_address_and_phone_first(desk):
    req = log_medical(desk)
    with pytest.raises(ValidationError) as err:
        desk.lifecycle.tick_step(req.ref, "ambulance_condition", note="胸痛")
    assert "Ask where the patient is" in str(err.value) and "patient_address" not in str(err.value)


def test_a_step_that_asks_for_a_value_needs_one(desk):
    req = log_medical(desk)
    with pytest.raises(ValidationError) as err:
        desk.lifecycle.tick_step(req.ref, "patient_address")
    assert err.value.field == "value"
    with pytest.raises(ValidationError):
        desk.lifecycle.tick_step(req.ref, "no_such_step")


def test_ticking_a_step_of_another_branch_adds_that_branch(desk):
    req = log_medical(desk)
    desk.lifecycle.tick_step(req.ref, "patient_address", value="3-1201")
    desk.lifecycle.tick_step(req.ref, "contact_phone", value="138")
    req = desk.lifecycle.tick_step(req.ref, "ambulance_condition", note="胸痛")
    assert req.branch_list == ["ambulance"]
    assert json.loads(desk.lookup.detail(req.ref).events[-1].payload)["branch_added"] == "ambulance"


def walk_ambulance(store, ref):
    store.lifecycle.tick_step(ref, "patient_address", value="3-1201")
    store.lifecycle.tick_step(ref, "contact_phone", value="138")
    store.lifecycle.tick_step(ref, "ask_help_wanted")
    store.lifecycle.choose_branch(ref, "ambulance")
    for key, kw in (
        ("ambulance_condition", {"note": "胸痛"}),
        ("ambulance_call_120", {"value": "22:03 受理"}),
        ("ambulance_tell_requester", {}),
        ("ambulance_notify_security", {}),
        ("ambulance_gate_ready", {"value": "小李"}),
        ("ambulance_guide", {}),
        ("ambulance_report_back", {}),
        ("ambulance_record", {"note": "已送医"}),
        ("report_supervisor", {}),
    ):
        store.lifecycle.tick_step(ref, key, **kw)


def test_closing_needs_reply_branch_and_required_steps(desk):
    req = log_medical(desk)
    with pytest.raises(ValidationError) as err:
        desk.lifecycle.close_request(req.ref, "done")
    assert err.value.key == "error.close_not_replied"
    desk.lifecycle.mark_replied(req.ref)
    with pytest.raises(ValidationError) as err:
        desk.lifecycle.close_request(req.ref, "done")
    assert err.value.key == "error.close_branch_missing"
    walk_ambulance(desk, req.ref)
    req = desk.lifecycle.close_request(req.ref, "救护车已接走病人")
    assert req.status == "closed" and req.outcome_kind == "resolved"
    with pytest.raises(ValidationError):
        desk.lifecycle.tick_step(req.ref, "ambulance_guide")  # closed: nothing more until reopened


def test_a_major_request_cannot_close_until_the_manager_is_informed(desk):
    req = log_medical(desk, major=True)
    desk.lifecycle.mark_replied(req.ref)
    walk_ambulance(desk, req.ref)
    with pytest.raises(ValidationError) as err:
        desk.lifecycle.close_request(req.ref, "done")
    assert "inform the company manager" in str(err.value) and "manager_informed" not in str(err.value)
    desk.lifecycle.tick_step(req.ref, "manager_informed", value="22:05 电话告知")
    assert desk.lifecycle.close_request(req.ref, "done").status == "closed"


def test_handed_on_must_say_to_whom(desk):
    req = desk.intake.create_request(category="B", unit="1", phone="123")
    desk.lifecycle.mark_replied(req.ref)
    desk.lifecycle.tick_step(req.ref, "fault", value="水管漏水")
    desk.lifecycle.tick_step(req.ref, "dispatch", value="维修工小王")
    desk.lifecycle.tick_step(req.ref, "record", note="已派人")
    with pytest.raises(ValidationError) as err:
        desk.lifecycle.close_request(req.ref, "转工程部", kind="handed_on")
    assert err.value.field == "handed_to"
    with pytest.raises(ValidationError) as err:  # handed on, it stays with the desk until someone hears back
        desk.lifecycle.close_request(req.ref, "转工程部处理", handed_to="工程维修部")
    assert err.value.key == "error.handed_on_no_result"
    desk.lifecycle.tick_step(req.ref, "resident_informed", value="电话告知,求助人满意")
    req = desk.lifecycle.close_request(req.ref, "转工程部处理", handed_to="工程维修部")
    assert req.outcome_kind == "handed_on" and req.handed_to == "工程维修部"


def test_reopen_is_an_event_not_an_edit(desk):
    req = desk.intake.create_request(category="B", unit="1", phone="123")
    desk.lifecycle.mark_replied(req.ref)
    for key, kw in (("fault", {"value": "x"}), ("dispatch", {"value": "y"}), ("record", {"note": "z"})):
        desk.lifecycle.tick_step(req.ref, key, **kw)
    desk.lifecycle.close_request(req.ref, "fixed")
    req = desk.lifecycle.reopen(req.ref, "又漏水了")
    assert req.status == "replied" and req.closed_at is None
    assert kinds(desk, req.ref)[-2:] == ["closed", "reopened"]


def test_cancel_needs_a_reason_and_keeps_the_record(desk):
    req = desk.intake.create_request()
    with pytest.raises(ValidationError):
        desk.lifecycle.cancel(req.ref, "")
    req = desk.lifecycle.cancel(req.ref, "重复登记")
    assert req.status == "cancelled"
    assert req.ref not in {r.ref for r in desk.lookup.open_requests()}


def test_roles_are_enforced_in_the_store(staff):
    req = staff["assistant"].intake.create_request(category="A", unit="1", phone="123", complete=True)
    with pytest.raises(PermissionDenied):
        staff["guard"].intake.create_request()
    with pytest.raises(PermissionDenied):
        staff["guard"].lifecycle.mark_replied(req.ref)
    with pytest.raises(PermissionDenied):
        staff["assistant"].staff.add_staff("x", "X", "guard")
    with pytest.raises(PermissionDenied):
        staff["guard"].lifecycle.tick_step(req.ref, "patient_address", value="1")  # the assistant's step


def test_an_escalated_request_is_closed_only_by_a_supervisor(staff):
    desk, sup = staff["assistant"], staff["cs_supervisor"]
    req = desk.intake.create_request(category="G", unit="1", phone="123")
    desk.lifecycle.mark_replied(req.ref)
    desk.lifecycle.escalate(req.ref)
    desk.lifecycle.tick_step(req.ref, "need", note="借梯子")
    desk.lifecycle.tick_step(req.ref, "record", note="已借")
    with pytest.raises(PermissionDenied):
        desk.lifecycle.close_request(req.ref, "done")
    assert sup.lifecycle.close_request(req.ref, "done").status == "closed"


def test_unknown_ref(desk):
    with pytest.raises(NotFound):
        desk.lifecycle.mark_replied("202611-9999")


def test_events_are_never_rewritten(desk, db_path):
    req = desk.intake.create_request()
    first = desk.lookup.detail(req.ref).events[0]
    desk.intake.update_fields(req.ref, unit="1")
    desk.intake.update_fields(req.ref, unit="2")
    again = desk.lookup.detail(req.ref).events[0]
    assert (again.id, again.at, again.payload) == (first.id, first.at, first.payload)
    assert desk.lookup.last_event_id() == max(e.id for e in desk.lookup.detail(req.ref).events)
    assert [(e.kind, r.ref) for e, r in desk.lookup.changes_since(first.id)] == [("updated", req.ref)] * 2


def test_search_finds_by_ref_unit_phone_and_name(desk):
    a = desk.intake.create_request(category="A", unit="3-1201", phone="13800000000", requester_name="王先生")
    desk.intake.create_request(category="B", unit="5-302", phone="13900000000")
    for text in ("0001", "3-12", "1380", "王"):
        assert [r.ref for r in desk.lookup.search(text)] == [a.ref]

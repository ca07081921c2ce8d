"""Roles enforced by the store: each role × action that matters, and each role's view."""

from __future__ import annotations

import subprocess
import sys

import pytest

from liyuan_tui.domain.errors import PermissionDenied
from liyuan_tui.domain.i18n import Translator
from liyuan_tui.domain.notices import notices_for
from liyuan_tui.domain.views import is_mine, ordered, waiting_steps
from liyuan_tui.reports.stock import stock_report

ROLES = ["assistant", "cs_supervisor", "manager", "security_lead", "guard", "dept_staff", "technician"]


def new_request(staff, **kw):
    fields = dict(category="A", unit="3-1201", phone="13800000000", complete=True)
    fields.update(kw)
    return staff["assistant"].intake.create_request(**fields)


def through_first_steps(store, ref):
    store.lifecycle.tick_step(ref, "patient_address", value="3-1201")
    store.lifecycle.tick_step(ref, "contact_phone", value="138")


ACTIONS = {
    "create": lambda st, ref: st.intake.create_request(),
    "update": lambda st, ref: st.intake.update_fields(ref, description="x"),
    "reply": lambda st, ref: st.lifecycle.mark_replied(ref),
    "escalate": lambda st, ref: st.lifecycle.escalate(ref),
    "mark_major": lambda st, ref: st.lifecycle.set_major(ref),
    "take": lambda st, ref: st.lifecycle.take(ref),
    "cancel": lambda st, ref: st.lifecycle.cancel(ref, "dup"),
    "manage_staff": lambda st, ref: st.staff.add_staff("newbie", "N", "guard"),
}
EXPECTED = {
    "create": {"assistant", "cs_supervisor", "manager", "security_lead", "dept_staff"},
    "update": {"assistant", "cs_supervisor", "manager"},
    "reply": {"assistant", "cs_supervisor", "manager"},
    "escalate": {"assistant", "cs_supervisor", "manager", "security_lead"},
    "mark_major": {"assistant", "cs_supervisor", "manager", "security_lead"},
    "take": {"assistant", "cs_supervisor", "manager", "security_lead"},
    "cancel": {"assistant", "cs_supervisor", "manager"},
    "manage_staff": {"cs_supervisor", "manager"},
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(ACTIONS))
def test_role_may_or_may_not(staff, role, action):
    req = staff["cs_supervisor"].intake.create_request(category="B", unit="1", phone="123")
    run = ACTIONS[action]
    if role in EXPECTED[action]:
        run(staff[role], req.ref)
    else:
        with pytest.raises(PermissionDenied) as err:
            run(staff[role], req.ref)
        # The refusal says which role was refused, by its name (never the key).
        assert Translator("en")(f"role.{role}") in str(err.value)


# The back office: each action on a work order given to the technician `tech`, on stock and tools.
BACK_OFFICE = {
    "order_dispatch": lambda st, f: st.orders.create(f["ref"], "eng"),
    "order_work": lambda st, f: st.orders.arrive(f["order"]),
    "order_cancel": lambda st, f: st.orders.cancel(f["order"], "dup"),
    "stock_manage": lambda st, f: st.stock.receive("TAPE", "1"),
    "stock_use": lambda st, f: st.stock.use("TAPE", "1", order=f["order"]),
    "stock_report": lambda st, f: stock_report(st, "2026-11"),
    "tool_manage": lambda st, f: st.tools.add_tool("T9", "x"),
    "tool_lend": lambda st, f: st.tools.issue("T1", "tech"),
}
WORKSHOP = {"assistant", "cs_supervisor", "manager", "dept_staff"}
STORE_ROOM = {"cs_supervisor", "manager", "dept_staff"}
BACK_OFFICE_EXPECTED = {
    "order_dispatch": WORKSHOP,
    "order_work": WORKSHOP | {"technician"},
    "order_cancel": WORKSHOP,
    "stock_manage": STORE_ROOM,
    "stock_use": STORE_ROOM | {"technician"},
    "stock_report": STORE_ROOM,
    "tool_manage": STORE_ROOM,
    "tool_lend": WORKSHOP,
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(BACK_OFFICE))
def test_role_may_or_may_not_in_the_back_office(staff, role, action):
    sup = staff["cs_supervisor"]
    ref = sup.intake.create_request(category="B", unit="1", phone="123", complete=True).ref
    order = sup.orders.create(ref, "tech").number
    sup.stock.add_material("TAPE", "生料带", "卷")
    sup.stock.receive("TAPE", "5")
    sup.tools.add_tool("T1", "管钳")
    run = BACK_OFFICE[action]
    if role in BACK_OFFICE_EXPECTED[action]:
        run(staff[role], {"ref": ref, "order": order})
    else:
        with pytest.raises(PermissionDenied) as err:
            run(staff[role], {"ref": ref, "order": order})
        assert Translator("en")(f"role.{role}") in str(err.value)


@pytest.mark.parametrize(
    "role,step,allowed",
    [
        ("guard", "ambulance_guide", True),
        ("guard", "ambulance_gate_ready", False),  # the security lead's step
        ("security_lead", "ambulance_gate_ready", True),
        ("security_lead", "ambulance_guide", True),  # the lead may record for a guard
        ("security_lead", "ambulance_call_120", False),  # the assistant's step
        ("dept_staff", "ambulance_guide", False),
        ("assistant", "ambulance_gate_ready", True),  # the desk records what it is told
    ],
)
def test_steps_are_ticked_by_their_roles(staff, role, step, allowed):
    req = new_request(staff)
    desk = staff["assistant"]
    through_first_steps(desk, req.ref)
    for key, kw in (("ambulance_notify_security", {}),):
        desk.lifecycle.tick_step(req.ref, key, **kw)
    if step == "ambulance_guide":
        staff["security_lead"].lifecycle.tick_step(req.ref, "ambulance_gate_ready", value="小李")
    kw = {"value": "x"} if step in ("ambulance_gate_ready", "ambulance_call_120") else {}
    if allowed:
        staff[role].lifecycle.tick_step(req.ref, step, **kw)
    else:
        with pytest.raises(PermissionDenied):
            staff[role].lifecycle.tick_step(req.ref, step, **kw)


def test_only_supervisors_reassign_and_the_holder_hands_over(staff):
    req = new_request(staff)  # held by the assistant who logged it
    with pytest.raises(PermissionDenied):
        staff["security_lead"].lifecycle.assign(req.ref, "mgr")
    staff["assistant"].lifecycle.assign(req.ref, "sup")  # the holder hands it over
    staff["cs_supervisor"].lifecycle.assign(req.ref, "ann")  # a supervisor reassigns
    assert staff["manager"].lookup.get_request(req.ref).assignee == "ann"


def test_only_the_manager_acknowledges_a_major_case(staff):
    req = new_request(staff, major=True)
    with pytest.raises(PermissionDenied):
        staff["assistant"].lifecycle.acknowledge(req.ref)
    acked = staff["manager"].lifecycle.acknowledge(req.ref)
    assert acked.major_ack_by == "mgr"


def test_an_escalation_acknowledged_is_shown_to_the_assistant(staff, procedures):
    desk = staff["assistant"]
    req = new_request(staff)
    last = desk.lookup.last_event_id()
    desk.lifecycle.escalate(req.ref)
    sup_notices = notices_for(desk.lookup.changes_since(last), staff["cs_supervisor"].staff.me(), procedures)
    assert [n.kind for n in sup_notices] == ["escalated"]
    last = desk.lookup.last_event_id()
    staff["cs_supervisor"].lifecycle.acknowledge(req.ref, note="我来处理")
    mine = notices_for(desk.lookup.changes_since(last), desk.staff.me(), procedures)
    assert [n.kind for n in mine] == ["acknowledged"] and mine[0].params["by"] == "sup"
    assert desk.lookup.get_request(req.ref).acknowledged_by == "sup"


def test_each_role_sees_a_major_case_then_its_own_work_first(staff, clock):
    desk = staff["assistant"]
    plain = new_request(staff)
    clock.advance(60)
    escalated = new_request(staff)
    desk.lifecycle.escalate(escalated.ref)
    clock.advance(60)
    major = new_request(staff, major=True)
    clock.advance(60)
    security = new_request(staff)
    through_first_steps(desk, security.ref)
    desk.lifecycle.tick_step(security.ref, "ambulance_notify_security")
    reqs = desk.lookup.open_requests()
    done = desk.lookup.open_step_keys()
    waiting = {
        r.id: bool(waiting_steps(r, done.get(r.id, ()), desk.procedures, frozenset({"security_lead"})))
        for r in reqs
    }
    now = clock.now()
    # `!` a major case is on top of every queue (README); under it, each role's own work comes first.
    queues = {
        role: ordered(reqs, staff[role].staff.me(), now, waiting)
        for role in ("cs_supervisor", "manager", "security_lead")
    }
    assert {role: q[0].ref for role, q in queues.items()} == dict.fromkeys(queues, major.ref)
    first = {role: next(r.ref for r in q if not r.major) for role, q in queues.items()}
    assert first == {"cs_supervisor": escalated.ref, "manager": plain.ref, "security_lead": security.ref}
    assert ordered(reqs, desk.staff.me(), now)[0].ref == major.ref  # the desk: major, then least time left
    lead = staff["security_lead"].staff.me()
    assert [r.ref for r in reqs if is_mine(r, lead, waiting[r.id])] == [security.ref]
    sup = staff["cs_supervisor"].staff.me()
    assert [r.ref for r in reqs if is_mine(r, sup)] == [escalated.ref]
    assert plain.ref in [r.ref for r in reqs if is_mine(r, desk.staff.me())]


TAKER = """
import sys, time
from pathlib import Path
from liyuan_tui.domain.clock import SystemClock
from liyuan_tui.domain.errors import StaleError
from liyuan_tui.store import Store
st = Store(sys.argv[1], SystemClock(), sys.argv[2])
st.kernel.ready()
go = Path(sys.argv[3])
print("ready", flush=True)
while not go.exists():  # both takers start each round together
    time.sleep(0.001)
for ref in sys.argv[4:]:
    try:
        st.lifecycle.take(ref)
        print(ref, "took", flush=True)
    except StaleError as exc:
        print(ref, "refused:", exc, flush=True)
"""


def test_two_users_taking_the_same_request_at_once(staff, db_url, tmp_path):
    """Two real processes take the same ten requests, in the same order, started together."""
    refs = [staff["cs_supervisor"].intake.create_request().ref for _ in range(10)]
    go = tmp_path / "go"
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", TAKER, db_url, login, str(go), *refs], stdout=subprocess.PIPE, text=True
        )
        for login in ("ann", "mgr")
    ]
    for p in procs:
        assert p.stdout is not None and p.stdout.readline().strip() == "ready"
    go.touch()
    said: dict[str, list[str]] = {}
    for p in procs:
        out, _ = p.communicate(timeout=60)
        for line in out.strip().splitlines():
            ref, outcome = line.split(" ", 1)
            said.setdefault(ref, []).append(outcome)
    for ref in refs:
        outs = sorted(said[ref])
        assert outs[1] == "took" and outs[0].startswith("refused:")
        holder = staff["cs_supervisor"].lookup.get_request(ref).assignee
        assert f"taken by {holder}" in outs[0]

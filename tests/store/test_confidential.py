"""Confidential requests (4.3): details hidden from roles without the right to see them —
in `queue --json`, in `show` (JSON and text) and in every event — visible to the assistant handling
it, the supervisors and the manager."""

from __future__ import annotations

import json

import pytest
from cli_runner import run_liyuan

from liyuan_tui.reports.export import HIDDEN, detail_dict, request_dict

SECRET = "公司内部收费调整方案"


@pytest.fixture
def secret(staff):
    desk = staff["assistant"]
    req = desk.intake.create_request(
        category="D", unit="8-801", phone="13700000000", description=SECRET, confidential=True
    )
    desk.lifecycle.tick_step(req.ref, "question", note=SECRET + "的细节")
    desk.lifecycle.mark_replied(req.ref)
    return req


SEES = {
    "assistant": True,
    "cs_supervisor": True,
    "manager": True,
    "security_lead": False,
    "guard": False,
    "dept_staff": False,
}


@pytest.mark.parametrize("role", list(SEES))
def test_show_json_hides_details_from_roles_without_the_right(staff, secret, clock, procedures, role):
    me = staff[role].staff.me()
    data = detail_dict(staff[role].lookup.detail(secret.ref), clock.now(), staff[role].tz, me, procedures)
    text = json.dumps(data, ensure_ascii=False)
    assert (SECRET in text) is SEES[role]
    assert data["confidential"] is True and data["ref"] == secret.ref and data["status"] == "replied"
    if not SEES[role]:
        # A consultation has no step for a guard, the security lead or a department: nothing of it
        # but that it exists — not where, not who, not what (in the fields or in any event).
        assert data["description"] == HIDDEN and data["unit"] == HIDDEN
        assert data["phone"] == HIDDEN and data["requester_name"] in (HIDDEN, "")
        assert "8-801" not in text and "13700000000" not in text
        assert {s["note"] for s in data["checklist"] if s["key"] == "question"} == {HIDDEN}
    else:
        assert data["unit"] == "8-801" and data["phone"] == "13700000000"


def test_a_guard_sent_to_a_confidential_emergency_sees_where_and_nothing_else(staff, clock, procedures):
    """What the procedure needs of the guard: the place to go. Not the caller, the phone, the words."""
    desk = staff["assistant"]
    req = desk.intake.create_request(
        category="A",
        unit="3-1201",
        phone="13911112222",
        requester_name="王女士",
        description="董事长家属 " + SECRET,
        confidential=True,
    )
    desk.lifecycle.tick_step(req.ref, "patient_address", value="3栋1201 王女士家")
    for role in ("guard", "security_lead"):
        st = staff[role]
        data = detail_dict(st.lookup.detail(req.ref), clock.now(), st.tz, st.staff.me(), procedures)
        text = json.dumps(data, ensure_ascii=False)
        assert data["unit"] == "3-1201"
        assert data["phone"] == HIDDEN and data["requester_name"] == HIDDEN and data["description"] == HIDDEN
        assert "13911112222" not in text and "王女士" not in text and SECRET not in text
        created = next(e for e in data["events"] if e["kind"] == "created")
        assert created["payload"]["phone"] == HIDDEN and created["payload"]["unit"] == "3-1201"


def test_a_guard_cannot_find_a_confidential_request_by_its_phone_or_name(staff, secret):
    guard, sup = staff["guard"], staff["cs_supervisor"]
    assert [r.ref for r in sup.lookup.search("13700000000")] == [secret.ref]
    assert guard.lookup.search("13700000000") == [] and guard.lookup.search("8-801") == []
    assert [r.ref for r in guard.lookup.search(secret.ref)] == [secret.ref]  # its ref is on the queue anyway


def test_another_assistant_does_not_see_it(staff, secret, clock, procedures):
    staff["cs_supervisor"].staff.add_staff("bea", "Bea", "assistant")
    from liyuan_tui.store import Store

    other = Store(staff["assistant"].url, clock, "bea", procedures=procedures)
    row = request_dict(other.lookup.get_request(secret.ref), clock.now(), other.tz, other.staff.me())
    assert row["description"] == HIDDEN
    other.close()


def test_a_request_handed_to_an_assistant_is_visible_to_them(staff, secret, clock, procedures):
    from liyuan_tui.store import Store

    staff["cs_supervisor"].staff.add_staff("bea", "Bea", "assistant")
    staff["cs_supervisor"].lifecycle.assign(secret.ref, "bea")
    bea = Store(staff["assistant"].url, clock, "bea", procedures=procedures)
    assert (
        request_dict(bea.lookup.get_request(secret.ref), clock.now(), bea.tz, bea.staff.me())["description"]
        == SECRET
    )
    bea.close()


def run(env, *args):
    return run_liyuan(env, *args)


def test_queue_json_and_show_hide_it_from_a_guard(staff, secret, cli_env):
    guard = dict(cli_env, LIYUAN_USER="gd")
    queue = run(guard, "queue", "--json")
    assert queue.returncode == 0, queue.stderr
    assert SECRET not in queue.stdout and json.loads(queue.stdout)[0]["description"] == HIDDEN
    for args in (("show", secret.ref), ("show", secret.ref, "--json")):
        shown = run(guard, *args)
        assert shown.returncode == 0 and SECRET not in shown.stdout and HIDDEN in shown.stdout
    sup = run(dict(cli_env, LIYUAN_USER="sup"), "show", secret.ref)
    assert SECRET in sup.stdout


@pytest.mark.parametrize("login,sees", [("gd", False), ("lead", False), ("sup", True), ("ann", True)])
def test_the_handover_sheet_hides_it_from_those_without_the_right(staff, secret, cli_env, login, sees):
    env = dict(cli_env, LIYUAN_USER=login)
    for args in (("handover", "--since", "18:00"), ("handover", "--since", "18:00", "--json")):
        out = run(env, *args)
        assert out.returncode == 0, out.stderr
        assert secret.ref in out.stdout  # still on the sheet: it is open
        assert (SECRET in out.stdout) is sees


def test_the_month_report_counts_it_but_never_names_it(staff, secret, cli_env):
    out = run(dict(cli_env, LIYUAN_USER="sup"), "report", "--month", "2026-11", "--format", "json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["total"] == 1 and SECRET not in out.stdout and secret.ref not in out.stdout

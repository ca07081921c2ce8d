"""Confidential requests (4.3): details hidden from roles without the right to see them —
in `queue --json`, in `show` (JSON and text) and in every event — visible to the assistant handling
it, the supervisors and the manager."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from cli_runner import run_liyuan

from liyuan_tui.reports.export import HIDDEN, detail_dict, request_dict

SECRET = "公司内部收费调整方案"


@pytest.fixture
def secret(staff):
    desk = staff["assistant"]
    req = desk.intake.create_request(category="D", unit="8-801", phone="13700000000", description=SECRET, confidential=True)
    desk.lifecycle.tick_step(req.ref, "question", note=SECRET + "的细节")
    desk.lifecycle.mark_replied(req.ref)
    return req


SEES = {"assistant": True, "cs_supervisor": True, "manager": True, "security_lead": False, "guard": False,
        "dept_staff": False}


@pytest.mark.parametrize("role", list(SEES))
def test_show_json_hides_details_from_roles_without_the_right(staff, secret, clock, procedures, role):
    me = staff[role].staff.me()
    data = detail_dict(staff[role].lookup.detail(secret.ref), clock.now(), staff[role].tz, me, procedures)
    text = json.dumps(data, ensure_ascii=False)
    assert (SECRET in text) is SEES[role]
    assert data["confidential"] is True and data["unit"] == "8-801"  # still actionable
    if not SEES[role]:
        assert data["description"] == HIDDEN
        assert {s["note"] for s in data["checklist"] if s["key"] == "question"} == {HIDDEN}


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
    assert request_dict(bea.lookup.get_request(secret.ref), clock.now(), bea.tz, bea.staff.me())["description"] == SECRET
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

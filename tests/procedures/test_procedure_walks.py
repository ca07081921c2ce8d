"""Every category walked from intake to close through the Store, by the people whose steps they are."""

from __future__ import annotations

import pytest

from liyuan_tui.domain.errors import PermissionDenied
from liyuan_tui.domain.procedures import MANAGER_INFORMED

CATEGORY_ORDER = ("medical", "repair", "complaint", "consultation", "security", "disaster", "other")

ROUTES = [(key, []) for key in CATEGORY_ORDER if key != "medical"] + [
    ("medical", ["hospital"]),
    ("medical", ["ambulance"]),
    ("medical", ["care"]),
    ("medical", ["ambulance", "care"]),  # 120 first, then someone to sit with the patient
]


def close_and_check(store, ref, steps_done, staff):
    closed = store.lifecycle.close_request(ref, "handled")
    assert closed.status == "closed" and closed.outcome_kind == "resolved"
    detail = store.lookup.detail(ref)
    assert set(steps_done) <= set(detail.steps)
    logins = {role: st.login for role, st in staff.items()}
    for key in steps_done:  # who ticked each step is who the procedure says does it
        step = store.procedure(detail.request.category).step(key)
        assert detail.steps[key].done_by == logins[step.role], key
    assert detail.events[0].kind == "created" and detail.events[-1].kind == "closed"
    return detail


@pytest.mark.parametrize("category, branches", ROUTES, ids=[f"{c}-{'+'.join(b) or 'all'}" for c, b in ROUTES])
def test_an_ordinary_request_walks_from_intake_to_close(staff, desk, log, walk, clock, category, branches):
    ref = log(category, requester_name="王女士", description="求助")
    clock.advance(minutes=2)
    desk.lifecycle.mark_replied(ref)
    for branch in branches:
        desk.lifecycle.choose_branch(ref, branch)
    done = walk(ref)
    assert done, "an ordinary request has required steps"
    proc = desk.procedure(category)
    assert {proc.step(k).branch for k in done} - {None} == set(branches)
    if category == "medical":
        assert done[:2] == ["patient_address", "contact_phone"] and done[-1] == "report_supervisor"
    assert MANAGER_INFORMED not in done
    close_and_check(desk, ref, done, staff)


@pytest.mark.parametrize("category, branches", ROUTES, ids=[f"{c}-{'+'.join(b) or 'all'}" for c, b in ROUTES])
def test_every_step_optional_ones_too_can_be_ticked_by_its_role_in_order(
    staff, desk, log, walk, category, branches
):
    ref = log(category, major=True, confidential=True)
    desk.lifecycle.escalate(ref)
    desk.lifecycle.mark_replied(ref)
    for branch in branches:
        desk.lifecycle.choose_branch(ref, branch)
    done = walk(ref, everything=True)
    assert "contacted_department" in done and "supervisor_answer" in done and MANAGER_INFORMED in done
    close_and_check(staff["cs_supervisor"], ref, done, staff)


@pytest.mark.parametrize("category", CATEGORY_ORDER)
def test_a_major_request_walks_with_the_manager_informed(staff, desk, walked, category):
    ref, done = walked(category, major=True)
    assert MANAGER_INFORMED in done
    assert "report_supervisor" not in done  # a major case went to the manager instead
    close_and_check(desk, ref, done, staff)


@pytest.mark.parametrize("category", CATEGORY_ORDER)
def test_an_escalated_request_records_the_supervisors_answer_and_a_supervisor_closes_it(
    staff, desk, log, walk, category
):
    ref = log(category)
    desk.lifecycle.escalate(ref, note="助理无法解决")
    desk.lifecycle.mark_replied(ref)
    if category == "medical":
        desk.lifecycle.choose_branch(ref, "hospital")
    done = walk(ref)
    assert ("supervisor_answer" in done) == (category == "consultation")  # required only there
    if "supervisor_answer" not in done:
        staff["cs_supervisor"].lifecycle.tick_step(ref, "supervisor_answer", note="明天上午安排")
        done.append("supervisor_answer")
    with pytest.raises(PermissionDenied):
        desk.lifecycle.close_request(ref, "handled")
    close_and_check(staff["cs_supervisor"], ref, done, staff)


@pytest.mark.parametrize(
    "channel, answered",
    [("written", "written_answered"), ("phone", "oral_answered"), ("walk-in", "oral_answered")],
)
def test_a_consultation_follows_its_channel(staff, desk, walked, channel, answered):
    ref, done = walked("consultation", channel=channel)
    assert answered in done
    assert ("written_registered" in done) == (channel == "written")
    close_and_check(desk, ref, done, staff)


def test_a_confidential_written_consultation_taken_to_the_supervisor(staff, desk, log, walk):
    ref = log("consultation", channel="written", confidential=True)
    desk.lifecycle.escalate(ref)
    desk.lifecycle.mark_replied(ref)
    done = walk(ref)
    assert done.index("keep_confidential") < done.index("written_answered")
    assert done.index("supervisor_answer") < done.index("written_answered")
    close_and_check(staff["cs_supervisor"], ref, done, staff)

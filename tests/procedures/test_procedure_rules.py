"""The rules the store enforces whatever the screen or script: required steps, never alone with the
patient, the manager informed of a major case, never handed on without saying to whom."""

from __future__ import annotations

import json

import pytest

from liyuan_tui.domain.errors import PermissionDenied, ValidationError
from liyuan_tui.domain.i18n import Translator
from liyuan_tui.domain.procedures import MANAGER_INFORMED

CATEGORY_ORDER = ("medical", "repair", "complaint", "consultation", "security", "disaster", "other")

ZH, EN = Translator("zh"), Translator("en")
CARE_AFTER_FAMILY = ("care_introduce", "care_follow_instructions", "care_record")


def refused(call, *args, **kwargs) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        call(*args, **kwargs)
    return caught.value


def step_keys(store, ref) -> set[str]:
    return set(store.lookup.detail(ref).steps)


@pytest.fixture
def care(staff, desk, log):
    """A medical request in short-term care, up to the point where the carer has been assigned."""
    ref = log("medical")
    desk.lifecycle.mark_replied(ref)
    desk.lifecycle.tick_step(ref, "patient_address", value="3 栋 1201")
    desk.lifecycle.tick_step(ref, "contact_phone", value="13800138000")
    desk.lifecycle.tick_step(ref, "ask_help_wanted")
    desk.lifecycle.choose_branch(ref, "care")
    desk.lifecycle.tick_step(ref, "care_brief_security")
    staff["security_lead"].lifecycle.tick_step(ref, "care_carer_assigned", value="护管员小李")
    return ref


# --- required steps ---------------------------------------------------------------------------


def test_closing_names_the_required_steps_still_open_in_the_users_language(desk, log):
    ref = log("repair")
    desk.lifecycle.mark_replied(ref)
    exc = refused(desk.lifecycle.close_request, ref, "done")
    assert exc.field == "step"
    en, zh = exc.message(EN), exc.message(ZH)
    assert "'Ask where the fault is" in en and "'Per the repair procedure" in en
    assert "“核对记录后结案" in zh and "“按《报修管理工作规程》" in zh
    assert (
        "If there is a leak" not in en and "report the result" not in en
    )  # not the desk's to hold up closing
    assert "dispatch" not in en and "safety_advice" not in en  # steps by what they say, never by key
    desk.lifecycle.tick_step(ref, "fault", value="厨房水龙头漏水")
    assert "Ask where the fault is" not in refused(desk.lifecycle.close_request, ref, "done").message(EN)
    assert desk.lookup.get_request(ref).status == "replied"


def test_a_long_list_of_open_steps_is_named_by_its_first_steps_and_how_many_more(desk, log):
    ref = log("medical")
    desk.lifecycle.mark_replied(ref)
    desk.lifecycle.choose_branch(ref, "hospital")
    en = refused(desk.lifecycle.close_request, ref, "done").message(EN)
    assert "'Ask where the patient is'; 'Take a contact phone number' and " in en and " more" in en
    assert "patient_address" not in en and "contact_phone" not in en


def test_a_step_that_asks_for_a_value_says_so_in_the_users_language(desk, log):
    ref = log("medical")
    exc = refused(desk.lifecycle.tick_step, ref, "patient_address")
    assert exc.field == "value"
    assert "病人地址" in exc.message(ZH) and "Patient's address" in exc.message(EN)
    assert step_keys(desk, ref) == set()


def test_address_and_phone_come_before_anything_else(desk, log):
    ref = log("medical")
    exc = refused(desk.lifecycle.tick_step, ref, "ambulance_call_120", value="已受理")
    assert "Ask where the patient is" in exc.message(EN) and "Take a contact phone number" in exc.message(EN)
    assert desk.lookup.get_request(ref).branch_list == []  # the refused tick chose no branch either


def test_a_medical_request_needs_a_branch_before_it_closes(desk, log, walk):
    ref = log("medical")
    desk.lifecycle.mark_replied(ref)
    walk(ref)
    exc = refused(desk.lifecycle.close_request, ref, "done")
    assert exc.field == "branch" and "hospital" in exc.message(EN)


# --- never alone with the patient -------------------------------------------------------------


@pytest.mark.parametrize("key", CARE_AFTER_FAMILY)
def test_care_cannot_start_before_a_family_member_is_confirmed_present(staff, desk, care, key):
    doer = staff[desk.procedure("medical").step(key).role]
    exc = refused(doer.lifecycle.tick_step, care, key, note="已护理")
    assert "Confirm a family member is there" in exc.message(EN) and "never alone" in exc.message(EN)
    assert "单独" in exc.message(ZH)
    assert key not in step_keys(doer, care)


def test_the_care_steps_open_once_the_family_is_confirmed(staff, care):
    guard = staff["guard"]
    guard.lifecycle.tick_step(care, "care_family_present")
    guard.lifecycle.tick_step(care, "care_introduce")
    guard.lifecycle.tick_step(care, "care_follow_instructions")
    staff["assistant"].lifecycle.tick_step(care, "care_record", note="家属全程在场")
    assert set(CARE_AFTER_FAMILY) <= step_keys(guard, care)


def test_ticking_a_care_step_on_a_request_without_care_does_not_slip_past_the_family(staff, desk, log):
    ref = log("medical")
    desk.lifecycle.tick_step(ref, "patient_address", value="3 栋 1201")
    desk.lifecycle.tick_step(ref, "contact_phone", value="13800138000")
    exc = refused(desk.lifecycle.tick_step, ref, "care_introduce")
    assert "Confirm a family member is there" in exc.message(EN)
    with pytest.raises(PermissionDenied):  # a guard does not even add the branch (issue 20)
        staff["guard"].lifecycle.tick_step(ref, "care_introduce")
    assert desk.lookup.get_request(ref).branch_list == []


def test_a_request_with_care_cannot_close_without_the_family_confirmed(staff, desk, care, walk):
    # Everything else done, by someone recording it all, except the confirmation itself.
    desk.lifecycle.choose_branch(care, "ambulance")
    walk(care, skip={"care_family_present", *CARE_AFTER_FAMILY, "report_supervisor"})
    exc = refused(desk.lifecycle.close_request, care, "done")
    assert "Confirm a family member is there" in exc.message(EN)
    assert desk.lookup.get_request(care).status == "replied"


def test_only_the_guard_or_those_above_confirm_the_family(staff, care):
    with pytest.raises(PermissionDenied):
        staff["dept_staff"].lifecycle.tick_step(care, "care_family_present")
    staff["security_lead"].lifecycle.tick_step(
        care, "care_family_present"
    )  # the lead hears it from the guard


# --- major cases ------------------------------------------------------------------------------


@pytest.mark.parametrize("category", CATEGORY_ORDER)
def test_a_major_request_cannot_close_without_the_manager_informed(desk, walked, category):
    ref, _ = walked(category, major=True, branch="hospital", skip={MANAGER_INFORMED})
    exc = refused(desk.lifecycle.close_request, ref, "done")
    assert "inform the company manager" in exc.message(EN) and "经理" in exc.message(ZH)
    assert MANAGER_INFORMED not in exc.message(EN)
    desk.lifecycle.tick_step(ref, MANAGER_INFORMED, value="22:05 电话告知张经理")
    assert desk.lifecycle.close_request(ref, "done").status == "closed"


@pytest.mark.parametrize("category", CATEGORY_ORDER)
def test_marking_major_late_still_requires_the_manager_informed(desk, walked, category):
    ref, _ = walked(category)
    desk.lifecycle.set_major(ref)
    exc = refused(desk.lifecycle.close_request, ref, "done")
    assert "inform the company manager" in exc.message(EN)


def test_a_step_outside_the_requests_conditions_is_still_recorded(desk, log, walked):
    """The manager told of an ordinary case is a fact worth keeping; it just does not hold up closing."""
    ref, _ = walked("repair")
    desk.lifecycle.tick_step(ref, MANAGER_INFORMED, value="22:10 顺便告知张经理")
    assert MANAGER_INFORMED in step_keys(desk, ref)
    assert desk.lifecycle.close_request(ref, "done").status == "closed"


# --- handing on ------------------------------------------------------------------------------


@pytest.mark.parametrize("category", CATEGORY_ORDER)
def test_a_request_handed_on_records_to_whom_and_stays_until_the_result_is_heard(
    staff, desk, walked, category
):
    ref, _ = walked(category, branch="hospital")
    for blank in ("", "   "):
        exc = refused(desk.lifecycle.close_request, ref, "转交处理", kind="handed_on", handed_to=blank)
        assert exc.field == "handed_to"
        assert "to whom" in exc.message(EN) and "转交给谁" in exc.message(ZH)
    assert desk.lookup.get_request(ref).status == "replied"
    # Handed on, it stays with the desk until the department's result (or the requester's word)
    # is on record: never pass the buck. (Where a result is a required step, it is there already.)
    proc = desk.procedure(category)
    req, done = desk.lookup.get_request(ref), step_keys(desk, ref)
    conds = {"ordinary", "oral"}
    if not any(s.key in done for s in proc.result_steps):
        exc = refused(desk.lifecycle.close_request, ref, "转交处理", handed_to=" 工程维修部  王工 ")
        assert (
            exc.field == "outcome"
            and "stays with the desk" in exc.message(EN)
            and "反馈结果" in exc.message(ZH)
        )
        listed = proc.checklist(req.branch_list, conds)
        result = next(
            s for s in proc.result_steps if s in listed and not proc.blocking(s, req.branch_list, conds, done)
        )
        staff[result.role].lifecycle.tick_step(
            ref, result.key, **({result.input: "已反馈"} if result.wants_input else {})
        )
    closed = desk.lifecycle.close_request(ref, "转交处理", handed_to=" 工程维修部  王工 ")
    assert (closed.outcome_kind, closed.handed_to) == ("handed_on", "工程维修部 王工")
    assert desk.lookup.detail(ref).events[-1].kind == "closed"


# --- switching branch ---------------------------------------------------------------------------


def test_care_that_cannot_go_on_is_switched_to_another_branch_on_record(staff, desk, care, walk):
    """No family member can stay, so the carer may not start: the desk switches to the hospital,
    saying why; care's steps no longer hold up closing, and what was done in care stays on record."""
    req = desk.lifecycle.switch_branch(care, "care", "hospital", "家属不能陪同")
    assert req.branch_list == ["hospital"]
    detail = desk.lookup.detail(care)
    event = detail.events[-1]
    assert event.kind == "branch_switched"
    assert json.loads(event.payload) == {"from": "care", "to": "hospital", "reason": "家属不能陪同"}
    assert "care_carer_assigned" in detail.steps  # done before the switch: kept
    walk(care)
    assert desk.lifecycle.close_request(care, "送医院").status == "closed"


def test_a_switch_needs_a_reason_and_a_branch_that_was_chosen(desk, care):
    assert refused(desk.lifecycle.switch_branch, care, "care", "hospital", " ").field == "reason"
    exc = refused(desk.lifecycle.switch_branch, care, "ambulance", "hospital", "x")
    assert exc.key == "error.branch_not_chosen" and "Call 120" in exc.message(EN)
    exc = refused(desk.lifecycle.switch_branch, care, "care", "care", "x")
    assert exc.key == "error.branch_already"


# --- the reply clock ----------------------------------------------------------------------------


def test_telling_the_caller_how_a_complaint_will_be_handled_stops_the_reply_clock(desk, log):
    ref = log("complaint")
    desk.lifecycle.tick_step(ref, "details", note="楼上装修太吵")
    assert desk.lookup.get_request(ref).replied_at is None
    desk.lifecycle.tick_step(ref, "acknowledge")  # "how it will be handled, when you will hear"
    req = desk.lookup.get_request(ref)
    assert req.replied_at is not None and req.status == "replied"


@pytest.mark.parametrize("category", ["complaint", "repair", "security", "disaster", "other"])
def test_every_baseline_marks_telling_the_outcome_as_a_reply_in_its_file(procedures, category):
    # The files say which steps answer the caller: no step is known to the code by name.
    assert procedures[category].step("resident_informed").replies

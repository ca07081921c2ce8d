"""A guard hears (toast and bell) when a step becomes theirs, and cannot add a help (a branch) the
desk has not chosen with the requester: the store refuses it whatever the screen offers."""

from __future__ import annotations

import pytest

from liyuan_tui.domain.errors import PermissionDenied
from liyuan_tui.domain.i18n import Translator
from liyuan_tui.domain.notices import notices_for


def medical(desk) -> str:
    ref = desk.intake.create_request(category="medical", unit="3栋1202", phone="139", complete=True).ref
    desk.lifecycle.mark_replied(ref)
    desk.lifecycle.tick_step(ref, "patient_address", value="3栋1202")
    desk.lifecycle.tick_step(ref, "contact_phone", value="139")
    desk.lifecycle.tick_step(ref, "ask_help_wanted")
    return ref


def test_a_guard_is_told_when_a_step_becomes_theirs(staff, desk, procedures):
    ref = medical(desk)
    desk.lifecycle.choose_branch(ref, "care")
    desk.lifecycle.tick_step(ref, "care_brief_security")
    last = desk.lookup.last_event_id()
    staff["security_lead"].lifecycle.tick_step(ref, "care_carer_assigned", value="护管员小王")
    guard = staff["guard"]
    told = notices_for(guard.lookup.changes_since(last), guard.staff.me(), procedures)
    assert [n.kind for n in told] == ["guard_task"] and told[0].bell
    said = Translator("zh")(told[0].key, **told[0].params)
    assert said.startswith(f"{ref}(3栋1202)轮到护管员:") and "家属" in said
    assert notices_for(guard.lookup.changes_since(last), staff["assistant"].staff.me(), procedures) == []


def test_a_guard_cannot_add_a_branch(staff, desk):
    ref = medical(desk)
    with pytest.raises(PermissionDenied):
        staff["guard"].lifecycle.choose_branch(ref, "hospital")
    with pytest.raises(PermissionDenied) as refused:  # nor by ticking a step of one not chosen
        staff["guard"].lifecycle.tick_step(ref, "hospital_guards_introduce")
    assert refused.value.key == "error.branch_by_desk"
    assert desk.lookup.get_request(ref).branch_list == []
    staff["security_lead"].lifecycle.choose_branch(ref, "hospital")  # the security lead may

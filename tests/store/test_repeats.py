"""Repeat repairs (二次维修): a repair of the same unit and kind of fault within 30 days of an
earlier one closing is marked at intake with the earlier request, whichever field comes last."""

from __future__ import annotations

import json

import pytest
from backoffice_helpers import close_repair, log_repair

from liyuan_tui.domain.errors import ValidationError


@pytest.fixture
def earlier(desk, clock):
    req = close_repair(desk, log_repair(desk).ref)
    clock.advance(86400 * 10)
    return req


def test_the_same_unit_and_kind_within_30_days_is_a_repeat(desk, earlier):
    again = log_repair(desk)
    assert again.repeat_of == earlier.ref
    created = desk.lookup.detail(again.ref).events[0]
    assert json.loads(created.payload)["repeat_of"] == earlier.ref  # recorded with the request's creation


def test_the_form_finds_it_when_the_last_field_is_filled(desk, earlier):
    draft = desk.intake.create_request()  # `n`: nothing known yet
    assert draft.repeat_of is None
    desk.intake.update_fields(draft.ref, category="B")
    desk.intake.update_fields(draft.ref, unit="5栋0803")
    req = desk.intake.update_fields(draft.ref, fault_kind="给排水(漏水、堵塞)")  # the kind by its name
    assert req.fault_kind == "water" and req.repeat_of == earlier.ref
    last = desk.lookup.detail(draft.ref).events[-1]
    assert json.loads(last.payload)["repeat_of"] == [None, earlier.ref]
    moved = desk.intake.update_fields(draft.ref, unit="5栋0804")  # a typo corrected: no longer a repeat
    assert moved.repeat_of is None


@pytest.mark.parametrize("change", ["other_unit", "other_kind", "too_late", "withdrawn"])
def test_what_is_not_a_repeat(desk, clock, change):
    first = log_repair(desk)
    close_repair(desk, first.ref, kind="withdrawn" if change == "withdrawn" else "resolved")
    clock.advance(86400 * (31 if change == "too_late" else 1))
    kw = (
        {"unit": "5栋0804"}
        if change == "other_unit"
        else {"kind": "electric"}
        if change == "other_kind"
        else {}
    )
    assert log_repair(desk, **kw).repeat_of is None


def test_a_category_without_kinds_of_fault_is_never_a_repeat(desk, earlier):
    req = desk.intake.create_request(category="complaint", unit="5栋0803", phone="139", complete=True)
    assert req.repeat_of is None
    with pytest.raises(ValidationError) as err:
        desk.intake.update_fields(req.ref, fault_kind="water")
    assert err.value.field == "fault_kind"


def test_changing_the_category_drops_a_kind_it_does_not_have(desk, earlier):
    req = log_repair(desk)
    assert req.repeat_of == earlier.ref
    moved = desk.intake.update_fields(req.ref, category="complaint")
    assert moved.fault_kind == "" and moved.repeat_of is None


def test_an_unknown_kind_is_refused_naming_the_field(desk):
    with pytest.raises(ValidationError) as err:
        log_repair(desk, kind="plumbing-ish")
    assert err.value.field == "fault_kind" and "water" in err.value.params["choices"]


def test_a_new_call_about_a_fault_still_open_is_linked_to_it_but_is_no_repeat_repair(staff, desk, clock):
    from liyuan_tui.reports.month import month_report

    first = log_repair(desk)
    clock.advance(3600)
    again = log_repair(desk)
    assert again.repeat_of == first.ref  # linked: the desk sees the open request
    quality = month_report(staff["cs_supervisor"], "2026-11").current.quality
    assert (quality.repairs, quality.repeats) == (2, 0)  # the same repair called in twice


def test_a_new_call_about_a_reopened_repair_is_linked_and_a_repeat(staff, desk, clock):
    from liyuan_tui.reports.month import month_report

    first = close_repair(desk, log_repair(desk).ref)
    clock.advance(86400 * 40)  # long past the 30 days: only its being open again links it
    staff["cs_supervisor"].lifecycle.reopen(first.ref, "求助人说还在漏")
    again = log_repair(desk)
    assert again.repeat_of == first.ref
    quality = month_report(staff["cs_supervisor"], "2027-01").current.quality
    assert (quality.repairs, quality.repeats) == (1, 1)


def test_the_repeat_notice_says_when_the_earlier_one_closed(cli_env, staff, desk, earlier):
    from cli_runner import run_liyuan

    done = run_liyuan(
        dict(cli_env, LIYUAN_USER="ann", LIYUAN_LANG="zh"),
        *("log", "--category", "repair", "--unit", "5栋0803", "--phone", "139", "--fault-kind", "water"),
    )
    assert done.returncode == 0, done.stderr
    closed = earlier.closed_at.astimezone(desk.tz).strftime("%Y-%m-%d %H:%M")
    assert f"同一房号、同类故障的 {earlier.ref} 于 {closed} 结案" in done.stderr

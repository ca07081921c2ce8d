"""The tool register through the store: a tool is issued to one login at a time (the second issue
is told who holds it), comes back in a condition, and is listed out and overdue."""

from __future__ import annotations

from datetime import timedelta

import pytest

from liyuan_tui.domain.errors import DeskError, PermissionDenied, StaleError, ValidationError


@pytest.fixture
def wrench(staff):
    staff["cs_supervisor"].tools.add_tool("T01", "管钳 18寸")
    return "T01"


def test_a_tool_is_issued_once_and_returned_with_its_condition(staff, wrench, clock):
    sup, desk = staff["cs_supervisor"], staff["assistant"]
    ref = desk.intake.create_request(category="repair", unit="1", phone="123", complete=True).ref
    order = desk.orders.create(ref, "tech")
    loan = sup.tools.issue(wrench, "tech", order=order.number, due=clock.now() + timedelta(hours=2))
    assert loan.holder == "tech"
    with pytest.raises(StaleError) as refused:
        desk.tools.issue(wrench, "eng")
    assert refused.value.params["by"] == "tech" and "tech" in str(refused.value)
    [out] = sup.tools.list_tools(out=True)
    assert (out.tool.holder, out.order, out.overdue(clock.now())) == ("tech", order.number, False)
    clock.advance(3 * 3600)
    assert [v.tool.code for v in sup.tools.list_tools(overdue=True)] == [wrench]
    back = sup.tools.give_back(wrench, "damaged", "手柄开裂")
    assert back.condition_back == "damaged" and back.returned_by == "sup"
    assert sup.tools.list_tools(out=True) == []
    assert sup.tools.list_tools()[0].tool.condition == "damaged"


def test_a_lost_tool_cannot_be_issued_and_a_tool_in_store_cannot_be_returned(staff, wrench):
    sup = staff["cs_supervisor"]
    with pytest.raises(ValidationError) as refused:
        sup.tools.give_back(wrench)
    assert refused.value.key == "error.tool_not_out"
    sup.tools.issue(wrench, "tech")
    sup.tools.give_back(wrench, "lost", "遗失在 5 栋天台")
    with pytest.raises(ValidationError) as lost:
        sup.tools.issue(wrench, "tech")
    assert lost.value.key == "error.tool_lost"


def test_bad_input_names_its_field(staff, wrench):
    sup = staff["cs_supervisor"]
    for call, field in (
        (lambda: sup.tools.give_back(wrench, "broken"), "condition"),
        (lambda: sup.tools.issue(wrench, "nobody"), "holder"),
        (lambda: sup.tools.add_tool("T02", "\x07bell"), "tool_name"),
        (lambda: sup.tools.issue(wrench, "tech", order="W1"), "order"),  # the issue form's field
    ):
        with pytest.raises(ValidationError) as refused:
            call()
        assert refused.value.field == field


def test_before_issue_offers_the_orders_technician_and_refuses_naming_each_field(staff, wrench, clock):
    """What the issue dialog checks before it asks whom; nothing is written either way."""
    sup, desk = staff["cs_supervisor"], staff["assistant"]
    ref = desk.intake.create_request(category="repair", unit="1", phone="123", complete=True).ref
    order = desk.orders.create(ref, "eng")
    assert sup.tools.before_issue(wrench, order=order.number.lower()) == "eng"
    assert sup.tools.before_issue(wrench) is None
    for kwargs, field in (
        ({"order": "W1"}, "order"),
        ({"order": "W202611-9999"}, "order"),
        ({"due": clock.now() + timedelta(days=400)}, "due_at"),
    ):
        with pytest.raises(DeskError) as refused:
            sup.tools.before_issue(wrench, **kwargs)
        assert refused.value.field == field, kwargs
    sup.tools.issue(wrench, "tech")
    with pytest.raises(StaleError) as taken:
        sup.tools.before_issue(wrench, order=order.number)
    assert taken.value.params["by"] == "tech"
    assert [v.tool.holder for v in sup.tools.list_tools(out=True)] == ["tech"]


def test_who_may_lend_and_register_tools(staff, wrench):
    for role in ("technician", "guard"):
        with pytest.raises(PermissionDenied):
            staff[role].tools.issue(wrench, "tech")
    with pytest.raises(PermissionDenied):
        staff["assistant"].tools.add_tool("T9", "x")
    staff["assistant"].tools.issue(wrench, "tech")  # the night desk hands tools out

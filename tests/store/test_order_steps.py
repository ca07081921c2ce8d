"""A work order's dispatch, arrival and finish tick the checklist's matching steps (派人上门,
维修人员上门, 反馈维修结果) in the order's own record: one entry in the timeline, not two. An order
on a request of a category without on-site limits says so in words, and is not labelled 报修内容.
The paper sheet is a form: no countdown, signature lines even once finished."""

from __future__ import annotations

from backoffice_helpers import log_repair

from liyuan_tui.domain.i18n import Translator
from liyuan_tui.reports.event_text import describe
from liyuan_tui.reports.work_orders import order_sheet


def test_dispatch_arrival_and_finish_tick_the_repair_steps_in_one_entry_each(staff, desk, clock):
    ref = log_repair(desk).ref
    order = desk.orders.create(ref, "tech")
    clock.advance(600)
    staff["technician"].orders.arrive(order.number)
    clock.advance(1800)
    staff["technician"].orders.finish(order.number, 1.5, signed_by="吴太太", note="换了接头")
    detail = desk.lookup.detail(ref)
    assert {"dispatch", "repairer_arrived", "repair_result"} <= set(detail.steps)
    assert detail.steps["repairer_arrived"].done_by == "tech"
    assert "TECH" in detail.steps["dispatch"].value and "换了接头" in detail.steps["repair_result"].note
    kinds = [e.kind for e in detail.events]
    assert "step" not in kinds  # one entry per moment: the order's, naming the step
    proc = desk.procedures["repair"]
    said = [describe(e, proc, Translator("zh"), True, {"tech": "TECH"}) for e in detail.events]
    assert any("W" in line and "→ TECH" in line and "清单步骤已勾选" in line for line in said), said


def test_a_step_already_ticked_by_hand_is_not_ticked_again(staff, desk):
    ref = log_repair(desk).ref
    desk.lifecycle.tick_step(ref, "dispatch", value="22:05 电话通知工程部老杨")
    desk.orders.create(ref, "tech")
    detail = desk.lookup.detail(ref)
    assert detail.steps["dispatch"].value == "22:05 电话通知工程部老杨"


def test_a_disaster_order_says_it_has_no_limits_and_is_no_repair(staff, desk, clock, procedures):
    ref = desk.intake.create_request(
        category="disaster", unit="地下车库", phone="13800000000", description="水浸", complete=True
    ).ref
    order = desk.orders.create(ref, "tech")
    assert (order.arrive_due_at, order.finish_due_at) == (None, None)  # its own category's: none
    sheet = order_sheet(desk.orders.detail(order.number), Translator("zh"), desk.tz, procedures, clock.now())
    assert "本类别未设到场和完工时限" in sheet and "报修内容" not in sheet and "求助内容" in sheet


def test_the_sheet_is_a_paper_form_without_a_countdown(staff, desk, clock, procedures):
    ref = log_repair(desk).ref
    order = desk.orders.create(ref, "tech")
    t = Translator("zh")
    before = order_sheet(desk.orders.detail(order.number), t, desk.tz, procedures, clock.now())
    assert "距时限" not in before and "到场 2026-11-27" in before
    staff["technician"].orders.arrive(order.number)
    staff["technician"].orders.finish(order.number, 2, signed_by="吴太太")
    names = {"tech": "TECH"}
    done = order_sheet(desk.orders.detail(order.number), t, desk.tz, procedures, clock.now(), names)
    assert "维修人员签名: ______________    日期: 2026-11-27" in done
    assert "客户签名: ______________    日期: 2026-11-27" in done and "吴太太" in done
    assert "| TECH " in done and "(tech)" not in done  # the technician by name

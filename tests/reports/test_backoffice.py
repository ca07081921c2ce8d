"""The month report's back-office section and the handover's work orders and tools, from orders,
stock and tools made through the store on a FakeClock."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from liyuan_tui.domain.i18n import Translator
from liyuan_tui.reports.handover import handover_dict, handover_sheet, render_handover
from liyuan_tui.reports.month import month_report
from liyuan_tui.reports.month_render import render


@pytest.fixture
def workshop(staff, clock):
    """November: three repair orders (one in time, one late to arrive, one cancelled), materials
    used on them, a wrench back damaged and a drill lost; one order and one tool still out."""
    desk, sup, tech = staff["assistant"], staff["cs_supervisor"], staff["technician"]
    sup.stock.add_material("PIPE20", "PPR管", "米", price="12.5")
    sup.stock.add_material("TAPE", "生料带", "卷", price="3")
    sup.stock.receive("PIPE20", "20")
    sup.stock.receive("TAPE", "10")
    for code, name in (("T1", "管钳"), ("T2", "电钻"), ("T3", "梯子")):
        sup.tools.add_tool(code, name)

    def repair(unit: str) -> str:
        ref = desk.intake.create_request(category="repair", unit=unit, phone="123", complete=True).ref
        desk.lifecycle.mark_replied(ref)
        return ref

    quick = desk.orders.create(repair("1-101"), "tech")
    clock.advance(10 * 60)
    tech.orders.arrive(quick.number)
    tech.orders.finish(quick.number, "1.5", materials=[("PIPE20", 2500), ("TAPE", 1000)], signed_by="王")
    slow = desk.orders.create(repair("2-202"), "tech")
    sup.tools.issue("T1", "tech", order=slow.number)
    sup.tools.issue("T2", "tech")
    clock.advance(45 * 60)
    tech.orders.arrive(slow.number)
    tech.orders.finish(slow.number, "2", materials=[("PIPE20", 1000)], not_home=True)
    sup.tools.give_back("T1", "damaged", "手柄开裂")
    sup.tools.give_back("T2", "lost")
    dropped = desk.orders.create(repair("3-303"), "tech")
    desk.orders.cancel(dropped.number, "求助人自己修好了")
    still = desk.orders.create(repair("4-404"), "eng")
    sup.tools.issue("T3", "eng", order=still.number, due=clock.now() + timedelta(minutes=20))
    clock.advance(40 * 60)  # the open order is past its arrival limit, the ladder is overdue
    return {"quick": quick.number, "slow": slow.number, "still": still.number}


def test_the_month_report_has_the_back_office_section(staff, workshop):
    report = month_report(staff["cs_supervisor"], "2026-11")
    bo = report.current.back_office
    assert (bo.opened, bo.finished, bo.cancelled) == (4, 2, 1)
    assert (bo.arrive_due, bo.arrive_within) == (3, 1)  # quick in time; slow and the open one late
    # Both finished well within 24 hours; the open order's finishing limit has not passed yet.
    assert (bo.finish_due, bo.finish_within) == (2, 2)
    assert bo.hours == 3.5
    assert [(x.code, x.used) for x in bo.materials] == [("PIPE20", 3500), ("TAPE", 1000)]
    assert bo.materials_value == 3500 * 1250 // 1000 + 300
    assert [(x.code, x.condition) for x in bo.tools] == [("T1", "damaged"), ("T2", "lost")]
    data = json.loads(render(report, "json", Translator("en"), staff["cs_supervisor"].procedures))
    section = data["back_office"]
    assert section["orders_opened"] == 4 and section["arrive_within_share"] == pytest.approx(1 / 3)
    assert section["materials_used_value"] == pytest.approx(46.75)
    assert [t["condition"] for t in section["tools_damaged_or_lost"]] == ["damaged", "lost"]
    md = render(report, "md", Translator("zh"), staff["cs_supervisor"].procedures)
    assert "维修管理:派工、材料与工具" in md and "按时到场" in md and "手柄开裂" in md
    assert "维修管理:新派工单 4 张" in md  # and a line of the written summary


def test_the_handover_lists_open_and_late_orders_and_tools_out(staff, workshop, clock):
    sup = staff["cs_supervisor"]
    sheet = handover_sheet(sup, clock.now() - timedelta(hours=3))
    assert [x.number for x in sheet.orders] == [workshop["still"]]
    assert [x.number for x in sheet.late_orders] == [workshop["still"]]
    assert [(x.code, x.holder, x.overdue) for x in sheet.tools_out] == [("T3", "eng", True)]
    data = handover_dict(sheet, sup.tz)
    assert data["orders_late"][0]["number"] == workshop["still"] and data["tools_overdue"][0]["code"] == "T3"
    text = render_handover(sheet, Translator("en"), sup.procedures, sup.tz)
    assert (
        "Work orders past their limit: 1" in text and "Tools overdue: 1" in text and workshop["still"] in text
    )

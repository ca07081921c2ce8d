"""The warning ladder covers work orders' on-site limits: the technician is warned before the
arrival and finishing limits, the supervisors alerted once one has passed — each rung recorded
once however many terminals notice it, and never after the order has met its limit."""

from __future__ import annotations

import json

from liyuan_tui.domain.notices import notices_for


def order_rungs(store, number):
    return [
        (e.kind, json.loads(e.payload)["limit"]) for e in store.orders.detail(number).events if e.dedupe_key
    ]


def test_arrival_and_finishing_limits_warn_then_alert_once(staff, clock, procedures):
    desk, sup, tech = staff["assistant"], staff["cs_supervisor"], staff["technician"]
    ref = desk.intake.create_request(category="repair", unit="5-803", phone="123", complete=True).ref
    desk.lifecycle.mark_replied(ref)  # (the reply's own ladder stays quiet)
    order = desk.orders.create(ref, "tech")
    last = desk.lookup.last_event_id()
    clock.advance(21 * 60)  # 9 minutes before the 30-minute arrival limit
    assert [e.kind for e in desk.ladder.record_deadline_alerts()] == ["order_warning"]
    assert sup.ladder.record_deadline_alerts() == [] and tech.ladder.record_deadline_alerts() == []
    warned = notices_for(desk.lookup.changes_since(last), tech.staff.me(), procedures)
    assert [n.kind for n in warned] == ["order_warning"]  # the technician is warned
    assert notices_for(desk.lookup.changes_since(last), sup.staff.me(), procedures) == []
    last = desk.lookup.last_event_id()
    clock.advance(10 * 60)  # a minute past it
    assert [e.kind for e in sup.ladder.record_deadline_alerts()] == ["order_late"]
    assert desk.ladder.record_deadline_alerts() == []
    alerted = notices_for(desk.lookup.changes_since(last), sup.staff.me(), procedures)
    assert [n.kind for n in alerted] == ["order_late"]  # the supervisor is alerted
    tech.orders.arrive(order.number)
    clock.advance(23 * 3600)  # under an hour to the 24-hour finishing limit
    assert [e.kind for e in tech.ladder.record_deadline_alerts()] == ["order_warning"]
    tech.orders.finish(order.number, "2", not_home=True)
    clock.advance(2 * 3600)
    assert desk.ladder.record_deadline_alerts() == []  # finished in time: nothing more
    assert order_rungs(desk, order.number) == [
        ("order_warning", "arrive"),
        ("order_late", "arrive"),
        ("order_warning", "finish"),
    ]


def test_a_terminal_opened_after_the_limit_alerts_without_a_late_warning(staff, clock):
    desk = staff["assistant"]
    ref = desk.intake.create_request(category="repair", unit="1", phone="123", complete=True).ref
    desk.lifecycle.mark_replied(ref)
    order = desk.orders.create(ref, "tech")
    clock.advance(45 * 60)
    assert [e.kind for e in desk.ladder.record_deadline_alerts()] == ["order_late"]
    assert order_rungs(desk, order.number) == [("order_late", "arrive")]


def test_an_order_without_limits_is_left_alone(staff, clock):
    desk = staff["assistant"]
    ref = desk.intake.create_request(category="other", unit="1", phone="123", complete=True).ref
    desk.lifecycle.mark_replied(ref)
    desk.orders.create(ref, "tech")
    clock.advance(48 * 3600)
    assert desk.ladder.record_deadline_alerts() == []

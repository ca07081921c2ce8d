"""Work orders through the store: numbered per month, dispatched, on site, waiting for parts,
finished with materials and a sign-off, cancelled — one transaction and one event each, a
compare-and-set on the order's version, a technician on their own orders only, and a request that
cannot close while an order on it is open."""

from __future__ import annotations

import json
import sqlite3
from datetime import timedelta

import pytest

from liyuan_tui.domain.errors import NotFound, PermissionDenied, StaleError, ValidationError
from liyuan_tui.domain.work_orders import OrderUrgency, order_urgency


@pytest.fixture
def repair(desk):
    req = desk.intake.create_request(
        category="repair",
        unit="5-803",
        phone="13911110803",
        requester_name="吴太太",
        description="厨房水管漏水",
        complete=True,
    )
    desk.lifecycle.mark_replied(req.ref)
    return req.ref


@pytest.fixture
def pipe(supervisor):
    supervisor.stock.add_material("PIPE20", "PPR管 20mm", "米", price="12.5")
    supervisor.stock.receive("PIPE20", "10")
    return "PIPE20"


def events(db_path, kind_prefix="order_"):
    with sqlite3.connect(db_path) as conn:
        return [
            (k, json.loads(p))
            for k, p in conn.execute(
                "SELECT kind, payload FROM event WHERE kind LIKE ? ORDER BY id", (kind_prefix + "%",)
            )
        ]


def test_a_repair_from_dispatch_to_a_signed_finish_with_materials(staff, repair, pipe, db_path, clock):
    desk, tech = staff["assistant"], staff["technician"]
    order = desk.orders.create(repair, "tech", note="带管钳")
    assert order.number == "W202611-0001" and order.state == "dispatched"
    assert order.arrive_due_at == clock.now() + timedelta(minutes=30)  # repair.toml: arrive_within_minutes
    assert order.finish_due_at == clock.now() + timedelta(hours=24)
    clock.advance(20 * 60)
    tech.orders.arrive(order.number)
    tech.orders.wait(order.number, "缺三通接头")
    clock.advance(3600)
    tech.orders.arrive(order.number)  # back with the part: the first arrival's time stays
    done = tech.orders.finish(
        order.number, "1.5", materials=[("PIPE20", 1500)], signed_by="吴太太", note="换了接头"
    )
    assert done.state == "done" and done.hours == 1.5 and done.signed_by == "吴太太"
    assert done.arrived_at == order.arrive_due_at - timedelta(minutes=10)
    assert staff["cs_supervisor"].stock.material("PIPE20").on_hand_milli == 8500
    kinds = [k for k, _ in events(db_path)]
    assert kinds == ["order_created", "order_arrived", "order_waiting", "order_arrived", "order_finished"]
    finished = events(db_path)[-1][1]
    assert finished["materials"] == [{"code": "PIPE20", "qty": 1.5}] and finished["signed_by"] == "吴太太"
    view = desk.orders.detail(order.number)
    assert [(m.code, milli) for m, milli in view.materials] == [("PIPE20", 1500)]
    assert [e.kind for e in view.events] == kinds  # the order's own events, from its request's timeline


def test_orders_are_numbered_per_month(staff, repair, clock):
    desk = staff["assistant"]
    first = desk.orders.create(repair, "tech")
    second = desk.orders.create(repair, "eng")  # several orders on one request are allowed
    clock.advance(4 * 24 * 3600)  # into December (local time)
    third = desk.orders.create(repair, "tech")
    assert [first.number, second.number, third.number] == ["W202611-0001", "W202611-0002", "W202612-0001"]


def test_a_request_with_an_open_order_cannot_close_or_be_cancelled(staff, repair):
    desk, tech = staff["assistant"], staff["technician"]
    desk.lifecycle.tick_step(repair, "fault", value="水管")
    desk.lifecycle.tick_step(repair, "dispatch", value="派工单")
    desk.lifecycle.tick_step(repair, "record")
    order = desk.orders.create(repair, "tech")
    for attempt in (
        lambda: desk.lifecycle.close_request(repair, "修好了"),
        lambda: desk.lifecycle.cancel(repair, "x"),
    ):
        with pytest.raises(ValidationError) as refused:
            attempt()
        assert refused.value.key == "error.close_open_orders" and order.number in str(refused.value)
    tech.orders.arrive(order.number)
    tech.orders.finish(order.number, "1", not_home=True)
    assert desk.lifecycle.close_request(repair, "修好了").status == "closed"


def test_states_follow_the_repair(staff, repair):
    desk, tech = staff["assistant"], staff["technician"]
    order = desk.orders.create(repair, "tech")
    with pytest.raises(ValidationError) as refused:
        tech.orders.finish(order.number, "1", signed_by="x")  # not on site yet
    assert refused.value.key == "error.order_state"
    desk.orders.cancel(order.number, "求助人取消")
    for attempt in (
        lambda: tech.orders.arrive(order.number),
        lambda: desk.orders.cancel(order.number, "again"),
    ):
        with pytest.raises(ValidationError):
            attempt()


def test_a_pending_order_is_dispatched_later_with_its_limits(staff, repair, clock):
    desk = staff["assistant"]
    order = desk.orders.create(repair)
    assert order.state == "pending" and order.arrive_due_at is None
    assert order_urgency(order, clock.now()) is OrderUrgency.NONE
    clock.advance(600)
    sent = desk.orders.dispatch(order.number, "tech")
    assert sent.state == "dispatched" and sent.arrive_due_at == clock.now() + timedelta(minutes=30)
    handed = desk.orders.dispatch(order.number, "eng")  # handed on: the resident's clock does not restart
    assert handed.technician == "eng" and handed.arrive_due_at == sent.arrive_due_at


def test_an_appointment_sets_the_limits(staff, repair, clock):
    at = clock.now() + timedelta(hours=12)
    order = staff["assistant"].orders.create(repair, "tech", appointment=at)
    assert order.arrive_due_at == at + timedelta(minutes=30) and order.finish_due_at == at + timedelta(
        hours=24
    )


def test_a_stale_screen_is_refused_and_nothing_is_written(staff, repair, db_path):
    desk, tech = staff["assistant"], staff["technician"]
    order = desk.orders.create(repair, "tech")
    tech.orders.arrive(order.number, expected_version=order.version)
    before = events(db_path)
    with pytest.raises(StaleError):
        desk.orders.cancel(order.number, "x", expected_version=order.version)  # what the desk saw is gone
    assert events(db_path) == before


def test_finishing_needs_exactly_one_sign_off_and_enough_stock(staff, repair, pipe, db_path):
    desk, tech = staff["assistant"], staff["technician"]
    order = desk.orders.create(repair, "tech")
    tech.orders.arrive(order.number)
    for kw in ({}, {"signed_by": "吴", "not_home": True}):
        with pytest.raises(ValidationError) as refused:
            tech.orders.finish(order.number, "1", **kw)
        assert refused.value.field == "signed_by"
    before = events(db_path, "")
    with pytest.raises(ValidationError) as short:
        tech.orders.finish(order.number, "1", materials=[("PIPE20", 12_000)], signed_by="吴")
    assert "10" in str(short.value) and "12" in str(short.value)  # the figures: on hand and asked
    assert events(db_path, "") == before  # the order is not finished and no stock moved
    assert staff["cs_supervisor"].stock.material("PIPE20").on_hand_milli == 10_000


def test_a_technician_sees_and_works_only_their_own_orders(staff, repair):
    desk, tech = staff["assistant"], staff["technician"]
    mine = desk.orders.create(repair, "tech")
    theirs = desk.orders.create(repair, "eng")
    assert [v.order.number for v in tech.orders.list_orders()] == [mine.number]
    for attempt in (lambda: tech.orders.detail(theirs.number), lambda: tech.orders.arrive(theirs.number)):
        with pytest.raises(NotFound):
            attempt()
    with pytest.raises(PermissionDenied):
        tech.orders.create(repair, "tech")
    with pytest.raises(PermissionDenied):
        tech.orders.cancel(mine.number, "no")
    assert {v.order.number for v in desk.orders.list_orders()} == {mine.number, theirs.number}


def test_a_technician_sees_nothing_confidential(staff):
    desk, tech = staff["assistant"], staff["technician"]
    req = desk.intake.create_request(
        category="repair",
        unit="8-101",
        phone="13900000001",
        requester_name="李女士",
        description="家中有病人,不要声张",
        confidential=True,
        complete=True,
    )
    order = desk.orders.create(req.ref, "tech", note="先电话联系李女士")
    view = tech.orders.detail(order.number)
    assert not view.visible and view.request.unit == "8-101"  # where to go, and nothing else
    from liyuan_tui.reports.work_orders import order_dict

    data = order_dict(view, desk.clock.now(), desk.tz, events=True)
    text = json.dumps(data, ensure_ascii=False)
    for secret in ("李女士", "13900000001", "不要声张"):
        assert secret not in text
    assert data["unit"] == "8-101"
    assert staff["cs_supervisor"].orders.detail(order.number).visible


def test_only_someone_who_goes_on_site_gets_an_order(staff, repair):
    with pytest.raises(ValidationError) as refused:
        staff["assistant"].orders.create(repair, "gd")  # a guard
    assert refused.value.field == "technician" and "guard" in str(refused.value)
    with pytest.raises(ValidationError):
        staff["assistant"].orders.create(repair, "nobody")


def test_hostile_text_is_refused(staff, repair, db_path):
    before = events(db_path, "")
    for bad in ("\x1b]0;title\x07", "a\x00b", "x\u202ey"):
        with pytest.raises(ValidationError) as refused:
            staff["assistant"].orders.create(repair, "tech", note=bad)
        assert refused.value.key == "error.control_character"
    assert events(db_path, "") == before

"""The materials ledger through the store: received, used (on an order or with a reason) and
counted, each one event; the balance never below zero, a refusal quoting the figures."""

from __future__ import annotations

import sqlite3

import pytest

from liyuan_tui.domain.errors import NotFound, PermissionDenied, ValidationError
from liyuan_tui.domain.i18n import Translator


@pytest.fixture
def tape(staff):
    sup = staff["cs_supervisor"]
    sup.stock.add_material("TAPE", "生料带", "卷", price="3")
    return sup


def ledger(db_path):
    with sqlite3.connect(db_path) as conn:
        return conn.execute(
            "SELECT kind, delta_milli, balance_milli, price_fen FROM stockmove ORDER BY id"
        ).fetchall()


def kinds(db_path):
    with sqlite3.connect(db_path) as conn:
        return [
            k
            for (k,) in conn.execute(
                "SELECT kind FROM event WHERE kind LIKE 'stock_%' OR kind = 'material_added' ORDER BY id"
            )
        ]


def test_in_use_and_count_keep_a_running_balance(tape, db_path):
    tape.stock.receive("TAPE", "10", price="3.5", note="五金店")
    tape.stock.use("TAPE", "2.5", reason="值班室自用")
    tape.stock.count("TAPE", "7")  # one roll missing at the stock-take
    assert ledger(db_path) == [
        ("in", 10_000, 10_000, 350),
        ("use", -2_500, 7_500, 350),
        ("count", -500, 7_000, 350),
    ]
    assert kinds(db_path) == ["material_added", "stock_in", "stock_used", "stock_counted"]
    m = tape.stock.material("TAPE")
    assert m.on_hand_milli == 7_000 and m.price_fen == 350  # the price paid is the price from now on


def test_using_more_than_is_held_is_refused_with_the_figures(tape, db_path):
    tape.stock.receive("TAPE", "2")
    before = ledger(db_path)
    with pytest.raises(ValidationError) as refused:
        tape.stock.use("TAPE", "3", reason="x")
    assert refused.value.params["on_hand"] == "2" and refused.value.params["asked"] == "3"
    assert "2 卷 on hand, cannot use 3 卷" in refused.value.message(Translator("en"))
    assert ledger(db_path) == before


def test_use_needs_an_order_or_a_reason(tape):
    tape.stock.receive("TAPE", "2")
    with pytest.raises(ValidationError) as refused:
        tape.stock.use("TAPE", "1")
    assert refused.value.field == "reason"
    with pytest.raises(NotFound):
        tape.stock.use("TAPE", "1", order="W202611-0099")


def test_a_technician_uses_stock_on_their_own_orders_only(staff, tape):
    desk, tech = staff["assistant"], staff["technician"]
    tape.stock.receive("TAPE", "5")
    ref = desk.intake.create_request(category="repair", unit="1", phone="123", complete=True).ref
    mine = desk.orders.create(ref, "tech")
    other = desk.orders.create(ref, "eng")
    tech.stock.use("TAPE", "1", order=mine.number)
    with pytest.raises(NotFound):
        tech.stock.use("TAPE", "1", order=other.number)
    with pytest.raises(PermissionDenied):
        tech.stock.use("TAPE", "1", reason="自己用")
    assert [(m.code, q) for m, q in tech.orders.detail(mine.number).materials] == [("TAPE", 1000)]


def test_the_catalogue_refuses_a_code_twice_and_bad_figures(tape):
    with pytest.raises(ValidationError) as twice:
        tape.stock.add_material("TAPE", "again", "卷")
    assert twice.value.key == "error.code_exists"
    for args, field in (
        (("BAD CODE", "x", "个"), "code"),
        (("OK", "x", "个", "1.234"), "price"),
        (("OK", "\x1b[2J", "个"), "material_name"),
        (("OK", "x", ""), "material_unit"),
    ):
        with pytest.raises(ValidationError) as refused:
            tape.stock.add_material(*args)
        assert refused.value.field == field
    for qty in ("0", "-1", "1.2345", "abc", "1e3"):
        with pytest.raises(ValidationError):
            tape.stock.receive("TAPE", qty)


def test_only_the_store_room_manages_stock(staff, tape):
    for role in ("assistant", "guard", "technician", "security_lead"):
        with pytest.raises(PermissionDenied):
            staff[role].stock.receive("TAPE", "1")
    staff["dept_staff"].stock.receive("TAPE", "1")

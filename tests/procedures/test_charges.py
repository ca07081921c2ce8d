"""Charges on a request: priced when added, kept at that price, one transaction and one event each."""

from __future__ import annotations

import json

import pytest
from sqlmodel import select

from liyuan_tui.domain.errors import PermissionDenied, ValidationError
from liyuan_tui.domain.fees import load_fees
from liyuan_tui.domain.models import FeeItem
from liyuan_tui.reports.export import detail_dict

SITE = """
[[items]]
code = "drain"
zh = "疏通下水道(本站)"
en = "Unblock a drain (site)"
unit = {{ zh = "次", en = "job" }}
price = {price}
"""


@pytest.fixture
def repair(desk, log) -> str:
    return log("repair", description="厨房下水道堵塞")


def site_fees(tmp_path, price: str):
    path = tmp_path / f"fees-{price}.toml"
    path.write_text(SITE.format(price=price), encoding="utf-8")
    return load_fees(path)


def test_a_charge_is_priced_from_the_schedule_when_added(desk, repair, clock):
    version = desk.lookup.get_request(repair).version
    charge = desk.charges.add_charge(repair, "drain")
    assert (charge.item_code, charge.qty, charge.unit_price_cents, charge.amount_cents) == (
        "drain",
        1,
        5000,
        5000,
    )
    assert charge.by == "ann" and charge.at == clock.now()
    hours = desk.charges.add_charge(repair, "cleaning", qty="1.5")
    assert hours.amount_cents == 4575
    assert desk.lookup.charges_total(repair) == 9575
    detail = desk.lookup.detail(repair)
    assert [c.item_code for c in detail.charges] == ["drain", "cleaning"]
    assert detail.request.version == version + 2  # each charge is a change other terminals notice
    events = [e for e in detail.events if e.kind == "charge"]
    assert json.loads(events[0].payload) == {
        "item": "drain",
        "name_zh": "疏通下水道",
        "name_en": "Unblock a drain",
        "qty": 1.0,
        "unit_price_cents": 5000,
        "amount_cents": 5000,
        "receipt": "S202611-0001",  # its receipt (收费单), and the fee step it ticked
        "ticked": "fee_agreed",
    }


def test_the_fee_item_is_kept_in_the_database_as_charged(desk, repair, tmp_path):
    def row() -> tuple:
        with desk.reading() as s:
            item = s.exec(select(FeeItem).where(FeeItem.code == "drain")).one()
            return item.name_zh, item.unit_en, item.price_cents

    desk.charges.add_charge(repair, "drain")
    assert row() == ("疏通下水道", "job", 5000)
    desk.charges.fees = site_fees(tmp_path, "45")
    desk.charges.add_charge(repair, "drain")
    assert row() == ("疏通下水道(本站)", "job", 4500)


def test_a_new_price_never_changes_an_old_charge(desk, repair, tmp_path):
    desk.charges.add_charge(repair, "drain", qty=2)
    desk.charges.fees = site_fees(tmp_path, "80")
    desk.charges.add_charge(repair, "drain")
    assert [(c.unit_price_cents, c.amount_cents) for c in desk.lookup.detail(repair).charges] == [
        (5000, 10000),
        (8000, 8000),
    ]


def test_an_item_is_found_by_its_name_too(desk, repair):
    assert desk.charges.add_charge(repair, "疏通马桶").item_code == "toilet"


@pytest.mark.parametrize(
    "item, qty, field",
    [("nothing", 1, "item"), ("drain", 0, "qty"), ("drain", "two", "qty"), ("drain", 100_000, "qty")],
)
def test_bad_input_is_refused_and_nothing_is_written(desk, repair, item, qty, field):
    before = desk.lookup.detail(repair)
    with pytest.raises(ValidationError) as caught:
        desk.charges.add_charge(repair, item, qty)
    assert caught.value.field == field
    after = desk.lookup.detail(repair)
    assert after.charges == [] and len(after.events) == len(before.events)


def test_the_unknown_item_message_lists_the_codes(desk, repair):
    with pytest.raises(ValidationError) as caught:
        desk.charges.add_charge(repair, "nothing")
    assert "drain" in str(caught.value) and "toilet" in str(caught.value)


def test_a_closed_request_takes_no_more_charges(desk, repair, walk):
    desk.lifecycle.mark_replied(repair)
    walk(repair)
    desk.lifecycle.close_request(repair, "修好")
    with pytest.raises(ValidationError):
        desk.charges.add_charge(repair, "drain")


@pytest.mark.parametrize("role", ["guard", "dept_staff", "security_lead"])
def test_only_the_desk_charges(staff, repair, role):
    with pytest.raises(PermissionDenied):
        staff[role].charges.add_charge(repair, "drain")


def test_the_request_shows_its_charges_and_total(desk, repair, clock, procedures):
    desk.charges.add_charge(repair, "drain")
    desk.charges.add_charge(repair, "labour", qty=2)
    data = detail_dict(desk.lookup.detail(repair), clock.now(), desk.tz, desk.staff.me(), procedures)
    assert [(c["item"], c["qty"], c["amount"]) for c in data["charges"]] == [
        ("drain", 1, 50.0),
        ("labour", 2, 70.0),
    ]
    assert data["charges_total"] == 120.0

"""The fee schedule (4.9): the shipped example, a site's own file, and money kept in whole fen."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from liyuan_tui.domain.fees import (
    MAX_PRICE_FEN,
    FeeScheduleError,
    charge_amount,
    format_yuan,
    load_fees,
    parse_fees,
    shipped_file,
    yuan_to_fen,
)

ITEM = """
[[items]]
code = "{code}"
zh = "疏通下水道"
en = "Unblock a drain"
unit = {{ zh = "次", en = "job" }}
price = {price}
"""


def schedule(*items: str, head: str = "") -> str:
    return head + "".join(items)


def test_the_shipped_schedule_is_marked_as_an_example_everywhere():
    text = shipped_file().read_text(encoding="utf-8")
    assert "EXAMPLE" in text and "示例" in text
    fees = load_fees()
    assert fees.example
    assert "示例" in fees.title.zh and "example" in fees.title.en
    assert len(fees.items) >= 10
    for fee in fees.items:
        assert fee.name.zh and fee.name.en and fee.unit.zh and fee.unit.en
        assert fee.price_fen > 0


def test_prices_in_yuan_become_whole_fen():
    assert [yuan_to_fen(v) for v in (50, 12.5, "12.50", 0.1, 0)] == [5000, 1250, 1250, 10, 0]
    for bad in (-1, 1.234, "abc", True, float("nan"), 10**9):
        with pytest.raises(ValueError):
            yuan_to_fen(bad)


def test_an_amount_is_rounded_half_up_to_the_fen():
    assert charge_amount(3050, 1.5) == 4575
    assert charge_amount(333, 0.5) == 167  # 166.5 fen → 167, never 166 by float luck
    assert charge_amount(10, 0.05) == 1


@given(st.integers(min_value=0, max_value=MAX_PRICE_FEN))
def test_formatted_yuan_read_back_to_the_same_fen(fen):
    text = format_yuan(fen)
    assert len(text.split(".")[1]) == 2
    assert yuan_to_fen(text.replace(",", "")) == fen


def test_a_refund_is_shown_with_its_sign():
    assert format_yuan(-1250) == "-12.50" and format_yuan(123456789) == "1,234,567.89"


@pytest.mark.parametrize(
    "text, item, problem",
    [
        (schedule(ITEM.format(code="drain", price="12.345")), "drain", "fractions of a fen"),
        (schedule(ITEM.format(code="drain", price="-5")), "drain", "0 or more"),
        (schedule(ITEM.format(code="drain", price='"cheap"')), "drain", "number of yuan"),
        (
            schedule(ITEM.format(code="drain", price="5"), ITEM.format(code="drain", price="6")),
            "drain",
            "defined twice",
        ),
        (schedule(ITEM.format(code="水管", price="5")), "水管", "ASCII"),
        (
            schedule(ITEM.format(code="drain", price="5").replace('en = "Unblock a drain"\n', "")),
            "drain",
            "no en name",
        ),
        (
            schedule(ITEM.format(code="drain", price="5").replace(', en = "job"', "")),
            "drain",
            "unit needs both",
        ),
        (schedule(ITEM.format(code="drain", price="5").replace("price = 5\n", "")), "drain", "has no price"),
    ],
)
def test_a_malformed_item_is_refused_naming_file_item_and_problem(text, item, problem):
    with pytest.raises(FeeScheduleError) as caught:
        parse_fees(text, "/site/fees.toml")
    assert str(caught.value).startswith(f"/site/fees.toml: item '{item}': ")
    assert problem in str(caught.value)


@pytest.mark.parametrize(
    "text, problem",
    [
        ("items = [", "not valid TOML"),
        ("", "has no [[items]]"),
        ('currency = "USD"' + ITEM.format(code="drain", price="5"), "currency"),
        ("surcharge = 3" + ITEM.format(code="drain", price="5"), "unknown setting(s): surcharge"),
    ],
)
def test_a_malformed_schedule_is_refused_naming_the_file(text, problem):
    with pytest.raises(FeeScheduleError) as caught:
        parse_fees(text, "/site/fees.toml")
    assert str(caught.value).startswith("/site/fees.toml: ") and problem in str(caught.value)


def test_a_sites_own_file_is_not_an_example(tmp_path):
    path = tmp_path / "fees.toml"
    path.write_text(ITEM.format(code="drain", price="45"), encoding="utf-8")
    fees = load_fees(path)
    assert not fees.example and fees.source == str(path)
    assert fees.resolve("drain").price_fen == 4500
    assert fees.resolve("疏通下水道") is fees.resolve("UNBLOCK A DRAIN") is fees.get("drain")
    with pytest.raises(FeeScheduleError, match="does not exist"):
        load_fees(tmp_path / "missing.toml")


def test_a_file_that_never_ends_is_refused_not_read_whole(tmp_path):
    """`--fees /dev/zero` (the fuzz test's /dev/full): refused after a megabyte, not read until the
    machine runs out of memory."""
    with pytest.raises(FeeScheduleError, match="not a fee schedule"):
        load_fees(Path("/dev/zero"))
    big = tmp_path / "fees.toml"
    big.write_text("# " + "x" * 1_000_000 + "\n", encoding="utf-8")
    with pytest.raises(FeeScheduleError, match="not a fee schedule"):
        load_fees(big)


def test_the_fee_messages_exist_in_both_languages():
    from liyuan_tui.domain.i18n import catalog

    keys = [k for k in catalog() if k.startswith("fees.")] + [
        "check.fees",
        "check.fees_ok",
        "error.fee_item_unknown",
    ]
    assert len(keys) >= 12
    for key in keys:
        assert catalog()[key]["zh"] and catalog()[key]["en"], key

"""Every form field's check, property-based: clean values come back clean, anything else is a
ValidationError naming the field — never another exception (no traceback for a user)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from liyuan_tui.domain import validation as check
from liyuan_tui.domain.errors import ValidationError

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 27, 14, 0, tzinfo=UTC)
separators = st.sampled_from(["", " ", "-", "(", ")"])


@given(st.lists(st.tuples(st.integers(0, 9), separators), min_size=3, max_size=15), st.booleans())
def test_any_3_to_15_digits_with_separators_is_a_phone(parts, plus):
    raw = ("+" if plus else "") + "".join(f"{d}{sep}" for d, sep in parts)
    assert check.phone(raw) == ("+" if plus else "") + "".join(str(d) for d, _ in parts)


@given(
    st.text(alphabet=st.characters(categories=["L"]), min_size=1),
    st.text(alphabet="0123456789", min_size=3, max_size=10),
)
def test_a_phone_with_letters_is_refused_naming_the_phone(letters, digits):
    with pytest.raises(ValidationError) as err:
        check.phone(digits + letters)
    assert err.value.field == "phone"


FIELD_CHECKS = {
    "phone": lambda v: check.phone(v),
    "unit": lambda v: check.unit(v),
    "name": lambda v: check.name(v),
    "channel": lambda v: check.channel(v),
    "received_at": lambda v: check.received_at(v, SHANGHAI, NOW),
    "ref": lambda v: check.ref(v),
    "login": lambda v: check.login(v),
    "role": lambda v: check.role(v),
    "qty": lambda v: check.quantity(v),
    "description": lambda v: check.text(v),
}


@pytest.mark.parametrize("field", list(FIELD_CHECKS))
@given(value=st.text(max_size=200))
def test_any_text_is_either_accepted_or_refused_naming_its_field(field, value):
    try:
        FIELD_CHECKS[field](value)
    except ValidationError as err:
        assert err.field == field


@given(st.text(min_size=1, max_size=200))
def test_a_unit_keeps_its_words_and_loses_extra_spaces(value):
    try:
        clean = check.unit(value)
    except ValidationError as err:
        assert err.field == "unit"
        return
    assert clean == " ".join(value.split()) and 0 < len(clean) <= check.MAX_UNIT


@given(st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2026, 11, 27)))
def test_a_local_time_without_offset_is_read_in_the_desk_zone(naive):
    naive = naive.replace(microsecond=0)
    for text in (naive.isoformat(), naive.strftime("%Y-%m-%d %H:%M:%S")):
        parsed = check.received_at(text, SHANGHAI, NOW)
        assert parsed == naive.replace(tzinfo=SHANGHAI)


@given(st.integers(min_value=3, max_value=10_000))
def test_a_time_in_the_future_is_refused(minutes):
    later = (NOW + timedelta(minutes=minutes)).isoformat()
    with pytest.raises(ValidationError) as err:
        check.received_at(later, SHANGHAI, NOW)
    assert err.value.field == "received_at" and err.value.key == "error.time_future"


@pytest.mark.parametrize(
    "value,key",
    [
        ("A", "medical"),
        ("b", "repair"),
        ("急救病人求助", "medical"),
        ("Repair", "repair"),
        (" C ", "complaint"),
        ("G", "other"),
    ],
)
def test_categories_by_letter_key_or_name(procedures, value, key):
    assert check.category(value, procedures) == key


@given(st.text(max_size=50))
def test_any_other_category_is_refused_naming_the_category(value):
    from liyuan_tui.domain.procedure_files import load_procedures

    procedures = _PROCS.setdefault("p", load_procedures())
    try:
        check.category(value, procedures)
    except ValidationError as err:
        assert err.field == "category"


_PROCS: dict = {}

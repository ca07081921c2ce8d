"""Checks of what the back office records (follow-up calls, the household file, staff records):
yes or no, a score on its scale, a course's hours, a date, a month. Refusals name the field, as
validation.py's do (which checks everything else a person types)."""

from __future__ import annotations

import re
from datetime import date

from .errors import ValidationError
from .validation import hours

_YES = {"yes", "y", "true", "1", "是", "对"}
_NO = {"no", "n", "false", "0", "否", "不"}
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def yes_no(value: str | bool, field: str) -> bool:
    if isinstance(value, bool):
        return value
    v = (value or "").strip().lower()
    if v in _YES:
        return True
    if v in _NO:
        return False
    raise ValidationError("error.yes_no", field, value=value)


def score(value: str | int | None) -> int | None:
    """A resident's satisfaction, 1 (very unhappy) to 5 (very satisfied); empty: not asked."""
    return _whole_number(value, "score", 1, 5, optional=True)


def assessment_score(value: str | int) -> int:
    return _whole_number(value, "score", 0, 100)  # type: ignore[return-value]


def _whole_number(
    value: str | int | None, field: str, low: int, high: int, optional: bool = False
) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        if optional:
            return None
        raise ValidationError("error.number_range", field, value="", low=low, high=high)
    try:
        n = int(str(value).strip())
    except ValueError:
        raise ValidationError("error.number_range", field, value=value, low=low, high=high) from None
    if not low <= n <= high:
        raise ValidationError("error.number_range", field, value=value, low=low, high=high)
    return n


def training_hours(value: str | float | None) -> float | None:
    """A course's hours (as a work order's labour hours); empty: not given."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return hours(value)


def day(value: str, field: str = "date") -> date:
    """A date, YYYY-MM-DD."""
    raw = (value or "").strip()
    try:
        parsed = date.fromisoformat(raw)
    except ValueError:
        raise ValidationError("error.date_malformed", field, value=raw) from None
    if len(raw) != 10 or parsed.year < 1900:
        raise ValidationError("error.date_malformed", field, value=raw)
    return parsed


def month(value: str) -> str:
    """A month, YYYY-MM."""
    m = _MONTH.match((value or "").strip())
    if not m or not 1 <= int(m.group(2)) <= 12 or int(m.group(1)) < 1900:
        raise ValidationError("error.month_malformed", "month", value=value)
    return m.group(0)

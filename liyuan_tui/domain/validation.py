"""Input checks shared by the command line and the forms: each returns the clean value or raises
ValidationError naming the field. Pure functions; `now` and the zone are passed in."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, tzinfo

from .errors import ValidationError
from .models import CHANNELS, ROLES
from .procedures import Procedures

MAX_UNIT = 64
MAX_NAME = 40
MAX_TEXT = 4000
_PHONE_SEPARATORS = re.compile(r"[\s\-()]")
_LOGIN = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.\-]{0,31}$")
_REF = re.compile(r"^\d{6}-\d{4,}$")
_DATABASE = re.compile(r"^[A-Za-z_][A-Za-z0-9_\-]{0,62}$")
_CHANNEL_ALIASES = {"walkin": "walk-in", "walk_in": "walk-in", "来访": "walk-in", "电话": "phone",
                    "对讲": "intercom", "书面": "written"}
# A written request may be logged late; a clock a little ahead of ours is not "the future".
FUTURE_TOLERANCE = timedelta(minutes=2)


def category(value: str, procedures: Procedures) -> str:
    proc = procedures.resolve(value or "")
    if proc is None:
        choices = ", ".join(f"{p.letter}={p.key}" for p in procedures.values())
        raise ValidationError("error.category_unknown", "category", value=value, choices=choices)
    return proc.key


def channel(value: str) -> str:
    v = (value or "").strip().lower()
    v = _CHANNEL_ALIASES.get(v, v)
    if v not in CHANNELS:
        raise ValidationError("error.channel_unknown", "channel", value=value, choices=", ".join(CHANNELS))
    return v


def unit(value: str, *, required: bool = True) -> str:
    v = " ".join((value or "").split())
    if required and not v:
        raise ValidationError("error.unit_empty", "unit")
    if len(v) > MAX_UNIT:
        raise ValidationError("error.too_long", "unit", max=MAX_UNIT)
    return v


def phone(value: str, *, required: bool = True) -> str:
    """Digits with an optional leading +; spaces, dashes and brackets are dropped."""
    raw = (value or "").strip()
    if not raw:
        if required:
            raise ValidationError("error.phone_empty", "phone")
        return ""
    digits = _PHONE_SEPARATORS.sub("", raw)
    body = digits[1:] if digits.startswith("+") else digits
    if not body.isascii() or not body.isdigit() or not 3 <= len(body) <= 15:
        raise ValidationError("error.phone_malformed", "phone", value=raw)
    return digits


def name(value: str) -> str:
    v = " ".join((value or "").split())
    if len(v) > MAX_NAME:
        raise ValidationError("error.too_long", "name", max=MAX_NAME)
    return v


def text(value: str, field: str = "description") -> str:
    v = (value or "").strip()
    if len(v) > MAX_TEXT:
        raise ValidationError("error.too_long", field, max=MAX_TEXT)
    return v


def parse_time(value: str, tz: tzinfo, field: str = "received_at") -> datetime:
    """ISO 8601, or `YYYY-MM-DD HH:MM[:SS]` in local time; a time without an offset is local."""
    raw = (value or "").strip()
    try:
        parsed = datetime.fromisoformat(raw)
    except ValueError:
        raise ValidationError("error.time_malformed", field, value=raw) from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=tz)
    return parsed


def received_at(value: str, tz: tzinfo, now: datetime) -> datetime:
    when = parse_time(value, tz)
    if when > now + FUTURE_TOLERANCE:
        raise ValidationError("error.time_future", "received_at")
    return when


def ref(value: str) -> str:
    v = (value or "").strip()
    if not _REF.match(v):
        raise ValidationError("error.ref_malformed", "ref", value=value)
    return v


def login(value: str) -> str:
    v = (value or "").strip()
    if not _LOGIN.match(v):
        raise ValidationError("error.login_malformed", "login", value=value)
    return v


def role(value: str) -> str:
    v = (value or "").strip()
    if v not in ROLES:
        raise ValidationError("error.role_unknown", "role", value=value, choices=", ".join(ROLES))
    return v


def quantity(value: str | float) -> float:
    try:
        q = float(value)
    except (TypeError, ValueError):
        raise ValidationError("error.number_malformed", "qty", value=value) from None
    if not 0 < q <= 10_000 or q != q:
        raise ValidationError("error.number_malformed", "qty", value=value)
    return q


def estate(value: str) -> str:
    """An estate's code (letters, digits, _ . -, as a login)."""
    v = (value or "").strip()
    if not _LOGIN.match(v):
        raise ValidationError("error.estate_malformed", "estate", value=value)
    return v


def database_name(value: str) -> str:
    """A PostgreSQL database's name, as the desk creates one (letters, digits, _ and -)."""
    v = (value or "").strip()
    if not _DATABASE.match(v):
        raise ValidationError("error.database_name", "db", value=value)
    return v

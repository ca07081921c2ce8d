"""Input checks shared by the command line and the forms: each returns the clean value or raises
ValidationError naming the field. Pure functions; `now` and the zone are passed in."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, tzinfo

from .errors import ValidationError
from .models import CHANNELS, ROLES
from .procedures import Procedures
from .safe_text import describe, first_control

# Length limits (README "Length limits"), in characters.
MAX_UNIT = 64
MAX_NAME = 40
MAX_TEXT = 4000  # a description, a note, an outcome, a reason
MAX_VALUE = 200  # what a checklist step asks for (who was sent, which department …)
MAX_DEPARTMENT = 40  # the department a request was handed on to
MIN_QTY, MAX_QTY = 0.01, 10_000
# Times the desk can have received a request in (older ones are typing mistakes, and years past
# 9999 cannot even be converted between zones).
EARLIEST_YEAR, LATEST_YEAR = 2000, 2999
EVERY_SUPERVISOR = "cs_supervisor"  # `escalate --to`'s default: every customer-service supervisor
_PHONE_SEPARATORS = re.compile(r"[\s\-()]")
_LOGIN = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.\-]{0,31}$")
_REF = re.compile(r"^\d{6}-\d{4,}$")
_DATABASE = re.compile(r"^[A-Za-z_][A-Za-z0-9_\-]{0,62}$")
_CHANNEL_ALIASES = {"walkin": "walk-in", "walk_in": "walk-in", "来访": "walk-in", "电话": "phone",
                    "对讲": "intercom", "书面": "written"}
# A written request may be logged late; a clock a little ahead of ours is not "the future".
FUTURE_TOLERANCE = timedelta(minutes=2)


def category(value: str, procedures: Procedures) -> str:
    proc = procedures.resolve(plain(value, "category"))
    if proc is None:
        choices = ", ".join(f"{p.letter}={p.key}" for p in procedures.values())
        raise ValidationError("error.category_unknown", "category", value=value, choices=choices)
    return proc.key


def channel(value: str) -> str:
    v = plain(value, "channel").strip().lower()
    v = _CHANNEL_ALIASES.get(v, v)
    if v not in CHANNELS:
        raise ValidationError("error.channel_unknown", "channel", value=value, choices=", ".join(CHANNELS))
    return v


def plain(value: str, field: str, *, multiline: bool = False) -> str:
    """The text as typed, refused if it holds a control character: only tabs (and newlines in
    free text) are allowed. Every text field passes through here, so whatever path writes it
    (a form, the command line, an import) no escape sequence is ever stored."""
    v = value if isinstance(value, str) else ("" if value is None else str(value))
    bad = first_control(v, allow="\t\n" if multiline else "\t")
    if bad is not None:
        key = "error.not_utf8" if 0xD800 <= ord(bad) < 0xE000 else "error.control_char"
        raise ValidationError(key, field, char=describe(bad))
    return v


def line(value: str, field: str, limit: int, *, required: bool = False) -> str:
    """One line of text: controls refused, runs of spaces (and tabs) made one, at most `limit`."""
    v = " ".join(plain(value, field).split())
    if required and not v:
        raise ValidationError("error.unit_empty", field)
    if len(v) > limit:
        raise ValidationError("error.too_long", field, max=limit)
    return v


def unit(value: str, *, required: bool = True) -> str:
    v = " ".join(plain(value, "unit").split())
    if required and not v:
        raise ValidationError("error.unit_empty", "unit")
    if len(v) > MAX_UNIT:
        raise ValidationError("error.too_long", "unit", max=MAX_UNIT)
    return v


def phone(value: str, *, required: bool = True) -> str:
    """Digits with an optional leading +; spaces, dashes and brackets are dropped."""
    raw = plain(value, "phone").strip()
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
    return line(value, "name", MAX_NAME)


def text(value: str, field: str = "description", *, required: bool = False) -> str:
    """Free text (a description, a note, an outcome, a reason): newlines allowed."""
    v = value if isinstance(value, str) else ("" if value is None else str(value))
    if len(v) > MAX_TEXT + 1000:  # refused before looking at every character of a huge paste
        raise ValidationError("error.too_long", field, max=MAX_TEXT)
    v = plain(v, field, multiline=True).strip()
    if required and not v:
        raise ValidationError("error.unit_empty", field)
    if len(v) > MAX_TEXT:
        raise ValidationError("error.too_long", field, max=MAX_TEXT)
    return v


def value(v: str) -> str:
    """What a checklist step asks for: one line."""
    return line(v, "value", MAX_VALUE)


def department(value: str, field: str = "handed_to") -> str:
    return line(value, field, MAX_DEPARTMENT)


def parse_time(value: str, tz: tzinfo, field: str = "received_at") -> datetime:
    """ISO 8601, or `YYYY-MM-DD HH:MM[:SS]` in local time; a time without an offset is local."""
    raw = plain(value, field).strip()
    try:
        parsed = datetime.fromisoformat(raw)
    except ValueError:
        raise ValidationError("error.time_malformed", field, value=raw) from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=tz)
    return in_range(parsed, field, raw)


def in_range(when: datetime, field: str, raw: str = "") -> datetime:
    """Refuse a time before 2000 or after 2999 (a typing mistake, or one no zone can convert)."""
    if not EARLIEST_YEAR <= when.year <= LATEST_YEAR:
        raise ValidationError("error.time_out_of_range", field, value=raw or when.isoformat(),
                              first=EARLIEST_YEAR, last=LATEST_YEAR)
    return when


def received_at(value: str, tz: tzinfo, now: datetime) -> datetime:
    when = parse_time(value, tz)
    if when > now + FUTURE_TOLERANCE:
        raise ValidationError("error.time_future", "received_at")
    return when


def ref(value: str) -> str:
    v = plain(value, "ref").strip()
    if not _REF.fullmatch(v):
        raise ValidationError("error.ref_malformed", "ref", value=value)
    return v


def login(value: str, field: str = "login") -> str:
    v = plain(value, field).strip()
    if not _LOGIN.fullmatch(v):
        raise ValidationError("error.login_malformed", field, value=value)
    return v


def escalate_to(value: str) -> str:
    """Whom an escalation goes to: every supervisor (the default), or one supervisor's login
    (the store checks it is an active supervisor)."""
    v = (value or "").strip() or EVERY_SUPERVISOR
    return v if v == EVERY_SUPERVISOR else login(v, "to")


def role(value: str) -> str:
    v = plain(value, "role").strip()
    if v not in ROLES:
        raise ValidationError("error.role_unknown", "role", value=value, choices=", ".join(ROLES))
    return v


def quantity(value: str | float) -> float:
    try:
        q = float(value)
    except (TypeError, ValueError):
        raise ValidationError("error.number_malformed", "qty", value=value) from None
    if not MIN_QTY <= q <= MAX_QTY:  # also refuses nan and inf
        raise ValidationError("error.qty_range", "qty", value=value, low=MIN_QTY, high=MAX_QTY)
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

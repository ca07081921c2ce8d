"""Input checks shared by the command line and the forms: each returns the clean value or raises
ValidationError naming the field. Pure functions; `now` and the zone are passed in."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timedelta, tzinfo
from typing import Any, TypeVar

from .errors import ValidationError
from .fees import yuan_to_fen
from .procedures import Procedure, Procedures
from .safe_text import describe, first_control, visible
from .vocabulary import CHANNELS, ROLES

# Length limits (README "Length limits"), in characters.
MAX_UNIT = 64
MAX_NAME = 40
MAX_TEXT = 4000  # a description, a note, an outcome, a reason
MAX_ANALYSIS = 20000  # a month's written analysis: a page or several
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
_CHANNEL_ALIASES = {
    "walkin": "walk-in",
    "walk_in": "walk-in",
    "来访": "walk-in",
    "电话": "phone",
    "对讲": "intercom",
    "书面": "written",
}
T = TypeVar("T")
# A written request may be logged late; a clock a little ahead of ours is not "the future".
FUTURE_TOLERANCE = timedelta(minutes=2)


def category(value: str, procedures: Procedures) -> str:
    proc = procedures.resolve(no_controls(value, "category"))
    if proc is None:
        choices = ", ".join(f"{p.letter}={p.key}" for p in procedures.values())
        raise ValidationError("error.category_unknown", "category", value=value, choices=choices)
    return proc.key


def channel(value: str) -> str:
    v = no_controls(value, "channel").strip().lower()
    v = _CHANNEL_ALIASES.get(v, v)
    if v not in CHANNELS:
        raise ValidationError("error.channel_unknown", "channel", value=value, choices=", ".join(CHANNELS))
    return v


def no_controls(value: str, field: str, *, multiline: bool = False) -> str:
    """The text as typed, refused if it holds a control character (safe_text.is_control: C0/C1
    controls, DEL, bidirectional overrides, bytes that were not UTF-8): only tabs, and newlines in
    free text, are allowed. Every text field passes through here, so whatever path writes it (a
    form, the command line, an import) no escape sequence is ever stored."""
    v = value if isinstance(value, str) else ("" if value is None else str(value))
    bad = first_control(v, allow="\t\n" if multiline else "\t")
    if bad is not None:
        key = "error.not_utf8" if 0xD800 <= ord(bad) < 0xE000 else "error.control_character"
        raise ValidationError(key, field, code=describe(bad))
    return v


def line(value: str, field: str, limit: int, *, required: bool = False) -> str:
    """One line of text: controls refused, runs of spaces (and tabs) made one, at most `limit`."""
    v = " ".join(no_controls(value, field).split())
    if required and not v:
        raise ValidationError("error.unit_empty", field)
    if len(v) > limit:
        raise ValidationError("error.too_long", field, max=limit)
    return v


def unit(value: str, *, required: bool = True) -> str:
    v = " ".join(no_controls(value, "unit").split())
    if required and not v:
        raise ValidationError("error.unit_empty", "unit")
    if len(v) > MAX_UNIT:
        raise ValidationError("error.too_long", "unit", max=MAX_UNIT)
    return v


def phone(value: str, *, required: bool = True) -> str:
    """Digits with an optional leading +; spaces, dashes and brackets are dropped."""
    raw = no_controls(value, "phone").strip()
    if not raw:
        if required:
            raise ValidationError("error.phone_empty", "phone")
        return ""
    digits = _PHONE_SEPARATORS.sub("", raw)
    body = digits[1:] if digits.startswith("+") else digits
    if not ascii_digits(body) or not 3 <= len(body) <= 15:
        raise ValidationError("error.phone_malformed", "phone", value=raw)
    return digits


def ascii_digits(text: str) -> bool:
    """0-9 only, at least one: what int() and SQL read as a number ("²" and "١" are digits to
    str.isdigit, and int("²") fails)."""
    return text.isascii() and text.isdigit()


def name(value: str) -> str:
    return line(value, "name", MAX_NAME)


def text(value: str, field: str = "description", *, required: bool = False) -> str:
    """Free text (a description, a note, an outcome, a reason): newlines allowed."""
    v = value if isinstance(value, str) else ("" if value is None else str(value))
    if len(v) > MAX_TEXT + 1000:  # refused before looking at every character of a huge paste
        raise ValidationError("error.too_long", field, max=MAX_TEXT)
    v = no_controls(v, field, multiline=True).strip()
    if required and not v:
        raise ValidationError("error.unit_empty", field)
    if len(v) > MAX_TEXT:
        raise ValidationError("error.too_long", field, max=MAX_TEXT)
    return v


def analysis(value: str) -> str:
    """A supervisor's written analysis: free text over several lines, trailing spaces trimmed."""
    v = "\n".join(
        line.rstrip() for line in no_controls(value or "", "analysis", multiline=True).strip().splitlines()
    )
    if len(v) > MAX_ANALYSIS:
        raise ValidationError("error.too_long", "analysis", max=MAX_ANALYSIS)
    return v


def value(v: str) -> str:
    """What a checklist step asks for: one line."""
    return line(v, "value", MAX_VALUE)


def department(value: str, field: str = "handed_to") -> str:
    return line(value, field, MAX_DEPARTMENT)


OUTCOME_KINDS = ("resolved", "handed_on", "withdrawn", "other")


def closing(outcome: str, kind: str, handed_to: str) -> tuple[str, str, str]:
    """A close's outcome, its kind and the department it was handed to, checked: a request handed
    on says to whom (never pass the buck)."""
    outcome, handed_to = text(outcome, "outcome"), department(handed_to)
    kind = no_controls(kind, "outcome").strip() or ("handed_on" if handed_to else "resolved")
    if kind not in OUTCOME_KINDS:
        raise ValidationError("error.outcome_kind", "outcome", value=kind, choices=", ".join(OUTCOME_KINDS))
    if not outcome:
        raise ValidationError("error.outcome_empty", "outcome")
    if kind == "handed_on" and not handed_to:
        raise ValidationError("error.handed_to_missing", "handed_to")
    return outcome, kind, handed_to


def parse_time(value: str, tz: tzinfo, field: str = "received_at") -> datetime:
    """ISO 8601, or `YYYY-MM-DD HH:MM[:SS]` in local time; a time without an offset is local."""
    raw = no_controls(value, field).strip()
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
        raise ValidationError(
            "error.time_out_of_range",
            field,
            value=raw or when.isoformat(),
            first=EARLIEST_YEAR,
            last=LATEST_YEAR,
        )
    return when


def received_at(value: str, tz: tzinfo, now: datetime) -> datetime:
    when = parse_time(value, tz)
    if when > now + FUTURE_TOLERANCE:
        raise ValidationError("error.time_future", "received_at")
    return when


def ref(value: str) -> str:
    v = no_controls(value, "ref").strip()
    if not _REF.fullmatch(v):
        raise ValidationError("error.ref_malformed", "ref", value=value)
    return v


def login(value: str, field: str = "login") -> str:
    v = no_controls(value, field).strip()
    if not _LOGIN.fullmatch(v):
        raise ValidationError("error.login_malformed", field, value=value)
    return v


def escalate_to(value: str) -> str:
    """Whom an escalation goes to: every supervisor (the default), or one supervisor's login
    (the store checks it is an active supervisor)."""
    v = (value or "").strip() or EVERY_SUPERVISOR
    return v if v == EVERY_SUPERVISOR else login(v, "to")


def role(value: str) -> str:
    """A role by its key (`assistant`) or its name in either language (物业助理, "security duty lead")."""
    from .i18n import catalog
    from .procedures import Text

    v = " ".join(no_controls(value or "", "role").split())
    names = {r: catalog()[f"role.{r}"] for r in ROLES}
    for key, name in names.items():
        if v.lower() in (key, name["en"].lower()) or v == name["zh"]:
            return key
    raise ValidationError(
        "error.role_unknown",
        "role",
        value=value,
        choices=Text("、".join(n["zh"] for n in names.values()), ", ".join(n["en"] for n in names.values())),
    )


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


# --- the back office (work orders, materials, tools) ---------------------------------------------

MAX_CODE = 32
MAX_LINE = 200
MAX_QTY_MILLI = 1_000_000 * 1000  # a million of any unit: above that is a typing mistake
MAX_HOURS = 200
_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,31}$")
_ORDER = re.compile(r"^W\d{6}-\d{4,}$")
_QTY = re.compile(r"^\d+(\.\d{1,3})?$")


def plain(
    value: str, field: str, *, max_len: int = MAX_LINE, newlines: bool = False, required: bool = False
) -> str:
    """Text typed by a person, stripped (runs of spaces made one where it has no lines): control
    characters refused (no_controls), at most `max_len`."""
    v = no_controls(value, field, multiline=newlines)
    v = v.strip() if newlines else " ".join(v.split())
    if required and not v:
        raise ValidationError("error.unit_empty", field)
    if len(v) > max_len:
        raise ValidationError("error.too_long", field, max=max_len)
    return v


def code(value: str, field: str = "code") -> str:
    """A material's or tool's code: ASCII letters, digits, `.`, `-`, `_` (what people type fast)."""
    v = (value or "").strip()
    if not _CODE.match(v):
        raise ValidationError("error.code_malformed", field, value=plain_shown(value))
    return v


def order_number(value: str, field: str = "number") -> str:
    v = (value or "").strip().upper()
    if not _ORDER.match(v):
        raise ValidationError("error.order_malformed", field, value=plain_shown(value))
    return v


def quantity_milli(value: str | float | int, field: str = "quantity", *, allow_zero: bool = False) -> int:
    """A quantity of a material (at most 3 decimals) as whole thousandths of its unit."""
    raw = str(value).strip() if value is not None else ""
    if len(raw) > 20 or not _QTY.match(raw):  # (thousands of digits are no quantity, nor an int())
        raise ValidationError("error.number_malformed", field, value=plain_shown(raw))
    whole, _, part = raw.partition(".")
    milli = int(whole) * 1000 + int((part + "000")[:3])
    if milli > MAX_QTY_MILLI or (milli == 0 and not allow_zero):
        raise ValidationError("error.number_malformed", field, value=raw)
    return milli


def price_fen(value: str | float | int, field: str = "price") -> int:
    """A unit price in yuan (at most 2 decimals) as whole fen, like the fee schedule's."""
    raw = str(value).strip() if value is not None else ""
    try:
        if not re.fullmatch(r"\d+(\.\d{1,2})?", raw):
            raise ValueError(raw)
        return yuan_to_fen(raw)
    except ValueError:
        raise ValidationError("error.price_malformed", field, value=plain_shown(raw)) from None


def hours(value: str | float) -> float:
    """Labour hours on a work order: above 0, at most MAX_HOURS, to the hundredth."""
    raw = str(value).strip() if value is not None else ""
    if not re.fullmatch(r"\d+(\.\d{1,2})?", raw) or not 0 < float(raw) <= MAX_HOURS:
        raise ValidationError("error.hours_malformed", "hours", value=plain_shown(raw), max=MAX_HOURS)
    return round(float(raw), 2)


def choice(value: str, field: str, choices: tuple[str, ...]) -> str:
    v = (value or "").strip().lower()
    if v not in choices:
        raise ValidationError(
            "error.choice_unknown", field, value=plain_shown(value), choices=", ".join(choices)
        )
    return v


def materials(specs: list[str] | tuple[str, ...]) -> list[tuple[str, int]]:
    """`CODE=QTY` as typed after --material (or in the finish dialog, comma-separated)."""
    out: dict[str, int] = {}
    for spec in specs:
        for part in (p for p in str(spec).replace("，", ",").split(",") if p.strip()):
            name, sep, qty = part.partition("=")
            if not sep:
                raise ValidationError("error.material_spec", "material", value=plain_shown(part))
            c = code(name, "material")
            out[c] = out.get(c, 0) + quantity_milli(qty, "material")
    return list(out.items())


def plain_shown(value: object, limit: int = 40) -> str:
    """A refused value as a message may quote it: controls shown as \\x.., cut short."""
    return visible(value, newlines=False, limit=limit)


def fault_kind(value: str, proc: Procedure | None) -> str:
    """One of the category's kinds of fault (its key, or its name in either language); "" for none."""
    v = (value or "").strip()
    if not v:
        return ""
    kinds = proc.fault_kinds if proc is not None else ()
    for kind in kinds:
        if v.lower() in (kind.key.lower(), kind.name.en.lower()) or v == kind.name.zh:
            return kind.key
    raise ValidationError(
        "error.fault_kind_unknown", "fault_kind", value=value, choices=", ".join(k.key for k in kinds) or "-"
    )


def as_field(field: str, check: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run a check made for one field (a phone, a name, a unit) on another, naming that one."""
    try:
        return check(*args, **kwargs)
    except ValidationError as exc:
        raise ValidationError(exc.key, field, **exc.params) from None

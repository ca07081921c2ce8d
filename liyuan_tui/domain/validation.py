"""Input checks shared by the command line and the forms: each returns the clean value or raises
ValidationError naming the field. Pure functions; `now` and the zone are passed in."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, timedelta, tzinfo
from typing import Any, Callable, TypeVar

from .errors import ValidationError
from .fees import yuan_to_fen
from .models import CHANNELS, ROLES
from .procedures import Procedure, Procedures

MAX_UNIT = 64
MAX_NAME = 40
MAX_TEXT = 4000
MAX_ANALYSIS = 20000  # a month's written analysis: a page or several
_PHONE_SEPARATORS = re.compile(r"[\s\-()]")
_LOGIN = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.\-]{0,31}$")
_REF = re.compile(r"^\d{6}-\d{4,}$")
_DATABASE = re.compile(r"^[A-Za-z_][A-Za-z0-9_\-]{0,62}$")
_CHANNEL_ALIASES = {"walkin": "walk-in", "walk_in": "walk-in", "来访": "walk-in", "电话": "phone",
                    "对讲": "intercom", "书面": "written"}
T = TypeVar("T")
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


def analysis(value: str) -> str:
    """A supervisor's written analysis: free text over several lines, trailing spaces trimmed."""
    v = "\n".join(line.rstrip() for line in (value or "").strip().splitlines())
    if len(v) > MAX_ANALYSIS:
        raise ValidationError("error.too_long", "analysis", max=MAX_ANALYSIS)
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
    """A role by its key (`assistant`) or its name in either language (物业助理, "security duty lead")."""
    from .i18n import catalog
    from .procedures import Text

    v = " ".join((value or "").split())
    names = {r: catalog()[f"role.{r}"] for r in ROLES}
    for key, name in names.items():
        if v.lower() in (key, name["en"].lower()) or v == name["zh"]:
            return key
    raise ValidationError("error.role_unknown", "role", value=value,
                          choices=Text("、".join(n["zh"] for n in names.values()), ", ".join(n["en"] for n in names.values())))


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


# --- the back office (work orders, materials, tools) ---------------------------------------------

MAX_CODE = 32
MAX_LINE = 200
MAX_QTY_MILLI = 1_000_000 * 1000  # a million of any unit: above that is a typing mistake
MAX_HOURS = 200
_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,31}$")
_ORDER = re.compile(r"^W\d{6}-\d{4,}$")
_QTY = re.compile(r"^\d+(\.\d{1,3})?$")
# Bidirectional overrides reorder what a terminal shows (a unit that reads as another one).
_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def plain(value: str, field: str, *, max_len: int = MAX_LINE, newlines: bool = False,
          required: bool = False) -> str:
    """Text typed by a person, stripped: control characters (a terminal's escape sequences, NUL,
    bidirectional overrides) refused; newline and tab only where the text may have lines."""
    v = (value or "").strip() if newlines else " ".join((value or "").split())
    allowed = "\n\t" if newlines else ""
    for ch in v:
        if ch in _BIDI or (unicodedata.category(ch) in ("Cc", "Cs") and ch not in allowed):
            raise ValidationError("error.control_character", field, code=f"U+{ord(ch):04X}")
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


def order_number(value: str) -> str:
    v = (value or "").strip().upper()
    if not _ORDER.match(v):
        raise ValidationError("error.order_malformed", "number", value=plain_shown(value))
    return v


def quantity_milli(value: str | float | int, field: str = "quantity", *, allow_zero: bool = False) -> int:
    """A quantity of a material (at most 3 decimals) as whole thousandths of its unit."""
    raw = str(value).strip() if value is not None else ""
    if not _QTY.match(raw):
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
        raise ValidationError("error.choice_unknown", field, value=plain_shown(value), choices=", ".join(choices))
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
    text = str(value if value is not None else "")
    shown = "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in text)
    return shown if len(shown) <= limit else shown[:limit] + "…"


# --- the back office II: follow-up calls, the household file, staff records --------------------

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


def _whole_number(value: str | int | None, field: str, low: int, high: int, optional: bool = False) -> int | None:
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


def fault_kind(value: str, proc: Procedure | None) -> str:
    """One of the category's kinds of fault (its key, or its name in either language); "" for none."""
    v = (value or "").strip()
    if not v:
        return ""
    kinds = proc.fault_kinds if proc is not None else ()
    for kind in kinds:
        if v.lower() in (kind.key.lower(), kind.name.en.lower()) or v == kind.name.zh:
            return kind.key
    raise ValidationError("error.fault_kind_unknown", "fault_kind", value=value,
                          choices=", ".join(k.key for k in kinds) or "-")


def as_field(field: str, check: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run a check made for one field (a phone, a name, a unit) on another, naming that one."""
    try:
        return check(*args, **kwargs)
    except ValidationError as exc:
        raise ValidationError(exc.key, field, **exc.params) from None

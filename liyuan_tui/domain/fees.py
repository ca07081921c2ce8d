"""The paid-service fee schedule (4.9, 有偿服务收费标准) as data: loads and validates fees.toml.

The shipped data/fees.toml is an example; a site points LIYUAN_FEES (or --fees) at its own file.
Money is whole fen (分) everywhere inside the desk: prices are written in yuan in the file and
turned into fen once, here, with decimal arithmetic, so no float ever rounds a bill.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from importlib import resources
from pathlib import Path
from typing import Any

from .errors import ValidationError
from .procedures import DataFileError, Text

MAX_PRICE_FEN = 100_000_00  # 100,000 yuan: anything above is a typing mistake on a service item
MAX_FILE_BYTES = 1_000_000  # a schedule is a few kilobytes; more is not one (a device never ends)


class FeeScheduleError(DataFileError):
    """A fee schedule the desk cannot use: names the file, the item and the problem."""

    entry_kind = "item"


@dataclass(frozen=True)
class Fee:
    """One line of the schedule: what is charged, per what, and the price in fen."""

    code: str
    name: Text
    unit: Text
    price_fen: int


@dataclass(frozen=True)
class FeeSchedule:
    items: tuple[Fee, ...]
    title: Text
    example: bool = False  # the shipped example: every listing says so
    source: str = ""

    def get(self, code: str) -> Fee | None:
        return next((f for f in self.items if f.code == code), None)

    def resolve(self, value: str) -> Fee | None:
        """An item from its code, or its Chinese or English name (any case); None if unknown."""
        v = (value or "").strip()
        low = v.lower()
        for f in self.items:
            if low in (f.code.lower(), f.name.en.lower()) or v == f.name.zh:
                return f
        return None


def fee_for(schedule: FeeSchedule, item: str) -> Fee:
    """The schedule's line for a code or name, or a refusal naming the codes there are."""
    fee = schedule.resolve(item)
    if fee is None:
        raise ValidationError(
            "error.fee_item_unknown", "item", value=item, choices=", ".join(f.code for f in schedule.items)
        )
    return fee


def yuan_to_fen(value: Any) -> int:
    """A price written in yuan (50, 12.5, "12.50") as whole fen; refuses fractions of a fen."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise ValueError(f"price must be a number of yuan, not {value!r}")
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValueError(f"price must be a number of yuan, not {value!r}") from None
    if not amount.is_finite() or amount < 0:
        raise ValueError(f"price must be 0 or more yuan, not {value!r}")
    fen = amount * 100
    if fen != fen.to_integral_value():
        raise ValueError(f"price {value!r} has fractions of a fen (at most 2 decimals)")
    if fen > MAX_PRICE_FEN:
        raise ValueError(f"price {value!r} is above {MAX_PRICE_FEN // 100} yuan")
    return int(fen)


def charge_amount(price_fen: int, qty: float) -> int:
    """Price × quantity in fen, rounded half up to the fen (as a cashier would)."""
    return int((Decimal(price_fen) * Decimal(str(qty))).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def format_yuan(fen: int) -> str:
    """12345 → "123.45"."""
    sign = "-" if fen < 0 else ""
    whole, part = divmod(abs(fen), 100)
    return f"{sign}{whole:,}.{part:02d}"


def shipped_file() -> Any:
    return resources.files("liyuan_tui.data") / "fees.toml"


def load_fees(path: Path | None = None) -> FeeSchedule:
    """The site's schedule (a file named by LIYUAN_FEES / --fees), else the shipped example."""
    return parse_fees(*fees_text(path))


def fees_text(path: Path | None = None) -> tuple[str, str]:
    """(its text, where it came from) of a fee schedule file, else of the shipped example."""
    if path is None:
        return shipped_file().read_text(encoding="utf-8"), "fees.toml"
    try:
        with path.open("rb") as file:
            data = file.read(MAX_FILE_BYTES + 1)  # (never the whole of /dev/zero)
        text = data.decode("utf-8")
    except FileNotFoundError:
        raise FeeScheduleError(str(path), "fee schedule file does not exist") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise FeeScheduleError(str(path), f"cannot be read: {exc}") from exc
    if len(data) > MAX_FILE_BYTES:
        raise FeeScheduleError(str(path), f"larger than {MAX_FILE_BYTES // 1000} kB: not a fee schedule")
    return text, str(path)


_TOP_KEYS = {"title", "example", "items", "note", "currency"}
_ITEM_KEYS = {"code", "zh", "en", "unit", "price", "note"}


def parse_fees(text: str, source: str) -> FeeSchedule:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise FeeScheduleError(source, f"not valid TOML: {exc}") from exc
    unknown = set(data) - _TOP_KEYS
    if unknown:
        raise FeeScheduleError(source, f"unknown setting(s): {', '.join(sorted(unknown))}")
    if data.get("currency", "CNY") != "CNY":
        raise FeeScheduleError(source, "currency must be CNY (prices in yuan)")
    example = data.get("example", False)
    if not isinstance(example, bool):
        raise FeeScheduleError(source, "example must be true or false")
    title = _text(
        data.get("title", {"zh": "有偿服务收费标准", "en": "Paid-service fee schedule"}), source, "title"
    )
    raw_items = data.get("items")
    if not isinstance(raw_items, list) or not raw_items:
        raise FeeScheduleError(source, "has no [[items]]")
    items: list[Fee] = []
    for i, raw in enumerate(raw_items, 1):
        fee = _parse_item(raw, source, i)
        if any(f.code == fee.code for f in items):
            raise FeeScheduleError(source, "is defined twice", fee.code)
        items.append(fee)
    return FeeSchedule(tuple(items), title, example, source)


def _parse_item(raw: Any, source: str, index: int) -> Fee:
    if not isinstance(raw, dict):
        raise FeeScheduleError(source, f"items #{index} must be a table")
    code = raw.get("code")
    if not isinstance(code, str) or not code.strip():
        raise FeeScheduleError(source, "has no code", f"#{index}")
    if not code.isascii() or not code.replace("_", "").replace("-", "").isalnum():
        raise FeeScheduleError(source, "code must be ASCII letters, digits, - or _", code)
    unknown = set(raw) - _ITEM_KEYS
    if unknown:
        raise FeeScheduleError(source, f"unknown setting(s): {', '.join(sorted(unknown))}", code)
    for lang in ("zh", "en"):
        if not isinstance(raw.get(lang), str) or not raw[lang].strip():
            raise FeeScheduleError(source, f"has no {lang} name", code)
    unit = _text(raw.get("unit"), source, "unit", code)
    if "price" not in raw:
        raise FeeScheduleError(source, "has no price", code)
    try:
        price = yuan_to_fen(raw["price"])
    except ValueError as exc:
        raise FeeScheduleError(source, str(exc), code) from None
    return Fee(code, Text(raw["zh"].strip(), raw["en"].strip()), unit, price)


def _text(value: Any, source: str, what: str, item: str | None = None) -> Text:
    text = Text.parse(value)
    if text is None:
        raise FeeScheduleError(source, f"{what} needs both zh and en text", item)
    return text

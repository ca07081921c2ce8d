"""Reading a paper or Excel logbook (history) and the customer archive (residents) from CSV.

Pure: a file's bytes in (a stream, read as the rows are asked for, so a file of any length is
read in bounded memory), checked rows and the problems found out, each problem with its line
number. The columns are documented in docs/import.md; a header may use the English names or the
Chinese ones. Writing is the store's job (store/imports.py).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from functools import partial
from typing import IO, Any, Generic, TypeVar

from . import validation as check
from .errors import ValidationError
from .i18n import Translator
from .procedures import Procedures

T = TypeVar("T")

HISTORY_COLUMNS = {  # column → Chinese header also accepted
    "category": "类别",
    "received_at": "接报时间",
    "replied_at": "回复时间",
    "closed_at": "关闭时间",
    "unit": "房号",
    "phone": "电话",
    "name": "姓名",
    "channel": "渠道",
    "description": "内容",
    "outcome": "处理结果",
    "handled_by": "经办人",
    "escalated": "上报",
    "major": "重大",
    "confidential": "保密",
    "handed_to": "转交部门",
}
HISTORY_REQUIRED = ("category", "received_at", "unit")
RESIDENT_COLUMNS = {"unit": "房号", "name": "姓名", "phones": "电话", "notes": "备注", "relation": "关系"}
RESIDENT_ALIASES = {"phone": "phones", "note": "notes"}
RESIDENT_REQUIRED = ("unit",)
MAX_DEPARTMENT = check.MAX_DEPARTMENT
_TRUE = {"1", "y", "yes", "true", "x", "✓", "是", "有"}
_FALSE = {"", "0", "n", "no", "false", "否", "无"}
_LOCAL_TIME = re.compile(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?$")
_PHONE_LIST = re.compile(r"[,;/、,;]")


@dataclass(frozen=True)
class RowProblem:
    line: int  # 1 is the header
    column: str | None
    key: str  # message key
    params: dict[str, Any] = field(default_factory=dict)

    def text(self, t: Translator) -> str:
        where = t("import.line", line=self.line) + (f" {self.column}" if self.column else "")
        return f"{where}: {t(self.key, **self.params)}"


@dataclass
class Parsed(Generic[T]):
    """The rows, read as they are asked for (once); `problems` and `fatal` fill in as they are read."""

    rows: Iterable[T] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    fatal: bool = False  # the file itself cannot be read (encoding, header): nothing can be imported

    @property
    def bad_lines(self) -> list[int]:
        return sorted({p.line for p in self.problems})


@dataclass(frozen=True)
class HistoryRow:
    line: int
    category: str
    received_at: datetime
    replied_at: datetime | None
    closed_at: datetime | None
    unit: str
    phone: str
    requester_name: str
    channel: str
    description: str
    outcome: str
    handled_by: str
    escalated: bool
    major: bool
    confidential: bool
    handed_to: str


@dataclass(frozen=True)
class ResidentRow:
    line: int
    unit: str
    name: str
    phones: tuple[str, ...]
    notes: str
    relation: str = ""  # in the household: 户主, 配偶, 租户 … (the household file's people)


def _lines(data: bytes | IO[bytes], problems: list[RowProblem], fail: Callable[[], None]) -> Iterator[str]:
    """The file's lines as text, each decoded on its own so a byte that is not UTF-8 is found on its
    line; Excel's "CSV UTF-8" starts with a BOM, plain UTF-8 does not."""
    stream = io.BytesIO(data) if isinstance(data, (bytes, bytearray)) else data
    for number, raw in enumerate(stream, 1):
        try:
            text = raw.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError:
            problems.append(RowProblem(number, None, "import.not_utf8"))
            fail()
            return
        yield text


def read_table(
    data: bytes | IO[bytes],
    known: dict[str, str],
    required: tuple[str, ...],
    aliases: dict[str, str] | None = None,
) -> tuple[Iterator[tuple[int, dict[str, str]]], Parsed[Any]]:
    """The data rows as (line, {column: text}), read as they are asked for, and a Parsed holding
    the problems found so far (the header's at once, the rows' as they are read) and whether the
    file itself is unusable (encoding, header): then nothing can be imported, --skip-bad or not."""
    out: Parsed[Any] = Parsed()

    def fail() -> None:
        out.fatal = True

    reader = csv.reader(_lines(data, out.problems, fail))
    try:
        header = next(reader, None)
    except csv.Error:  # a stray carriage return, a NUL: not a CSV file at all
        out.problems.append(RowProblem(1, None, "import.not_csv"))
        out.fatal = True
        return iter(()), out
    if out.fatal:
        return iter(()), out
    if header is None:
        out.problems.append(RowProblem(1, None, "import.empty_file"))
        out.fatal = True
        return iter(()), out
    by_name = {v: k for k, v in known.items()} | {k: k for k in known} | dict(aliases or {})
    columns: list[str | None] = []
    for name in header:
        clean = name.strip().lower() if name.strip().isascii() else name.strip()
        col = by_name.get(clean)
        if col is None and clean:
            out.problems.append(
                RowProblem(1, name.strip(), "import.unknown_column", {"choices": ", ".join(known)})
            )
        if col is not None and col in columns:
            out.problems.append(RowProblem(1, name.strip(), "import.duplicate_column"))
        columns.append(col)
    for need in required:
        if need not in columns:
            out.problems.append(RowProblem(1, need, "import.missing_column"))
    if out.problems:
        out.fatal = True
        return iter(()), out

    def rows() -> Iterator[tuple[int, dict[str, str]]]:
        last = reader.line_num
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error:
                out.problems.append(RowProblem(last + 1, None, "import.not_csv"))
                out.fatal = True
                return
            line, last = last + 1, reader.line_num
            if not any(c.strip() for c in cells):
                continue  # blank rows (Excel leaves them) are not records
            if len(cells) > len(columns) and any(c.strip() for c in cells[len(columns) :]):
                out.problems.append(
                    RowProblem(
                        line, None, "import.too_many_cells", {"count": len(cells), "expected": len(columns)}
                    )
                )
                continue
            yield line, {c: (cells[i] if i < len(cells) else "") for i, c in enumerate(columns) if c}

    return rows(), out


def parse_time(value: str, tz: tzinfo, column: str) -> datetime:
    """ISO 8601 (with or without an offset), or `YYYY-MM-DD HH:MM[:SS]` local; Excel's
    `YYYY/M/D H:MM` is read the same way. A time without an offset is local."""
    raw = value.strip()
    m = _LOCAL_TIME.match(raw)
    if m:
        y, mo, d, h, mi, s = (int(x) if x else 0 for x in m.groups())
        try:
            when = datetime(y, mo, d, h, mi, s, tzinfo=tz)
        except ValueError:
            raise ValidationError("error.time_malformed", column, value=raw) from None
        return check.in_range(when, column, raw)
    return check.parse_time(raw, tz, column)


def parse_flag(value: str, column: str) -> bool:
    v = value.strip().lower()
    if v in _TRUE:
        return True
    if v in _FALSE:
        return False
    raise ValidationError("import.flag_malformed", column, value=value)


def _collect(line: int, problems: list[RowProblem], column: str, fn: Callable[[], Any]) -> Any:
    try:
        return fn()
    except ValidationError as exc:
        problems.append(RowProblem(line, column, exc.key, exc.params))
        return None


def parse_history(
    data: bytes | IO[bytes], procedures: Procedures, tz: tzinfo, now: datetime
) -> Parsed[HistoryRow]:
    """The logbook's rows, checked as they are read. A row repeating an earlier one (the same
    reception time, unit and category) is a problem; what is kept to find them is a number a row."""
    table, out = read_table(data, HISTORY_COLUMNS, HISTORY_REQUIRED)
    out.rows = _history_rows(table, out, procedures, tz, now)
    return out


def _history_rows(
    table: Iterator[tuple[int, dict[str, str]]],
    out: Parsed[HistoryRow],
    procedures: Procedures,
    tz: tzinfo,
    now: datetime,
) -> Iterator[HistoryRow]:
    seen: dict[int, int] = {}  # hash of (reception time, unit, category) → the line it was first on
    latest = now + check.FUTURE_TOLERANCE
    # A logbook repeats a few categories and channels: each is checked once (a long file's rows
    # are read at the pace of the database's own insert).
    categories = _Cached(lambda v: check.category(v, procedures))
    channels = _Cached(lambda v: check.channel(v or "phone"))
    flags = {
        name: _Cached(partial(parse_flag, column=name)) for name in ("escalated", "major", "confidential")
    }
    checks: tuple[tuple[str, str, Callable[[str], Any]], ...] = (
        ("unit", "unit", check.unit),
        ("phone", "phone", _optional_phone),
        ("requester_name", "name", check.name),
        ("channel", "channel", channels),
        ("description", "description", check.text),
        ("outcome", "outcome", _outcome),
        ("handled_by", "handled_by", _handler),
        ("escalated", "escalated", flags["escalated"]),
        ("major", "major", flags["major"]),
        ("confidential", "confidential", flags["confidential"]),
        ("handed_to", "handed_to", _department),
    )
    for line, cells in table:
        bad: list[RowProblem] = []
        category = _check(line, bad, "category", categories, cells.get("category", ""))
        times: dict[str, datetime | None] = {}
        for column in ("received_at", "replied_at", "closed_at"):
            raw = cells.get(column, "").strip()
            if not raw:
                if column == "received_at":
                    bad.append(RowProblem(line, column, "error.unit_empty"))
                times[column] = None
                continue
            value = times[column] = _check(line, bad, column, partial(parse_time, tz=tz, column=column), raw)
            if value is not None and value > latest:
                bad.append(RowProblem(line, column, "error.time_future"))
        received, replied, closed = times["received_at"], times["replied_at"], times["closed_at"]
        if received and replied and replied < received:
            bad.append(RowProblem(line, "replied_at", "import.before_received"))
        if received and closed and closed < received:
            bad.append(RowProblem(line, "closed_at", "import.before_received"))
        if replied and closed and closed < replied:
            bad.append(RowProblem(line, "closed_at", "import.before_replied"))
        row = {field: _check(line, bad, column, fn, cells.get(column, "")) for field, column, fn in checks}
        if not bad and received is not None:
            first = seen.setdefault(hash((received.timestamp(), row["unit"], category)), line)
            if first != line:
                bad.append(RowProblem(line, None, "import.duplicate_request", {"first": first}))
        if bad or received is None:  # (a missing reception time was said above)
            out.problems += bad
            continue
        yield HistoryRow(
            line=line, category=category, received_at=received, replied_at=replied, closed_at=closed, **row
        )


class _Cached:
    """A check of a cell that repeats (a category, a channel, a flag): its answer or refusal kept."""

    def __init__(self, fn: Callable[[str], Any]) -> None:
        self.fn = fn
        self.known: dict[str, Any] = {}  # the answer, or the refusal

    def __call__(self, value: str) -> Any:
        try:
            answer = self.known[value]
        except KeyError:
            try:
                answer = self.known[value] = self.fn(value)
            except ValidationError as exc:
                answer = self.known[value] = exc
        if isinstance(answer, ValidationError):
            raise answer
        return answer


def _check(line: int, problems: list[RowProblem], column: str, fn: Callable[[str], Any], value: str) -> Any:
    try:
        return fn(value)
    except ValidationError as exc:
        problems.append(RowProblem(line, column, exc.key, exc.params))
        return None


def _optional_phone(value: str) -> str:
    return check.phone(value, required=False)


def _outcome(value: str) -> str:
    return check.text(value, "outcome")


def _handler(value: str) -> str:
    return check.line(value, "handled_by", check.MAX_NAME)


def _department(value: str) -> str:
    return check.department(value)


def parse_residents(data: bytes | IO[bytes]) -> Parsed[ResidentRow]:
    table, out = read_table(data, RESIDENT_COLUMNS, RESIDENT_REQUIRED, RESIDENT_ALIASES)
    out.rows = _resident_rows(table, out)
    return out


def _resident_rows(
    table: Iterator[tuple[int, dict[str, str]]], out: Parsed[ResidentRow]
) -> Iterator[ResidentRow]:
    seen: dict[tuple[str, str], int] = {}
    for line, cells in table:
        bad: list[RowProblem] = []
        unit = _collect(line, bad, "unit", partial(check.unit, cells.get("unit", "")))
        name = _collect(line, bad, "name", partial(check.name, cells.get("name", "")))
        notes = _collect(line, bad, "notes", partial(check.text, cells.get("notes", ""), "notes"))
        relation = _collect(
            line,
            bad,
            "relation",
            partial(check.plain, cells.get("relation", ""), "relation", max_len=check.MAX_NAME),
        )
        phones = []
        for part in _PHONE_LIST.split(cells.get("phones", "")):
            if part.strip():
                phones.append(_collect(line, bad, "phones", partial(check.phone, part)))
        if unit is not None and name is not None:
            first = seen.setdefault((unit, name), line)
            if first != line:
                bad.append(RowProblem(line, None, "import.duplicate_resident", {"first": first}))
        if bad:
            out.problems += bad
            continue
        yield ResidentRow(line, unit, name, tuple(dict.fromkeys(phones)), notes, relation or "")


__all__ = [
    "HISTORY_COLUMNS",
    "RESIDENT_COLUMNS",
    "HistoryRow",
    "Parsed",
    "ResidentRow",
    "RowProblem",
    "parse_flag",
    "parse_history",
    "parse_residents",
    "parse_time",
]

"""Reading a paper or Excel logbook (history) and the customer archive (residents) from CSV.

Pure: bytes in, checked rows and the problems found out, each problem with its line number. The
columns are documented in docs/import.md; a header may use the English names or the Chinese ones.
Writing is ImportActions' job (import_actions.py).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import Any, Callable, Generic, TypeVar

from . import validation as check
from .errors import ValidationError
from .i18n import Translator
from .procedures import Procedures

T = TypeVar("T")

HISTORY_COLUMNS = {  # column → Chinese header also accepted
    "category": "类别", "received_at": "接报时间", "replied_at": "回复时间", "closed_at": "关闭时间",
    "unit": "房号", "phone": "电话", "name": "姓名", "channel": "渠道", "description": "内容",
    "outcome": "处理结果", "handled_by": "经办人", "escalated": "上报", "major": "重大",
    "confidential": "保密", "handed_to": "转交部门",
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
    rows: list[T] = field(default_factory=list)
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


def read_table(data: bytes, known: dict[str, str], required: tuple[str, ...],
               aliases: dict[str, str] | None = None) -> tuple[list[tuple[int, dict[str, str]]], list[RowProblem], bool]:
    """The data rows as (line, {column: text}), the rows' own problems, and whether the file
    itself is unusable (encoding, header): then nothing can be imported, --skip-bad or not."""
    try:
        text = data.decode("utf-8-sig")  # Excel's "CSV UTF-8" starts with a BOM; plain UTF-8 does not
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        return [], [RowProblem(line, None, "import.not_utf8")], True
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if header is None:
        return [], [RowProblem(1, None, "import.empty_file")], True
    by_name = {v: k for k, v in known.items()} | {k: k for k in known} | dict(aliases or {})
    columns: list[str | None] = []
    problems = []
    for name in header:
        clean = name.strip().lower() if name.strip().isascii() else name.strip()
        col = by_name.get(clean)
        if col is None and clean:
            problems.append(RowProblem(1, name.strip(), "import.unknown_column", {"choices": ", ".join(known)}))
        if col is not None and col in columns:
            problems.append(RowProblem(1, name.strip(), "import.duplicate_column"))
        columns.append(col)
    for need in required:
        if need not in columns:
            problems.append(RowProblem(1, need, "import.missing_column"))
    if problems:
        return [], problems, True
    rows: list[tuple[int, dict[str, str]]] = []
    last = reader.line_num
    for cells in reader:
        line, last = last + 1, reader.line_num
        if not any(c.strip() for c in cells):
            continue  # blank rows (Excel leaves them) are not records
        if len(cells) > len(columns) and any(c.strip() for c in cells[len(columns):]):
            problems.append(RowProblem(line, None, "import.too_many_cells", {"count": len(cells), "expected": len(columns)}))
            continue
        rows.append((line, {c: (cells[i] if i < len(cells) else "") for i, c in enumerate(columns) if c}))
    return rows, problems, False


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


def parse_history(data: bytes, procedures: Procedures, tz: tzinfo, now: datetime) -> Parsed[HistoryRow]:
    rows, problems, fatal = read_table(data, HISTORY_COLUMNS, HISTORY_REQUIRED)
    out: Parsed[HistoryRow] = Parsed(problems=problems, fatal=fatal)
    seen: dict[tuple[datetime, str, str], int] = {}
    for line, cells in rows:
        bad: list[RowProblem] = []

        def get(column: str, fn: Callable[[str], Any]) -> Any:
            return _collect(line, bad, column, lambda: fn(cells.get(column, "")))

        def when(column: str, required: bool = False) -> datetime | None:
            raw = cells.get(column, "").strip()
            if not raw:
                if required:
                    bad.append(RowProblem(line, column, "error.unit_empty"))
                return None
            value = _collect(line, bad, column, lambda: parse_time(raw, tz, column))
            if value is not None and value > now + check.FUTURE_TOLERANCE:
                bad.append(RowProblem(line, column, "error.time_future"))
            return value

        category = get("category", lambda v: check.category(v, procedures))
        received, replied, closed = when("received_at", True), when("replied_at"), when("closed_at")
        if received and replied and replied < received:
            bad.append(RowProblem(line, "replied_at", "import.before_received"))
        if received and closed and closed < received:
            bad.append(RowProblem(line, "closed_at", "import.before_received"))
        if replied and closed and closed < replied:
            bad.append(RowProblem(line, "closed_at", "import.before_replied"))
        row = dict(
            unit=get("unit", check.unit),
            phone=get("phone", lambda v: check.phone(v, required=False)),
            requester_name=get("name", check.name),
            channel=get("channel", lambda v: check.channel(v or "phone")),
            description=get("description", check.text),
            outcome=get("outcome", lambda v: check.text(v, "outcome")),
            handled_by=get("handled_by", lambda v: check.line(v, "handled_by", check.MAX_NAME)),
            escalated=get("escalated", lambda v: parse_flag(v, "escalated")),
            major=get("major", lambda v: parse_flag(v, "major")),
            confidential=get("confidential", lambda v: parse_flag(v, "confidential")),
            handed_to=get("handed_to", _department),
        )
        if not bad:
            first = seen.setdefault((received, row["unit"], category), line)
            if first != line:
                bad.append(RowProblem(line, None, "import.duplicate_request", {"first": first}))
        if bad:
            out.problems += bad
            continue
        out.rows.append(HistoryRow(line=line, category=category, received_at=received, replied_at=replied,
                                   closed_at=closed, **row))
    return out


def _department(value: str) -> str:
    return check.department(value)


def parse_residents(data: bytes) -> Parsed[ResidentRow]:
    rows, problems, fatal = read_table(data, RESIDENT_COLUMNS, RESIDENT_REQUIRED, RESIDENT_ALIASES)
    out: Parsed[ResidentRow] = Parsed(problems=problems, fatal=fatal)
    seen: dict[tuple[str, str], int] = {}
    for line, cells in rows:
        bad: list[RowProblem] = []
        unit = _collect(line, bad, "unit", lambda: check.unit(cells.get("unit", "")))
        name = _collect(line, bad, "name", lambda: check.name(cells.get("name", "")))
        notes = _collect(line, bad, "notes", lambda: check.text(cells.get("notes", ""), "notes"))
        relation = _collect(line, bad, "relation", lambda: check.plain(cells.get("relation", ""), "relation",
                                                                        max_len=check.MAX_NAME))
        phones = []
        for part in _PHONE_LIST.split(cells.get("phones", "")):
            if part.strip():
                phones.append(_collect(line, bad, "phones", lambda p=part: check.phone(p)))
        if unit is not None and name is not None:
            first = seen.setdefault((unit, name), line)
            if first != line:
                bad.append(RowProblem(line, None, "import.duplicate_resident", {"first": first}))
        if bad:
            out.problems += bad
            continue
        out.rows.append(ResidentRow(line, unit, name, tuple(dict.fromkeys(phones)), notes, relation or ""))
    return out


__all__ = ["RowProblem", "Parsed", "HistoryRow", "ResidentRow", "parse_history", "parse_residents",
           "parse_time", "parse_flag", "HISTORY_COLUMNS", "RESIDENT_COLUMNS"]

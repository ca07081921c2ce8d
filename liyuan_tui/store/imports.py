"""Store actions that import: history from a logbook and the customer archive.

Each import is one transaction with one Event summarising it: the file's rows are read, checked
and inserted in batches inside it, so a file of any length goes in using bounded memory, and
still all or nothing. With any bad row nothing is written unless the caller asked to skip bad
rows; rows already in the database (the same reception time, unit and category) count as bad
rows, so importing a file twice adds nothing. An interrupted import (ctrl+c) is rolled back.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from itertools import islice
from typing import Any, TypeVar

from sqlalchemy import func, insert, text
from sqlmodel import Session, col, select

from liyuan_tui.domain.deadlines import reply_due_at
from liyuan_tui.domain.errors import DeskError
from liyuan_tui.domain.events import EventKind
from liyuan_tui.domain.imports import HistoryRow, Parsed, ResidentRow, RowProblem
from liyuan_tui.domain.models import Request, Resident, Staff
from liyuan_tui.domain.permissions import Action

from .kernel import Kernel
from .tables import table

BATCH = 2000  # rows read, checked and staged at a time
STAGE = "import_rows"  # the staging table (temporary: it lives only inside the import's transaction)
# The staged columns, in the order _values gives them (the ref and its number come at the end).
STAGED = (
    "ref_month",
    "category",
    "channel",
    "requester_name",
    "unit",
    "phone",
    "description",
    "received_at",
    "reply_due_at",
    "replied_at",
    "replied_by",
    "escalated_at",
    "escalated_to",
    "escalated_by",
    "major",
    "major_at",
    "confidential",
    "status",
    "assignee",
    "created_by",
    "outcome",
    "outcome_kind",
    "handed_to",
    "closed_at",
    "closed_by",
    "updated_at",
    "version",
    "branches",
    "estate",
    "line",
)
TIMES = ("received_at", "reply_due_at", "replied_at", "escalated_at", "major_at", "closed_at", "updated_at")
T = TypeVar("T")
Progress = Callable[[int], None]  # told the line of the file reached so far


class ImportRejected(DeskError):
    """Bad rows (or an unreadable file): nothing was imported. `problems` lists every one."""

    def __init__(self, problems: Sequence[RowProblem]) -> None:
        self.problems = list(problems)
        super().__init__("import.rejected", None, count=len({p.line for p in self.problems}))


@dataclass
class ImportResult:
    imported: int = 0
    updated: int = 0  # residents already in the archive whose phones and notes were replaced
    skipped_lines: list[int] = field(default_factory=list)
    refs: list[str] = field(default_factory=list)  # the first and the last ref given, in order of reception


class Imports:
    """History and archive imports (supervisors and the manager)."""

    def __init__(self, kernel: Kernel) -> None:
        self.k = kernel

    def import_history(
        self,
        parsed: Parsed[HistoryRow],
        *,
        skip_bad: bool = False,
        source: str = "",
        progress: Progress | None = None,
    ) -> ImportResult:
        """The rows go into a staging table as they are read (in batches, bounded memory), then
        into the requests in one statement, numbered in order of reception after each month's
        refs already used; all inside the one transaction."""
        with self.k.write(Action.IMPORT) as tx:
            s, me, now = tx.s, tx.me, tx.now
            before = s.exec(select(func.max(Request.id))).one() or 0  # rows above this id are this import's
            logins = _staff_logins(s)
            s.execute(
                text(
                    f"CREATE TEMPORARY TABLE {STAGE} AS SELECT request.*, 0 AS line FROM request WHERE 1 = 0"
                )
            )
            for batch in _batches(parsed.rows, BATCH):
                tx.insert_rows(STAGE, STAGED, (self._values(r, logins, me, now) for r in batch), TIMES)
                if progress is not None:
                    progress(batch[-1].line)
            parsed.problems += self._already_there(s)
            _refuse_if_bad(parsed, parsed.problems, skip_bad)
            bad = parsed.bad_lines
            for i in range(0, len(bad), 500):
                s.execute(
                    text(f"DELETE FROM {STAGE} WHERE line IN ({', '.join(map(str, bad[i : i + 500]))})")
                )
            imported = s.execute(text(f"SELECT count(*) FROM {STAGE}")).scalar() or 0
            months = [
                m for (m,) in s.execute(text(f"SELECT DISTINCT ref_month FROM {STAGE} ORDER BY ref_month"))
            ]
            for (
                month
            ) in months:  # each month's next numbers, counted by the kernel (however the rows are seen)
                s.execute(
                    text(self._numbered_insert()), {"month": month, "base": tx.next_seq("request", month) - 1}
                )
            s.execute(text(f"DROP TABLE {STAGE}"))
            tx.changed = True
            result = ImportResult(imported=imported, skipped_lines=bad, refs=self._first_last(s, before))
            tx.record(
                None,
                EventKind.IMPORTED,
                {
                    "what": "history",
                    "file": source,
                    "imported": result.imported,
                    "skipped_lines": result.skipped_lines,
                    "refs": result.refs,
                },
            )
            return result

    def _values(
        self, r: HistoryRow, logins: dict[str, str], importer: Staff, now: datetime
    ) -> tuple[Any, ...]:
        """A row as the staging table's columns (STAGED): in the importer's estate."""
        me = importer.login
        by = logins.get(r.handled_by, r.handled_by) if r.handled_by else None
        return (
            r.received_at.astimezone(self.k.tz).strftime("%Y%m"),
            r.category,
            r.channel,
            r.requester_name,
            r.unit,
            r.phone,
            r.description,
            r.received_at,
            reply_due_at(r.received_at, self.k.procedures.reply_limit(r.category)),
            r.replied_at,
            by if r.replied_at else None,
            r.received_at if r.escalated else None,
            "cs_supervisor" if r.escalated else None,
            (by or me) if r.escalated else None,
            r.major,
            r.received_at if r.major else None,
            r.confidential,
            "closed" if r.closed_at else ("replied" if r.replied_at else "open"),
            by,
            by or me,
            r.outcome,
            ("handed_on" if r.handed_to else "resolved") if r.closed_at else "",
            r.handed_to,
            r.closed_at,
            by if r.closed_at else None,
            now,
            1,
            "",
            importer.estate,
            r.line,
        )

    def _numbered_insert(self) -> str:
        """INSERT … SELECT of one month's staged rows (:month) with their refs, numbered after :base
        in order of reception (the database sorts; Python never holds the rows)."""
        seq = "n.seq"
        ref = (
            f"n.ref_month || '-' || printf('%04d', {seq})"
            if self.k.sqlite
            else f"n.ref_month || '-' || "
            f"(CASE WHEN {seq} < 10000 THEN lpad({seq}::text, 4, '0') ELSE {seq}::text END)"
        )
        columns = [c for c in STAGED if c != "line"]
        return (
            f"INSERT INTO request (ref, ref_seq, {', '.join(columns)}) "
            f"SELECT {ref}, {seq}, {', '.join('n.' + c for c in columns)} FROM ("
            f"  SELECT i.*, row_number() OVER (ORDER BY i.received_at, i.line) + :base AS seq"
            f"  FROM {STAGE} AS i WHERE i.ref_month = :month) AS n "
            f"ORDER BY n.seq"
        )

    @staticmethod
    def _first_last(s: Session, before: int) -> list[str]:
        mine = select(Request.ref).where(col(Request.id) > before)
        first = s.exec(mine.order_by(col(Request.received_at), col(Request.ref_seq)).limit(1)).first()
        last = s.exec(
            mine.order_by(col(Request.received_at).desc(), col(Request.ref_seq).desc()).limit(1)
        ).first()
        return [first, last] if first and last else []

    @staticmethod
    def _already_there(s: Session) -> list[RowProblem]:
        """Staged rows matching a request on record (same reception time, unit and category)."""
        found = s.execute(
            text(
                f"SELECT i.line, r.ref FROM {STAGE} AS i JOIN request AS r ON r.received_at = i.received_at"
                f" AND r.unit = i.unit AND r.category = i.category ORDER BY i.line"
            )
        )
        return [RowProblem(line, None, "import.already_there", {"ref": ref}) for line, ref in found]

    def import_residents(
        self,
        parsed: Parsed[ResidentRow],
        *,
        skip_bad: bool = False,
        source: str = "",
        progress: Progress | None = None,
    ) -> ImportResult:
        """Add the file's residents to the archive; one already there (same unit and name) gets the
        file's phones and notes."""
        with self.k.write(Action.IMPORT) as tx:
            s = tx.s
            existing = {(x.unit, x.name): x for x in s.exec(select(Resident))}
            result = ImportResult()
            for batch in _batches(parsed.rows, BATCH):
                if not skip_bad and parsed.problems:
                    if progress is not None:
                        progress(batch[-1].line)
                    continue  # nothing will be kept: read on only to report every bad row
                new = []
                for r in batch:
                    phones = ",".join(r.phones)
                    old = existing.get((r.unit, r.name))
                    if old is not None:
                        old.phones, old.notes = phones, r.notes
                        old.relation = r.relation or old.relation  # a file without the column keeps it
                        tx.add(old)
                        result.updated += 1
                    else:
                        new.append(
                            dict(unit=r.unit, name=r.name, phones=phones, notes=r.notes, relation=r.relation)
                        )
                if new:
                    s.execute(insert(table(Resident)), new)
                    tx.changed = True
                    result.imported += len(new)
                if progress is not None:
                    progress(batch[-1].line)
            _refuse_if_bad(parsed, parsed.problems, skip_bad)
            s.flush()
            result.skipped_lines = parsed.bad_lines
            tx.record(
                None,
                EventKind.IMPORTED,
                {
                    "what": "residents",
                    "file": source,
                    "imported": result.imported,
                    "updated": result.updated,
                    "skipped_lines": result.skipped_lines,
                },
            )
            return result


def _batches(rows: Iterable[T], size: int) -> Iterator[list[T]]:
    it = iter(rows)
    while batch := list(islice(it, size)):
        yield batch


def _refuse_if_bad(parsed: Parsed[Any], problems: list[RowProblem], skip_bad: bool) -> None:
    if parsed.fatal or (problems and not skip_bad):
        raise ImportRejected(sorted(problems, key=lambda p: p.line))


def _staff_logins(s: Session) -> dict[str, str]:
    """A logbook names staff by login or by name: both map to the login."""
    by: defaultdict[str, str] = defaultdict(str)
    for login, name in s.exec(select(col(Staff.login), col(Staff.name))):
        by[name] = by[name] or login
        by[login] = login
    return dict(by)

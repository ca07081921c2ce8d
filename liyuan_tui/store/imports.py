"""Store actions that import: history from a logbook and the customer archive.

Each import is one transaction with one Event summarising it. With any bad row nothing is
written unless the caller asked to skip bad rows; rows already in the database (the same
reception time, unit and category) count as bad rows, so importing a file twice adds nothing.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Sequence

from sqlmodel import Session, select

from liyuan_tui.domain.deadlines import reply_due_at
from liyuan_tui.domain.errors import DeskError
from liyuan_tui.domain.events import EventKind
from liyuan_tui.domain.imports import HistoryRow, Parsed, ResidentRow, RowProblem
from liyuan_tui.domain.models import Request, Resident, Staff
from liyuan_tui.domain.permissions import Action

from .kernel import Kernel


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
    refs: list[str] = field(default_factory=list)


class Imports:
    """History and archive imports (supervisors and the manager)."""

    def __init__(self, kernel: Kernel) -> None:
        self.k = kernel

    def import_history(self, parsed: Parsed[HistoryRow], *, skip_bad: bool = False, source: str = "") -> ImportResult:
        with self.k.write(Action.IMPORT) as tx:
            s, me = tx.s, tx.me
            problems = list(parsed.problems) + self._already_there(s, parsed.rows)
            _refuse_if_bad(parsed, problems, skip_bad)
            bad = {p.line for p in problems}
            rows = sorted((r for r in parsed.rows if r.line not in bad), key=lambda r: (r.received_at, r.line))
            logins = _staff_logins(s)
            next_seq: dict[str, int] = {}
            now = tx.now
            created = []
            for r in rows:
                month = r.received_at.astimezone(self.k.tz).strftime("%Y%m")
                if month not in next_seq:
                    next_seq[month] = tx.next_seq("request", month)
                seq = next_seq[month]
                next_seq[month] += 1
                by = logins.get(r.handled_by, r.handled_by) if r.handled_by else None
                status = "closed" if r.closed_at else ("replied" if r.replied_at else "open")
                req = Request(
                    ref=f"{month}-{seq:04d}", ref_month=month, ref_seq=seq, category=r.category,
                    channel=r.channel, requester_name=r.requester_name, unit=r.unit, phone=r.phone,
                    description=r.description, received_at=r.received_at,
                    reply_due_at=reply_due_at(r.received_at, self.k.procedures.reply_limit(r.category)),
                    replied_at=r.replied_at, replied_by=by if r.replied_at else None,
                    escalated_at=r.received_at if r.escalated else None,
                    escalated_to="cs_supervisor" if r.escalated else None,
                    escalated_by=(by or me.login) if r.escalated else None,
                    major=r.major, major_at=r.received_at if r.major else None, confidential=r.confidential,
                    status=status, assignee=by, created_by=by or me.login, outcome=r.outcome,
                    outcome_kind=("handed_on" if r.handed_to else "resolved") if r.closed_at else "",
                    handed_to=r.handed_to, closed_at=r.closed_at, closed_by=by if r.closed_at else None,
                    updated_at=now, estate=me.estate,
                )
                created.append(req)
            for req in created:
                tx.add(req)
            s.flush()
            result = ImportResult(imported=len(created), skipped_lines=sorted(bad), refs=[c.ref for c in created])
            tx.record(None, EventKind.IMPORTED, {
                "what": "history", "file": source, "imported": result.imported,
                "skipped_lines": result.skipped_lines,
                "refs": [result.refs[0], result.refs[-1]] if result.refs else []})
            return result

    def _already_there(self, s: Session, rows: Sequence[HistoryRow]) -> list[RowProblem]:
        """Rows matching a request on record (same reception time, unit and category)."""
        if not rows:
            return []
        lo, hi = min(r.received_at for r in rows), max(r.received_at for r in rows)
        found = s.exec(select(Request.received_at, Request.unit, Request.category, Request.ref)
                       .where(Request.received_at >= lo, Request.received_at <= hi))
        known = {(when, unit, cat): ref for when, unit, cat, ref in found}
        return [RowProblem(r.line, None, "import.already_there", {"ref": known[key]})
                for r in rows if (key := (r.received_at, r.unit, r.category)) in known]

    def import_residents(self, parsed: Parsed[ResidentRow], *, skip_bad: bool = False,
                         source: str = "") -> ImportResult:
        """Add the file's residents to the archive; one already there (same unit and name) gets the
        file's phones and notes."""
        with self.k.write(Action.IMPORT) as tx:
            s = tx.s
            _refuse_if_bad(parsed, parsed.problems, skip_bad)
            bad = {p.line for p in parsed.problems}
            existing = {(x.unit, x.name): x for x in s.exec(select(Resident))}
            result = ImportResult(skipped_lines=sorted(bad))
            for r in parsed.rows:
                phones = ",".join(r.phones)
                old = existing.get((r.unit, r.name))
                if old is not None:
                    old.phones, old.notes = phones, r.notes
                    old.relation = r.relation or old.relation  # a file without the column keeps it
                    tx.add(old)
                    result.updated += 1
                else:
                    tx.add(Resident(unit=r.unit, name=r.name, phones=phones, notes=r.notes, relation=r.relation))
                    result.imported += 1
            s.flush()
            tx.record(None, EventKind.IMPORTED, {
                "what": "residents", "file": source, "imported": result.imported, "updated": result.updated,
                "skipped_lines": result.skipped_lines})
            return result


def _refuse_if_bad(parsed: Parsed, problems: list[RowProblem], skip_bad: bool) -> None:
    if parsed.fatal or (problems and not skip_bad):
        raise ImportRejected(sorted(problems, key=lambda p: p.line))


def _staff_logins(s: Session) -> dict[str, str]:
    """A logbook names staff by login or by name: both map to the login."""
    by = defaultdict(str)
    for login, name in s.exec(select(Staff.login, Staff.name)):
        by[name] = by[name] or login
        by[login] = login
    return dict(by)

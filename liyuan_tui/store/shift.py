"""The night shift's own record: the duty log (值班日志 — patrols, equipment, visitors, anything
that is not a request, each line with who and when) and the signed handover (one login hands the
shift to another with the sheet as it stands; the receiver accepts it; the next sheet starts from
the signing). An unaccepted handover is shown to its receiver and to the supervisors.

The sheet itself is computed by reports/handover.py; the store keeps what it is handed (JSON).
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import col, select

from liyuan_tui.domain import validation as check
from liyuan_tui.domain.desk_records import DutyNote, Handover
from liyuan_tui.domain.errors import ValidationError
from liyuan_tui.domain.events import EventKind
from liyuan_tui.domain.models import Staff
from liyuan_tui.domain.permissions import SUPERVISORS, Action

from .kernel import Kernel

MAX_SHEET = 2_000_000  # characters of a handover sheet's JSON kept with the signature


class Shift:
    """note, notes; sign, accept, latest, pending."""

    def __init__(self, kernel: Kernel) -> None:
        self.k = kernel

    # --- the duty log -----------------------------------------------------------------------------

    def note(self, text: str) -> DutyNote:
        """One line of the duty log, by the acting user, now, at their estate."""
        text = check.text(text, "duty_note", required=True)
        with self.k.write(Action.DUTY_LOG) as tx:
            row = DutyNote(estate=tx.me.estate, at=tx.now, by=tx.me.login, text=text)
            tx.add(row)
            tx.s.flush()
            tx.record(None, EventKind.DUTY_NOTE, {"id": row.id, "text": text, "estate": row.estate})
            return row

    def notes(
        self, since: datetime, until: datetime | None = None, estate: str | None = None
    ) -> list[DutyNote]:
        """The log's lines from `since` (to `until`), oldest first, at one estate (the user's)."""
        where = self.k.identity().estate if estate is None else estate
        stmt = select(DutyNote).where(DutyNote.at >= since, DutyNote.estate == where)
        if until is not None:
            stmt = stmt.where(DutyNote.at < until)
        with self.k.read() as s:
            return list(s.exec(stmt.order_by(col(DutyNote.at), col(DutyNote.id))))

    # --- the signed handover ----------------------------------------------------------------------

    def sign(self, to: str, *, since: datetime, sheet: str = "{}", note: str = "") -> Handover:
        """Hand the shift to `to`, with the sheet as it stands (its JSON, made by the caller)."""
        to = check.login(to, "handover_to")
        note = check.text(note, "note")
        if len(sheet) > MAX_SHEET:
            raise ValidationError("error.too_long", "sheet", max=MAX_SHEET)
        with self.k.write(Action.HANDOVER) as tx:
            me = tx.me
            if to == me.login:
                raise ValidationError("error.handover_self", "handover_to")
            target = tx.s.exec(select(Staff).where(Staff.login == to)).first()
            if target is None or not target.active:
                raise ValidationError("error.login_unknown", "handover_to", value=to)
            mine = tx.s.exec(
                select(Handover).where(Handover.signed_by == me.login, col(Handover.accepted_at).is_(None))
            ).first()
            if mine is not None:
                raise ValidationError(
                    "error.handover_pending", "handover_to", to=mine.to_login, at=self.k.hhmm(mine.signed_at)
                )
            row = Handover(
                estate=me.estate,
                since=since,
                signed_at=tx.now,
                signed_by=me.login,
                to_login=to,
                note=note,
                sheet=sheet,
            )
            tx.add(row)
            tx.s.flush()
            payload = {"id": row.id, "to": to, "since": since, "estate": row.estate}
            if note:
                payload["note"] = note
            tx.record(None, EventKind.HANDOVER_SIGNED, payload)
            return row

    def accept(self) -> Handover:
        """The receiver takes the shift: the oldest handover to them not yet accepted."""
        with self.k.write(Action.HANDOVER) as tx:
            row = tx.locked(
                select(Handover)
                .where(Handover.to_login == tx.me.login, col(Handover.accepted_at).is_(None))
                .order_by(col(Handover.signed_at))
            )
            if row is None:
                raise ValidationError("error.handover_none", "user")
            if not tx.compare_and_set(row, {"accepted_at": tx.now}):
                raise ValidationError("error.handover_none", "user")
            tx.record(
                None,
                EventKind.HANDOVER_ACCEPTED,
                {"id": row.id, "from": row.signed_by, "signed_at": row.signed_at, "estate": row.estate},
            )
            return row

    def latest(self, estate: str | None = None) -> Handover | None:
        """The newest handover signed at an estate (the user's), accepted or not."""
        where = self.k.identity().estate if estate is None else estate
        with self.k.read() as s:
            return s.exec(
                select(Handover)
                .where(Handover.estate == where)
                .order_by(col(Handover.signed_at).desc(), col(Handover.id).desc())
            ).first()

    def pending(self) -> list[Handover]:
        """Handovers not yet accepted that the user should see: those to them, and every one for
        a supervisor or the manager (they chase a shift nobody took)."""
        me = self.k.identity()
        stmt = select(Handover).where(col(Handover.accepted_at).is_(None))
        if me.role not in SUPERVISORS:
            stmt = stmt.where(Handover.to_login == me.login)
        with self.k.read() as s:
            return list(s.exec(stmt.order_by(col(Handover.signed_at))))

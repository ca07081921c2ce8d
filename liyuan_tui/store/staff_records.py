"""Staff records (培训、考核): the courses each staff member took and their monthly assessment.
Supervisors and the manager record them; everyone may read their own, supervisors anyone's."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import col, select

from liyuan_tui.domain import record_checks
from liyuan_tui.domain import validation as check
from liyuan_tui.domain.errors import PermissionDenied, ValidationError
from liyuan_tui.domain.events import EventKind
from liyuan_tui.domain.models import Staff
from liyuan_tui.domain.permissions import Action, may_see_staff_records
from liyuan_tui.domain.records import Assessment, Training

from .kernel import Kernel, Tx

MAX_COURSE = 200


@dataclass
class StaffRecord:
    """One person's training and assessments, newest first."""

    staff: Staff
    trainings: list[Training] = field(default_factory=list)
    assessments: list[Assessment] = field(default_factory=list)


class StaffRecords:
    """train, assess, records."""

    def __init__(self, kernel: Kernel) -> None:
        self.k = kernel

    def train(
        self, login: str, *, course: str, day: str, hours: str | float | None = None, result: str = ""
    ) -> Training:
        login = check.login(login)
        course = check.plain(course, "course", max_len=MAX_COURSE)
        if not course:
            raise ValidationError("error.unit_empty", "course")
        when = record_checks.day(day)
        hours = record_checks.training_hours(hours)
        result = check.plain(result, "result", max_len=MAX_COURSE)
        with self.k.write(Action.STAFF_RECORDS) as tx:
            _staff(tx, login)
            row = Training(
                login=login,
                course=course,
                day=when,
                hours=hours,
                result=result,
                recorded_by=tx.me.login,
                at=tx.now,
            )
            tx.add(row)
            tx.s.flush()
            tx.record(
                None,
                EventKind.TRAINING_RECORDED,
                {
                    "login": login,
                    "course": course,
                    "date": when.isoformat(),
                    "hours": hours,
                    "result": result,
                },
            )
            return row

    def assess(self, login: str, *, month: str, score: str | int, note: str) -> Assessment:
        """The month's assessment (one per person and month: assessing again replaces it, and the
        event keeps the score it replaced)."""
        login = check.login(login)
        month = record_checks.month(month)
        score = record_checks.assessment_score(score)
        note = check.plain(note, "note", max_len=check.MAX_TEXT, newlines=True)
        if not note:
            raise ValidationError("error.unit_empty", "note")
        with self.k.write(Action.STAFF_RECORDS) as tx:
            _staff(tx, login)
            if login == tx.me.login:
                raise PermissionDenied("error.assess_self")
            row = tx.s.exec(
                select(Assessment).where(Assessment.login == login, Assessment.month == month)
            ).first()
            before = {"score": row.score, "by": row.by} if row is not None else None
            if row is None:
                row = Assessment(login=login, month=month, score=score, note=note, by=tx.me.login, at=tx.now)
            else:
                row.score, row.note, row.by, row.at = score, note, tx.me.login, tx.now
            tx.add(row)
            tx.s.flush()
            payload = {"login": login, "month": month, "score": score, "note": note}
            if before:
                payload["replaces"] = before
            tx.record(None, EventKind.ASSESSED, payload)
            return row

    def records(self, login: str) -> StaffRecord:
        login = check.login(login)
        me = self.k.identity()
        if not may_see_staff_records(me, login):
            raise PermissionDenied("error.records_not_yours", login=login)
        with self.k.read() as s:
            who = s.exec(select(Staff).where(Staff.login == login)).first()
            if who is None:
                raise ValidationError("error.login_unknown", "login", value=login)
            trainings = list(
                s.exec(
                    select(Training)
                    .where(Training.login == login)
                    .order_by(col(Training.day).desc(), col(Training.id).desc())
                )
            )
            assessments = list(
                s.exec(
                    select(Assessment).where(Assessment.login == login).order_by(col(Assessment.month).desc())
                )
            )
        return StaffRecord(who, trainings, assessments)


def _staff(tx: Tx, login: str) -> Staff:
    who = tx.s.exec(select(Staff).where(Staff.login == login)).first()
    if who is None:
        raise ValidationError("error.login_unknown", "login", value=login)
    return who

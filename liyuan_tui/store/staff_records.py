"""Staff records (培训、考核、激励、人事推荐): the courses each staff member took (of a kind: ethics,
image or skills, and with whom), their monthly assessment, commendations, rewards and penalties,
and recommendations for promotion, transfer or a reward. Supervisors and the manager record them;
everyone may read their own, supervisors anyone's."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlmodel import col, select

from liyuan_tui.domain import record_checks
from liyuan_tui.domain import validation as check
from liyuan_tui.domain.desk_records import (
    COMMENDATION_KINDS,
    DEFAULT_TRAINING_KIND,
    RECOMMENDATION_FOR,
    TRAINING_KINDS,
    Commendation,
    Recommendation,
)
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
    commendations: list[Commendation] = field(default_factory=list)
    recommendations: list[Recommendation] = field(default_factory=list)
    attendees: dict[int, list[str]] = field(default_factory=dict)  # a training's session → who attended

    def attended_with(self, training: Training) -> list[str]:
        """Everyone who attended the course (the person themselves included)."""
        return self.attendees.get(training.session or -1, [training.login])


class StaffRecords:
    """train, assess, commend, recommend, records."""

    def __init__(self, kernel: Kernel) -> None:
        self.k = kernel

    def train(
        self,
        login: str | list[str],
        *,
        course: str,
        day: str,
        hours: str | float | None = None,
        result: str = "",
        kind: str = DEFAULT_TRAINING_KIND,
    ) -> Training:
        """A course given to one person or several (`login` a list: everyone who attended, one
        row each sharing a session); returns the first attendee's row."""
        logins = list(dict.fromkeys(check.login(x) for x in ([login] if isinstance(login, str) else login)))
        if not logins:
            raise ValidationError("error.unit_empty", "login")
        course = check.plain(course, "course", max_len=MAX_COURSE)
        if not course:
            raise ValidationError("error.unit_empty", "course")
        when = record_checks.day(day)
        hours = record_checks.training_hours(hours)
        result = check.plain(result, "result", max_len=MAX_COURSE)
        kind = check.choice(kind or DEFAULT_TRAINING_KIND, "kind", TRAINING_KINDS)
        with self.k.write(Action.STAFF_RECORDS) as tx:
            rows = []
            for who in logins:
                _staff(tx, who)
                rows.append(
                    Training(
                        login=who,
                        course=course,
                        day=when,
                        hours=hours,
                        result=result,
                        recorded_by=tx.me.login,
                        at=tx.now,
                        kind=kind,
                    )
                )
                tx.add(rows[-1])
            tx.s.flush()
            for row in rows:
                row.session = rows[0].id
                tx.add(row)
            tx.s.flush()
            payload: dict[str, Any] = {
                "login": logins[0],
                "course": course,
                "date": when.isoformat(),
                "hours": hours,
                "result": result,
                "kind": kind,
            }
            if len(logins) > 1:
                payload["attendees"] = logins
            tx.record(None, EventKind.TRAINING_RECORDED, payload)
            return rows[0]

    def commend(self, login: str, *, kind: str, note: str) -> Commendation:
        """A commendation, reward or penalty on a staff member's record (激励)."""
        login = check.login(login)
        kind = check.choice(kind, "kind", COMMENDATION_KINDS)
        note = check.plain(note, "note", max_len=check.MAX_TEXT, newlines=True, required=True)
        with self.k.write(Action.STAFF_RECORDS) as tx:
            _staff(tx, login)
            if login == tx.me.login:
                raise PermissionDenied("error.commend_self")
            row = Commendation(login=login, kind=kind, note=note, by=tx.me.login, at=tx.now)
            tx.add(row)
            tx.s.flush()
            tx.record(None, EventKind.COMMENDED, {"login": login, "kind": kind, "note": note})
            return row

    def recommend(self, login: str, *, for_what: str, note: str) -> Recommendation:
        """A recommendation for promotion, transfer or a reward (人事推荐)."""
        login = check.login(login)
        for_what = check.choice(for_what, "for", RECOMMENDATION_FOR)
        note = check.plain(note, "note", max_len=check.MAX_TEXT, newlines=True, required=True)
        with self.k.write(Action.STAFF_RECORDS) as tx:
            _staff(tx, login)
            if login == tx.me.login:
                raise PermissionDenied("error.commend_self")
            row = Recommendation(login=login, for_what=for_what, note=note, by=tx.me.login, at=tx.now)
            tx.add(row)
            tx.s.flush()
            tx.record(None, EventKind.RECOMMENDED, {"login": login, "for": for_what, "note": note})
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
            commendations = list(
                s.exec(
                    select(Commendation)
                    .where(Commendation.login == login)
                    .order_by(col(Commendation.at).desc(), col(Commendation.id).desc())
                )
            )
            recommendations = list(
                s.exec(
                    select(Recommendation)
                    .where(Recommendation.login == login)
                    .order_by(col(Recommendation.at).desc(), col(Recommendation.id).desc())
                )
            )
            sessions = {t.session for t in trainings if t.session is not None}
            attendees: dict[int, list[str]] = {}
            if sessions:
                for session, who_ in s.exec(
                    select(Training.session, Training.login)
                    .where(col(Training.session).in_(sessions))
                    .order_by(col(Training.id))
                ):
                    if session is not None:
                        attendees.setdefault(session, []).append(who_)
        return StaffRecord(who, trainings, assessments, commendations, recommendations, attendees)


def _staff(tx: Tx, login: str) -> Staff:
    who = tx.s.exec(select(Staff).where(Staff.login == login)).first()
    if who is None:
        raise ValidationError("error.login_unknown", "login", value=login)
    return who

"""Follow-up calls (回访): the calls owed (closed requests whose follow-up is due, most overdue
first) and each call recorded — reached or not, satisfaction 1–5, really solved or not, a note.
A call that finds the problem not solved reopens the request in the same transaction; its one
`followup` event says so, and the supervisors' terminals are told (domain/notices.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import col, func, select

from liyuan_tui.domain import record_checks
from liyuan_tui.domain import validation as check
from liyuan_tui.domain.errors import PermissionDenied, ValidationError
from liyuan_tui.domain.events import EventKind
from liyuan_tui.domain.followups import reopen_changes
from liyuan_tui.domain.models import Request
from liyuan_tui.domain.permissions import Action, allowed
from liyuan_tui.domain.records import FollowUp

from . import outbox
from .kernel import Kernel
from .tables import ident


@dataclass
class DueFollowUp:
    """A call owed: the closed request, when the call is due, and the calls that missed so far."""

    request: Request
    due_at: datetime
    attempts: int = 0
    last_attempt_at: datetime | None = None

    def overdue_seconds(self, now: datetime) -> int:
        """How long past due (negative: time still left)."""
        return int((now - self.due_at).total_seconds())


@dataclass
class FollowUpDone:
    request: Request  # as written (reopened when the call found the problem not solved)
    followup: FollowUp
    reopened: bool
    attempts: int = 1  # calls since the close, this one included


class FollowUps:
    """due, record."""

    def __init__(self, kernel: Kernel) -> None:
        self.k = kernel

    def due(self, limit: int | None = None) -> list[DueFollowUp]:
        """The follow-up calls owed, the most overdue first (the desk's roles only); `limit`: the
        first so many (a screen's list; `owed()` counts them all)."""
        self._may_see()
        # followup_due_at is set only while a request is closed: its index finds the calls owed.
        with self.k.read() as s:
            stmt = (
                select(Request)
                .where(col(Request.followup_due_at).is_not(None))
                .order_by(col(Request.followup_due_at), col(Request.ref))
                .limit(limit)
            )
            reqs = [r for r in s.exec(stmt) if r.status == "closed"]
            attempts: dict[int, tuple[int, datetime]] = {}
            for i in range(0, len(reqs), 500):
                chunk = [r.id for r in reqs[i : i + 500]]
                tried = s.exec(
                    select(FollowUp.request_id, func.count(), func.max(FollowUp.at))
                    .join(Request, col(FollowUp.request_id) == Request.id)
                    .where(col(FollowUp.request_id).in_(chunk), col(FollowUp.at) >= col(Request.closed_at))
                    .group_by(col(FollowUp.request_id))
                )
                attempts.update({rid: (n, last) for rid, n, last in tried})
        out = []
        for r in reqs:
            n, last = attempts.get(r.id, (0, None))  # type: ignore[arg-type]
            assert r.followup_due_at is not None
            out.append(DueFollowUp(r, r.followup_due_at, n, last))
        return out

    def owed(self) -> int:
        """How many follow-up calls are owed."""
        self._may_see()
        with self.k.read() as s:
            return s.exec(
                select(func.count()).select_from(Request).where(col(Request.followup_due_at).is_not(None))
            ).one()

    def _may_see(self) -> None:
        me = self.k.identity()
        if not allowed(me.role, Action.FOLLOWUP):
            raise PermissionDenied("error.not_allowed", role=me.role, action=str(Action.FOLLOWUP))

    def record(
        self,
        ref: str,
        *,
        reached: bool | str,
        score: int | str | None = None,
        solved: bool | str | None = None,
        note: str = "",
        expected_version: int | None = None,
    ) -> FollowUpDone:
        """One call. Not reached: it stays owed (with the attempt counted). Reached: settled.
        Not solved: the request reopens, recorded with the call."""
        reached = record_checks.yes_no(reached, "reached")
        score = record_checks.score(score)
        solved = None if solved is None or solved == "" else record_checks.yes_no(solved, "solved")
        note = check.plain(note, "note", max_len=check.MAX_TEXT, newlines=True)
        if not reached and score is not None:
            raise ValidationError("error.followup_not_reached", "score")
        if not reached and solved is not None:
            raise ValidationError("error.followup_not_reached", "solved")
        with self.k.write(Action.FOLLOWUP) as tx:
            me, req = tx.me, tx.load(ref)
            tx.check_version(req, expected_version)
            if req.status != "closed":
                raise ValidationError("error.followup_not_closed", "ref", ref=req.ref, status=req.status)
            since_close = list(
                tx.s.exec(
                    select(FollowUp).where(FollowUp.request_id == req.id, col(FollowUp.at) >= req.closed_at)
                )
            )
            done = next((f for f in since_close if f.reached), None)
            if done is not None:
                raise ValidationError(
                    "error.followup_already", "ref", ref=req.ref, by=done.by, at=self.k.hhmm(done.at)
                )
            now = tx.now
            call = FollowUp(
                request_id=ident(req),
                at=now,
                by=me.login,
                reached=reached,
                score=score,
                solved=solved,
                note=note,
                due_at=req.followup_due_at,
            )
            tx.add(call)
            reopened = solved is False
            changes: dict[str, Any] = {}
            if reached:
                changes["followup_due_at"] = None
            if reopened:
                changes.update(reopen_changes(req))
            tx.apply(req, changes)  # a new version either way: an attempt is news to other terminals
            payload: dict[str, Any] = {
                "reached": reached,
                "score": score,
                "solved": solved,
                "reopened": reopened,
            }
            if note:
                payload["note"] = note
            event = tx.record(req, EventKind.FOLLOWUP, payload)
            if reopened:
                outbox.page(tx, req, "not_solved", event)  # the duty supervisor
            return FollowUpDone(req, call, reopened, len(since_close) + 1)

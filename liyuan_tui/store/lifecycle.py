"""The request's life after intake — replied, escalated, major, acknowledged, branches and steps,
closed, reopened, cancelled, taken and handed over. Each is one transaction and one event."""

from __future__ import annotations

from typing import Any

from sqlmodel import select

from liyuan_tui.domain import validation as check
from liyuan_tui.domain.errors import PermissionDenied, StaleError, ValidationError
from liyuan_tui.domain.events import EventKind
from liyuan_tui.domain.followups import followup_due_at, reopen_changes
from liyuan_tui.domain.models import Request, Staff, StepRecord
from liyuan_tui.domain.permissions import (
    ESCALATION_TARGETS,
    Action,
    allowed,
    may_close_escalated,
    may_on_request,
)
from liyuan_tui.domain.procedures import MANAGER_INFORMED, named_branches, named_steps

from .kernel import Kernel
from .replies import record_reply
from .steps import tick

OUTCOME_KINDS = check.OUTCOME_KINDS


class Lifecycle:
    """Actions on a logged request."""

    def __init__(self, kernel: Kernel) -> None:
        self.k = kernel

    def mark_replied(
        self, ref: str, expected_version: int | None = None, *, text: str = "", answer: str = ""
    ) -> Request:
        """The caller has been replied to (the clock stops); see replies.py for what was said."""
        return record_reply(self.k, ref, expected_version, text=text, answer=answer)

    def escalate(
        self, ref: str, to: str = "cs_supervisor", note: str = "", expected_version: int | None = None
    ) -> Request:
        """Report to the supervisor (4.1.2 A): recorded, and every supervisor's terminal is told."""
        note = check.text(note, "note")
        to = check.escalate_to(to)
        with self.k.write(Action.ESCALATE) as tx:
            me, req = tx.me, tx.open_request(ref, expected_version)
            if to != check.EVERY_SUPERVISOR:
                target = tx.s.exec(select(Staff).where(Staff.login == to)).first()
                if target is None or not target.active or target.role not in ESCALATION_TARGETS:
                    raise ValidationError("error.escalate_target", "to", value=to)
            if req.escalated_at is not None:
                raise ValidationError(
                    "error.already_escalated",
                    "ref",
                    ref=req.ref,
                    by=req.escalated_by,
                    at=self.k.hhmm(req.escalated_at),
                )
            tx.apply(req, {"escalated_at": tx.now, "escalated_to": to, "escalated_by": me.login})
            tx.record(req, EventKind.ESCALATED, {"to": to, "note": note} if note else {"to": to})
            return req

    def set_major(self, ref: str, major: bool = True, expected_version: int | None = None) -> Request:
        """Mark (or unmark) a request major: it tops every queue and needs "manager informed"."""
        with self.k.write(Action.MARK_MAJOR) as tx:
            me = tx.me
            if not major and not allowed(me.role, Action.REASSIGN):
                raise PermissionDenied("error.not_allowed", role=me.role, action="unmark_major")
            req = tx.load(ref)
            tx.check_version(req, expected_version)
            tx.check_open(req)
            if req.major == major:
                return req
            tx.apply(req, {"major": major, "major_at": tx.now if major else None})
            event = tx.record(req, EventKind.MAJOR if major else EventKind.MAJOR_CLEARED, {})
            if major:
                from . import outbox  # (the pager's tables: a major case only)

                outbox.page(tx, req, "major", event)  # the duty manager, at once (4.2.2)
            return req

    def acknowledge(self, ref: str, note: str = "") -> Request:
        """A supervisor answers an escalation; the manager takes note of a major case (and may
        answer an escalation too); the request's pages are acknowledged, which stops their repeats
        (a supervisor, the manager or someone paged about it). The assistant sees who, and when."""
        note = check.text(note, "note")
        with self.k.write() as tx:
            me = tx.me
            req = tx.load(ref)
            from . import outbox  # (the pager's tables: a major case only)

            pages = outbox.acknowledge(tx, req, me)  # refused to anyone else, saying why
            now = tx.now
            changes: dict[str, Any] = {}
            answers = allowed(me.role, Action.ACKNOWLEDGE)  # (someone only paged acknowledges the pages)
            if answers and req.escalated_at is not None and req.acknowledged_at is None:
                changes.update(acknowledged_at=now, acknowledged_by=me.login)
            if req.major and req.major_ack_at is None and me.role == "manager":
                changes.update(major_ack_at=now, major_ack_by=me.login)
            if not changes and not pages:
                raise ValidationError("error.nothing_to_acknowledge", "ref", ref=req.ref)
            if changes:
                tx.apply(req, changes)
            payload: dict[str, Any] = {
                "role": me.role,
                "escalation": "acknowledged_at" in changes,
                "major": "major_ack_at" in changes,
            }
            payload.update({key: v for key, v in (("pages", pages), ("note", note)) if v})
            tx.record(req, EventKind.ACKNOWLEDGED, payload)
            return req

    def choose_branch(self, ref: str, branch: str, expected_version: int | None = None) -> Request:
        with self.k.write(Action.CHOOSE_BRANCH) as tx:
            req = tx.open_request(ref, expected_version)
            proc = self.k.procedure_of(req)
            chosen = proc.branch(branch)
            if chosen is None:
                raise ValidationError(
                    "error.branch_unknown",
                    "branch",
                    value=branch,
                    category=proc.name,
                    choices=", ".join(b.key for b in proc.branches) or "-",
                )
            if branch in req.branch_list:
                raise ValidationError("error.branch_already", "branch", branch=chosen.name)
            tx.apply(req, {"branches": ",".join(req.branch_list + [branch])})
            tx.record(req, EventKind.BRANCH, {"branch": branch})
            return req

    def tick_step(
        self, ref: str, step_key: str, *, note: str = "", value: str = "", expected_version: int | None = None
    ) -> Request:
        """Tick one checklist step with who and when. A step of a branch not yet chosen chooses it."""
        note, value = check.text(note, "note"), check.value(value)
        with self.k.write(Action.TICK) as tx:
            req = tx.open_request(ref, expected_version)
            changes, payload = tick(tx, req, step_key, value=value, note=note)
            tx.apply(req, changes)
            tx.record(req, EventKind.STEP, payload)
            return req

    def switch_branch(
        self, ref: str, old: str, new: str, reason: str, expected_version: int | None = None
    ) -> Request:
        """Give up a branch that cannot go on for another (short-term care with no family member
        who can stay: the hospital or 120 instead). Recorded with why; the steps done stay on record."""
        reason = check.text(reason, "reason")
        if not reason:
            raise ValidationError("error.unit_empty", "reason")
        with self.k.write(Action.UPDATE) as tx:  # the desk decides what help is given instead
            req = tx.open_request(ref, expected_version)
            proc = self.k.procedure_of(req)
            for key in (old, new):
                if proc.branch(key) is None:
                    raise ValidationError(
                        "error.branch_unknown",
                        "branch",
                        value=key,
                        category=proc.name,
                        choices=", ".join(b.key for b in proc.branches) or "-",
                    )
            if old not in req.branch_list:
                raise ValidationError("error.branch_not_chosen", "branch", branch=proc.branch(old).name)  # type: ignore[union-attr]
            if new in req.branch_list:
                raise ValidationError("error.branch_already", "branch", branch=proc.branch(new).name)  # type: ignore[union-attr]
            tx.apply(req, {"branches": ",".join(new if b == old else b for b in req.branch_list)})
            tx.record(req, EventKind.BRANCH_SWITCHED, {"from": old, "to": new, "reason": reason})
            return req

    def close_request(
        self,
        ref: str,
        outcome: str,
        *,
        kind: str = "",
        handed_to: str = "",
        expected_version: int | None = None,
    ) -> Request:
        """Close with an outcome. Refused while required steps are open, a major request has no
        "manager informed", or a request handed on does not say to whom (never pass the buck)."""
        outcome, kind, handed_to = check.closing(outcome, kind, handed_to)
        with self.k.write(Action.CLOSE) as tx:
            me, req = tx.me, tx.open_request(ref, expected_version)
            if req.escalated_at is not None and not may_close_escalated(me.role):
                raise PermissionDenied("error.escalated_close")
            if req.replied_at is None:
                raise ValidationError("error.close_not_replied", "ref")
            from .orders import no_open_orders  # (the work orders' tables: a close only)

            no_open_orders(tx, req)
            proc = self.k.procedure_of(req)
            if proc.branch_required and proc.branches and not req.branch_list:
                raise ValidationError(
                    "error.close_branch_missing", "branch", choices=named_branches(proc.branches)
                )
            done = {r.step_key for r in tx.s.exec(select(StepRecord).where(StepRecord.request_id == req.id))}
            missing = proc.missing_required(req.branch_list, self.k.conditions(req), done)
            if req.major and MANAGER_INFORMED not in done and all(m.key != MANAGER_INFORMED for m in missing):
                missing.append(proc.step(MANAGER_INFORMED))  # type: ignore[arg-type]
            if missing:
                raise ValidationError("error.close_steps_missing", "step", steps=named_steps(missing))
            if (
                kind == "handed_on"
                and proc.result_steps
                and not any(s.key in done for s in proc.result_steps)
            ):
                # Never pass the buck: handed on, it stays with the desk until someone hears back.
                listed = proc.checklist(req.branch_list, self.k.conditions(req))
                results = [s for s in proc.result_steps if s in listed] or proc.result_steps
                raise ValidationError(
                    "error.handed_on_no_result", "outcome", department=handed_to, steps=named_steps(results)
                )
            now = tx.now
            tx.apply(
                req,
                {
                    "status": "closed",
                    "outcome": outcome,
                    "outcome_kind": kind,
                    "handed_to": handed_to,
                    "closed_at": now,
                    "closed_by": me.login,
                    "followup_due_at": followup_due_at(proc, now, kind),
                },
            )
            payload: dict[str, Any] = {"outcome": outcome, "kind": kind}
            if handed_to:
                payload["handed_to"] = handed_to
            if self.k.rules.version("procedures") is not None:  # the rules the close was checked by
                payload["procedures_version"] = self.k.rules.version("procedures")
            tx.record(req, EventKind.CLOSED, payload)
            return req

    def reopen(self, ref: str, reason: str) -> Request:
        reason = check.text(reason, "reason", required=True)
        with self.k.write(Action.REOPEN) as tx:
            req = tx.load(ref)
            if req.is_open:
                raise ValidationError("error.status_not_closed", "ref", ref=req.ref)
            tx.apply(req, reopen_changes(req))
            tx.record(req, EventKind.REOPENED, {"reason": reason})
            return req

    def cancel(self, ref: str, reason: str, expected_version: int | None = None) -> Request:
        """Void (作废) a request logged by mistake or twice; kept on record, out of the queue."""
        reason = check.text(reason, "reason", required=True)
        with self.k.write() as tx:
            me, req = tx.me, tx.open_request(ref, expected_version)
            # Whoever logged a request may void it while it is still blank (`n` pressed by mistake).
            if not may_on_request(me, Action.CANCEL, req) and not (
                req.is_blank and req.created_by == me.login
            ):
                raise PermissionDenied("error.not_allowed", role=me.role, action=str(Action.CANCEL))
            from .orders import no_open_orders  # (the work orders' tables: a close only)

            no_open_orders(tx, req)
            tx.apply(req, {"status": "cancelled", "closed_at": tx.now, "closed_by": tx.me.login})
            tx.record(req, EventKind.CANCELLED, {"reason": reason})
            return req

    def take(self, ref: str, expected_version: int | None = None) -> Request:
        """Take a request: refused with who holds it when someone else already does."""
        with self.k.write(Action.TAKE) as tx:
            me = tx.me
            req = tx.load(ref)
            tx.check_open(req)
            if req.assignee == me.login:
                return req
            if req.assignee:
                raise StaleError("error.taken", ref=req.ref, by=req.assignee)
            tx.check_version(req, expected_version)
            tx.apply(req, {"assignee": me.login})
            tx.record(req, EventKind.ASSIGNED, {"from": None, "to": me.login})
            return req

    def assign(self, ref: str, login: str, expected_version: int | None = None) -> Request:
        """Hand a request over: the holder hands on their own; a supervisor reassigns any."""
        login = check.login(login)
        with self.k.write() as tx:
            me = tx.me
            req = tx.load(ref)
            tx.check_version(req, expected_version)
            tx.check_open(req)
            if req.assignee != me.login and not allowed(me.role, Action.REASSIGN):
                raise PermissionDenied("error.not_allowed", role=me.role, action=str(Action.REASSIGN))
            target = tx.s.exec(select(Staff).where(Staff.login == login)).first()
            if target is None or not target.active:
                raise ValidationError("error.login_unknown", "assignee", value=login)
            before = req.assignee
            tx.apply(req, {"assignee": login})
            tx.record(req, EventKind.ASSIGNED, {"from": before, "to": login})
            return req

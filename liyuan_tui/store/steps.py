"""Ticking checklist steps inside an open write transaction: the checklist's tick
(`Lifecycle.tick_step`, one step, its own `step` event) and the intake form's done
(`Intake.finish`, the steps the form answers, in the form's own transaction and event)."""

from __future__ import annotations

from typing import Any

from sqlmodel import select

from liyuan_tui.domain.errors import DeskError, PermissionDenied, ValidationError
from liyuan_tui.domain.models import Request, StepRecord
from liyuan_tui.domain.permissions import Action, allowed, may_tick, owns
from liyuan_tui.domain.procedures import named_steps

from .tables import ident
from .transaction import Tx


def done_steps(tx: Tx, req: Request) -> dict[str, StepRecord]:
    return {r.step_key: r for r in tx.s.exec(select(StepRecord).where(StepRecord.request_id == req.id))}


def tick(
    tx: Tx,
    req: Request,
    step_key: str,
    *,
    value: str = "",
    note: str = "",
    done: dict[str, StepRecord] | None = None,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Check that `step_key` may be ticked now, by this user, with this answer, and add its record.
    Returns the request's changes (a branch chosen by its step, the reply that stops the clock) and
    the event's payload; the caller applies the one and records the other."""
    me, k = tx.me, tx.k
    proc = k.procedure_of(req)
    step = proc.step(step_key)
    if step is None:
        raise ValidationError("error.step_unknown", "step", value=step_key, category=proc.name, ref=req.ref)
    if not may_tick(me.role, step.role, own=owns(me.role, me.login, req)):
        raise PermissionDenied("error.not_allowed_step", step_role=step.role, role=me.role)
    done = done_steps(tx, req) if done is None else done
    if step_key in done:
        rec = done[step_key]
        raise ValidationError(
            "error.step_already_done", "step", step=step.text, by=rec.done_by, at=k.hhmm(rec.done_at)
        )
    branches = req.branch_list
    added_branch = None
    if step.branch and step.branch not in branches:
        if not allowed(me.role, Action.CHOOSE_BRANCH):  # a guard does not add a help
            chosen = proc.branch(step.branch)
            raise PermissionDenied("error.branch_by_desk", branch=chosen.name if chosen else step.branch)
        added_branch = step.branch
        branches = branches + [step.branch]
    # A step outside this request's conditions (manager told of an ordinary case, a written
    # answer to an oral question) is still a fact worth recording: it is not refused.
    blockers = proc.blocking(step, branches, k.conditions(req), done)
    if blockers:
        raise ValidationError("error.step_blocked_by", "step", steps=named_steps(blockers))
    if step.input == "value" and not value:
        raise ValidationError("error.step_needs_value", "value", prompt=step.prompt or step.text)
    if step.input == "note" and not note:
        raise ValidationError("error.step_needs_note", "note", prompt=step.prompt or step.text)
    now = tx.now
    record = StepRecord(
        request_id=ident(req), step_key=step_key, done_at=now, done_by=me.login, note=note, value=value
    )
    tx.add(record)
    done[step_key] = record
    changes: dict[str, Any] = {}
    payload: dict[str, Any] = {"step": step_key}
    if added_branch:
        changes["branches"] = ",".join(branches)
        payload["branch_added"] = added_branch
    if step.replies and req.replied_at is None:
        # Telling the requester what happens next is the reply the clock waits for.
        changes.update(
            replied_at=now, replied_by=me.login, status="replied" if req.status == "open" else req.status
        )
        payload["replied"] = True
        payload["late_seconds"] = max(0, int((now - req.reply_due_at).total_seconds()))
    if note:
        payload["note"] = note
    if value:
        payload["value"] = value
    return changes, payload


def tick_from_form(tx: Tx, req: Request) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The steps the intake form answers (the patient's address, a contact phone), ticked with what
    the form holds (`req` as saved in this transaction); a step that cannot be ticked yet, or not by
    this user, is left for the checklist. Returns the request's changes and each step's payload."""
    changes: dict[str, Any] = {}
    ticked: list[dict[str, Any]] = []
    proc = tx.k.procedures.get(req.category)
    if proc is None:
        return changes, ticked
    done = done_steps(tx, req)
    for step in proc.form_steps:
        held = getattr(req, step.from_form or "", "")
        if step.key in done or not held or not proc.applies(step, req.branch_list, tx.k.conditions(req)):
            continue
        try:
            more, payload = tick(tx, req, step.key, done=done, **{step.input: held})
        except DeskError:
            continue  # blocked or not this user's: the checklist offers it with the form's text
        changes.update(more)
        ticked.append(payload)
    return changes, ticked

"""Requests as plain dicts for JSON and tables, with confidential details left out for those who
may not see them (permissions.sight: a guard sent to a confidential case sees where, not who or
what). Used by the command line, exports and reports alike."""

from __future__ import annotations

import json
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING, Any

from liyuan_tui.domain.deadlines import seconds_left, urgency
from liyuan_tui.domain.permissions import HIDDEN_AT, Sight, hidden_fields
from liyuan_tui.domain.procedures import Procedures, request_conditions
from liyuan_tui.domain.safe_text import HIDDEN as HIDDEN  # (the reports and the CLI find it here)

if TYPE_CHECKING:  # (a request's receipts are read for `show`, not for the queue; the ORM's tables
    # are not imported for `queue --json`, which reads without them: store/glance.py)
    from liyuan_tui.domain.desk_records import Receipt
    from liyuan_tui.domain.models import Charge, Event, Request, Staff
    from liyuan_tui.store import RequestDetail

# Event payload fields that carry who called or what was said or done: hidden when confidential.
DETAIL_KEYS = tuple(sorted(HIDDEN_AT[Sight.NONE] | {"signed_by"}))


def iso(when: datetime | None, tz: tzinfo) -> str | None:
    return when.astimezone(tz).isoformat(timespec="seconds") if when else None


def request_dict(
    req: Request, now: datetime, tz: tzinfo, viewer: Staff | None, procedures: Procedures | None = None
) -> dict[str, Any]:
    hidden = hidden_fields(viewer, req, procedures)

    def shown(name: str, value: Any) -> Any:
        return HIDDEN if name in hidden and value else value

    return {
        "ref": req.ref,
        "category": req.category,
        "channel": req.channel,
        "status": req.status,
        "unit": shown("unit", req.unit),
        "requester_name": shown("requester_name", req.requester_name),
        "phone": shown("phone", req.phone),
        "description": HIDDEN if "description" in hidden else req.description,
        "received_at": iso(req.received_at, tz),
        "reply_due_at": iso(req.reply_due_at, tz),
        "replied_at": iso(req.replied_at, tz),
        "seconds_left": seconds_left(req, now),
        "state": str(urgency(req, now)),
        "major": req.major,
        "confidential": req.confidential,
        "escalated_at": iso(req.escalated_at, tz),
        "escalated_to": req.escalated_to,
        "acknowledged_at": iso(req.acknowledged_at, tz),
        "acknowledged_by": req.acknowledged_by,
        "major_ack_at": iso(req.major_ack_at, tz),
        "major_ack_by": req.major_ack_by,
        "assignee": req.assignee,
        "created_by": req.created_by,
        "branches": req.branch_list,
        "outcome": shown("outcome", req.outcome) or "",
        "outcome_kind": req.outcome_kind,
        "handed_to": shown("handed_to", req.handed_to),
        "closed_at": iso(req.closed_at, tz),
        "fault_kind": req.fault_kind,
        "repeat_of": req.repeat_of,
        "followup_due_at": iso(req.followup_due_at, tz),
        "reply_text": HIDDEN if "reply_text" in hidden and req.reply_text else req.reply_text,
        "reply_answer": req.reply_answer,
        "incident": req.incident,
        "version": req.version,
        "procedures_version": req.procedures_version,
    }


def event_dict(ev: Event, tz: tzinfo, hidden: frozenset[str] | bool) -> dict[str, Any]:
    """One event; `hidden` names the payload keys the viewer may not see (True: every detail)."""
    payload = hide_payload(json.loads(ev.payload or "{}"), hidden)
    return {
        "id": ev.id,
        "at": iso(ev.at, tz),
        "actor": ev.actor,
        "db_user": ev.db_user,  # the login that really wrote it (the server's word on PostgreSQL)
        "kind": ev.kind,
        "payload": payload,
    }


def hide_payload(payload: dict[str, Any], hidden: frozenset[str] | bool) -> dict[str, Any]:
    keys = HIDDEN_AT[Sight.NONE] if hidden is True else (hidden or frozenset())
    out = {k: (HIDDEN if k in keys and v not in (None, "", []) else v) for k, v in payload.items()}
    if isinstance(out.get("steps"), list):  # the intake form's done: each step it ticked, with its answer
        out["steps"] = [hide_payload(x, hidden) if isinstance(x, dict) else x for x in out["steps"]]
    return out


def checklist(
    detail: RequestDetail, procedures: Procedures, tz: tzinfo, visible: bool, lang: str = "en"
) -> list[dict[str, Any]]:
    req = detail.request
    proc = procedures.get(req.category)
    if proc is None:
        return []
    conds = request_conditions(req.major, req.escalated_at is not None, req.channel, req.confidential)
    out = []
    for step in proc.checklist(req.branch_list, conds):
        rec = detail.steps.get(step.key)
        out.append(
            {
                "key": step.key,
                "text": step.text(lang),
                "role": step.role,
                "required": step.required,
                "branch": step.branch,
                "input": step.input,
                "state": "done" if rec else "pending",
                "done_at": iso(rec.done_at, tz) if rec else None,
                "done_by": rec.done_by if rec else None,
                "note": (rec.note if visible else HIDDEN) if rec and rec.note else "",
                "value": (rec.value if visible else HIDDEN) if rec and rec.value else "",
            }
        )
    return out


def charge_dict(c: Charge, receipt: Receipt | None, tz: tzinfo) -> dict[str, Any]:
    """A charge with its receipt (number, paid when, how, taken by whom)."""
    return {
        "item": c.item_code,
        "qty": c.qty,
        "unit_price": c.unit_price_cents / 100,
        "amount": c.amount_cents / 100,
        "at": iso(c.at, tz),
        "by": c.by,
        "receipt": receipt.number if receipt else None,
        "paid_at": iso(receipt.paid_at, tz) if receipt else None,
        "method": (receipt.method or None) if receipt else None,
        "paid_by": receipt.paid_by if receipt else None,
    }


def detail_dict(
    detail: RequestDetail,
    now: datetime,
    tz: tzinfo,
    viewer: Staff | None,
    procedures: Procedures,
    lang: str = "en",
) -> dict[str, Any]:
    req = detail.request
    hidden = hidden_fields(viewer, req, procedures)
    data = request_dict(req, now, tz, viewer, procedures)
    data["checklist"] = checklist(detail, procedures, tz, not hidden, lang)
    data["charges"] = [charge_dict(c, detail.receipts.get(c.id or -1), tz) for c in detail.charges]
    data["linked"] = detail.linked
    data["charges_total"] = sum(c.amount_cents for c in detail.charges) / 100
    data["followups"] = [
        {
            "at": iso(f.at, tz),
            "by": f.by,
            "reached": f.reached,
            "score": f.score,
            "solved": f.solved,
            "note": HIDDEN if "note" in hidden and f.note else (f.note or ""),
        }
        for f in detail.followups
    ]
    data["events"] = [event_dict(e, tz, hidden) for e in detail.events]
    return data

"""Which changes each user is told about (pure): every terminal polls the same events and picks
the ones that concern its user — a new request from another terminal, an escalation to them, a
major case for the manager, an acknowledgement for the assistant, the deadline ladder."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from .events import EventKind
from .models import Event, Request, Staff
from .permissions import DESK as DESK_ROLES
from .permissions import SECURITY_ROLES, SUPERVISORS, hidden_fields
from .procedures import Procedures, Text


@dataclass(frozen=True)
class Notice:
    # new_request | escalated | major | acknowledged | deadline_warning | overdue | security_task
    # | guard_task | followup_reopened
    kind: str
    ref: str
    key: str  # message key in data/messages/notices.toml
    params: dict[str, Any] = field(default_factory=dict)
    severity: str = "information"  # information | warning | error (Textual's notify severities)
    bell: bool = True


LIMIT_NAMES = {"arrive": Text("到场", "arrival"), "finish": Text("完工", "finishing")}
ORDER_NOTICES = frozenset(
    {
        EventKind.ORDER_CREATED,
        EventKind.ORDER_DISPATCHED,
        EventKind.ORDER_WAITING,
        EventKind.ORDER_FINISHED,
        EventKind.ORDER_WARNING,
        EventKind.ORDER_LATE,
    }
)


def holder(req: Request) -> str:
    return req.assignee or req.created_by


def notices_for(
    changes: list[tuple[Event, Request | None]], viewer: Staff, procedures: Procedures
) -> list[Notice]:
    out: list[Notice] = []
    for ev, req in changes:
        if req is None:
            continue
        notice = _notice(ev, req, viewer, procedures)
        if notice is not None:
            out.append(notice)
    return out


def _notice(ev: Event, req: Request, viewer: Staff, procedures: Procedures) -> Notice | None:
    role, login = viewer.role, viewer.login
    mine = ev.actor == login
    payload = json.loads(ev.payload or "{}")
    params: dict[str, Any] = {
        "ref": req.ref,
        "by": ev.actor,
        "unit": "***" if "unit" in hidden_fields(viewer, req, procedures) else req.unit,
    }
    proc = procedures.get(req.category)
    if ev.kind == EventKind.CREATED and not mine:
        # The security lead hears of the requests whose procedure calls on security (guards, gate).
        if role in DESK_ROLES or (
            role == "security_lead" and proc is not None and proc.involves(SECURITY_ROLES)
        ):
            return Notice("new_request", req.ref, "notice.new_request", params)
    elif ev.kind == EventKind.ESCALATED and not mine:
        to = payload.get("to")
        if (role == "cs_supervisor" and to in ("cs_supervisor", login)) or (
            role == "manager" and to == login
        ):
            note = payload.get("note") if "description" not in hidden_fields(viewer, req, procedures) else ""
            if note:  # what the escalation is about, said with it (one line of the note)
                params["note"] = " ".join(str(note).split())[:120]
                return Notice("escalated", req.ref, "notice.escalated_note", params, "warning")
            return Notice("escalated", req.ref, "notice.escalated", params, "warning")
    elif ev.kind == EventKind.MAJOR and not mine:
        if role in SUPERVISORS:
            return Notice("major", req.ref, "notice.major", params, "error")
    elif ev.kind == EventKind.ACKNOWLEDGED and not mine:
        if login in (req.assignee, req.created_by, req.escalated_by):
            return Notice("acknowledged", req.ref, "notice.acknowledged", params)
    elif ev.kind == EventKind.DEADLINE_WARNING:
        if login == holder(req) or (role == "assistant" and not req.assignee):
            return Notice("deadline_warning", req.ref, "notice.deadline_warning", params, "warning")
    elif ev.kind in (EventKind.AUTO_ESCALATED, EventKind.OVERDUE_ALERT):
        if role in SUPERVISORS or login == holder(req):
            params["minutes"] = payload.get("late_seconds", 0) // 60
            key = "notice.auto_escalated" if ev.kind == EventKind.AUTO_ESCALATED else "notice.overdue_alert"
            return Notice("overdue", req.ref, key, params, "error")
    elif ev.kind in ORDER_NOTICES:
        return _order_notice(ev, req, viewer, payload, params)
    elif ev.kind == EventKind.FOLLOWUP and payload.get("reopened") and not mine:
        # A follow-up call found the problem not solved: the request is back, the supervisor told.
        if role in SUPERVISORS or login == holder(req):
            return Notice("followup_reopened", req.ref, "notice.followup_reopened", params, "warning")
    elif ev.kind == EventKind.STEP and not mine and role == "guard" and proc is not None:
        # A step a guard's step waits for is done: that step is the guards' now (toast and bell).
        done = payload.get("step")
        theirs = [s for s in proc.steps if s.role == "guard" and done in s.after]
        if theirs and (not theirs[0].branch or theirs[0].branch in req.branch_list):
            params["step"] = theirs[0].text  # said in the viewer's language
            return Notice("guard_task", req.ref, "notice.guard_task", params, "warning")
    elif ev.kind in (EventKind.BRANCH, EventKind.STEP) and not mine and role == "security_lead":
        branch = payload.get("branch") or payload.get("branch_added")
        if branch and proc and any(s.branch == branch and s.role in SECURITY_ROLES for s in proc.steps):
            named = proc.branch(branch)
            params["branch"] = named.name if named is not None else branch  # said by name, in each language
            return Notice("security_task", req.ref, "notice.security_task", params, "warning")
    return None


def _order_notice(
    ev: Event, req: Request, viewer: Staff, payload: dict[str, Any], params: dict[str, Any]
) -> Notice | None:
    """A technician hears of an order given to them and of its limits; the request's holder of a
    finished order or one waiting for parts (to tell the resident); the supervisors of a late one."""
    login, mine = viewer.login, ev.actor == viewer.login
    technician = payload.get("to") or payload.get("technician")
    params = dict(
        params,
        number=payload.get("order", ""),
        minutes=payload.get("seconds_left", 0) // 60,
        late=payload.get("late_seconds", 0) // 60,
        limit=LIMIT_NAMES.get(payload.get("limit", ""), Text("", "")),
    )
    ref = req.ref
    if ev.kind in (EventKind.ORDER_CREATED, EventKind.ORDER_DISPATCHED):
        if technician == login and not mine:
            return Notice("order_new", ref, "notice.order_new", params, "warning")
    elif ev.kind in (EventKind.ORDER_FINISHED, EventKind.ORDER_WAITING):
        if login == holder(req) and not mine:
            return Notice("order_done", ref, f"notice.{ev.kind}", params)
    elif ev.kind == EventKind.ORDER_WARNING:
        if technician == login or login == holder(req):
            return Notice("order_warning", ref, "notice.order_warning", params, "warning")
    elif ev.kind == EventKind.ORDER_LATE:  # noqa: SIM102 (one shape for every kind above)
        if technician == login or viewer.role in SUPERVISORS:
            return Notice("order_late", ref, "notice.order_late", params, "error")
    return None

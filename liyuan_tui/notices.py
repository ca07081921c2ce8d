"""Which changes each user is told about (pure): every terminal polls the same events and picks
the ones that concern its user — a new request from another terminal, an escalation to them, a
major case for the manager, an acknowledgement for the assistant, the deadline ladder."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from .models import Event, Request, Staff
from .permissions import DESK as DESK_ROLES, SECURITY_ROLES, SUPERVISORS
from .procedures import Procedures

SECURITY_CATEGORIES = frozenset({"medical", "security", "disaster"})


@dataclass(frozen=True)
class Notice:
    kind: str  # new_request | escalated | major | acknowledged | deadline_warning | overdue | security_task
    ref: str
    key: str  # message key in data/messages/notices.toml
    params: dict[str, Any] = field(default_factory=dict)
    severity: str = "information"  # information | warning | error (Textual's notify severities)
    bell: bool = True


def holder(req: Request) -> str:
    return req.assignee or req.created_by


def notices_for(changes: list[tuple[Event, Request | None]], viewer: Staff, procedures: Procedures) -> list[Notice]:
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
    params = {"ref": req.ref, "by": ev.actor, "unit": req.unit}
    if ev.kind == "created" and not mine:
        if role in DESK_ROLES or (role == "security_lead" and req.category in SECURITY_CATEGORIES):
            return Notice("new_request", req.ref, "notice.new_request", params)
    elif ev.kind == "escalated" and not mine:
        to = payload.get("to")
        if (role == "cs_supervisor" and to in ("cs_supervisor", login)) or (role == "manager" and to == login):
            return Notice("escalated", req.ref, "notice.escalated", params, "warning")
    elif ev.kind == "major" and not mine:
        if role in SUPERVISORS:
            return Notice("major", req.ref, "notice.major", params, "error")
    elif ev.kind == "acknowledged" and not mine:
        if login in (req.assignee, req.created_by, req.escalated_by):
            return Notice("acknowledged", req.ref, "notice.acknowledged", params)
    elif ev.kind == "deadline_warning":
        if login == holder(req) or (role == "assistant" and not req.assignee):
            return Notice("deadline_warning", req.ref, "notice.deadline_warning", params, "warning")
    elif ev.kind in ("auto_escalated", "overdue_alert"):
        if role in SUPERVISORS or login == holder(req):
            params["minutes"] = payload.get("late_seconds", 0) // 60
            key = "notice.auto_escalated" if ev.kind == "auto_escalated" else "notice.overdue_alert"
            return Notice("overdue", req.ref, key, params, "error")
    elif ev.kind in ("branch", "step") and not mine and role == "security_lead":
        branch = payload.get("branch") or payload.get("branch_added")
        proc = procedures.get(req.category)
        if branch and proc and any(s.branch == branch and s.role in SECURITY_ROLES for s in proc.steps):
            params["branch"] = branch
            return Notice("security_task", req.ref, "notice.security_task", params, "warning")
    return None

"""What each role sees first, and what "mine" means for each role (pure).

The supervisor's queue puts escalations waiting for them first; the manager's, major cases; the
security lead's, requests with a security step waiting to be done (guards to send, gate to post).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, TypeAlias

from .deadlines import queue_order
from .incidents import grouped
from .permissions import SECURITY_ROLES
from .procedures import Procedures, Step, request_conditions

if TYPE_CHECKING:
    from .models import Request, Staff


def waiting_steps(
    req: Request, done: Iterable[str], procedures: Procedures, roles: frozenset[str]
) -> list[Step]:
    """Steps for `roles` that can be done now: applicable, not done, nothing blocking them."""
    proc = procedures.get(req.category)
    if proc is None:
        return []
    done_set = set(done)
    conds = request_conditions(req.major, req.escalated_at is not None, req.channel, req.confidential)
    branches = req.branch_list
    return [
        s
        for s in proc.checklist(branches, conds)
        if s.role in roles and s.key not in done_set and not proc.blocking(s, branches, conds, done_set)
    ]


def escalation_waiting(req: Request, viewer: Staff) -> bool:
    return (
        req.escalated_at is not None
        and req.acknowledged_at is None
        and req.escalated_to in ("cs_supervisor", viewer.login)
    )


def is_mine(req: Request, viewer: Staff, security_waiting: bool = False) -> bool:
    role, login = viewer.role, viewer.login
    if req.assignee == login:
        return True
    if role == "cs_supervisor":
        return escalation_waiting(req, viewer)
    if role == "manager":
        return req.major or escalation_waiting(req, viewer)
    if role in SECURITY_ROLES:
        return security_waiting
    return req.assignee is None and req.created_by == login


def order_key(
    req: Request, viewer: Staff, now: datetime, security_waiting: bool = False
) -> tuple[int | float, ...]:
    """Sort key of the queue for this viewer: a major case always on top (`!`, in every queue);
    then their own first kind of work, then by urgency."""
    role = viewer.role
    if role == "cs_supervisor":
        first = 0 if escalation_waiting(req, viewer) else 1
    elif role == "manager":
        first = 0 if (req.major and req.major_ack_at is None) else (1 if req.major else 2)
    elif role in SECURITY_ROLES:
        first = 0 if security_waiting else 1
    else:
        first = 0
    return (0 if req.major else 1, first, *queue_order(req, now, req.major))


# A request's sort key as last worked out: ref -> (the request read, its security flag, the key).
OrderKeys: TypeAlias = "dict[str, tuple[Request, bool, tuple[int | float, ...]]]"


def ordered(
    requests: Iterable[Request],
    viewer: Staff,
    now: datetime,
    security: dict[int, bool] | None = None,
    keys: OrderKeys | None = None,
) -> list[Request]:
    """The queue in this viewer's order. `keys` (the queue's own, kept between calls) holds each
    request's key while the request read and its security flag are the same: a queue of 1,500
    re-sorted after one change works out one key, not 1,500 (the key does not move with `now`)."""
    security = security or {}
    known: OrderKeys = keys if keys is not None else {}

    def key(r: Request) -> tuple[int | float, ...]:
        waiting = security.get(r.id or 0, False)
        kept = known.get(r.ref)
        if kept is not None and kept[0] is r and kept[1] == waiting:
            return kept[2]
        worked = order_key(r, viewer, now, waiting)
        known[r.ref] = (r, waiting, worked)
        return worked

    # An incident's linked calls are listed under its first call (incidents.grouped).
    listed = grouped(requests, key=key)
    if keys is not None and len(known) > 2 * len(listed):  # (closed requests' keys let go)
        shown = {r.ref for r, _ in listed}
        for ref in [ref for ref in known if ref not in shown]:
            del known[ref]
    return [r for r, _ in listed]

"""The pager's outbox, written inside the transaction of the event that causes a page: a major case
(lifecycle.py, intake.py), the automatic escalation at the deadline (ladder.py), a follow-up that
found the problem not solved (followups.py). Nothing is sent here: the row is the promise, and the
sender (`liyuan pager run`, store/pager.py) keeps it. Acknowledging a request's pages happens here
too, in the acknowledgement's own transaction."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import update
from sqlmodel import col, select

from liyuan_tui.domain.errors import PermissionDenied
from liyuan_tui.domain.events import EventKind
from liyuan_tui.domain.models import Event, Request, Staff
from liyuan_tui.domain.pager import FIRST_DUTY, OPEN_STATUSES, chain_id, page_key, rungs
from liyuan_tui.domain.paging import Page
from liyuan_tui.domain.permissions import Action, allowed

from .kernel import Tx
from .roster import OnDuty, on_duty
from .rows import EventRow, RequestRow


def page(tx: Tx, req: Request | RequestRow, reason: str, cause: Event | EventRow) -> list[Page]:
    """Queue the first page for `reason` about `req` (the duty it goes to, now), in the
    transaction that recorded `cause`. A duty with nobody at all to page (not even a supervisor
    on the staff list) passes to its next rung at once; with nobody anywhere, the timeline says so."""
    plan = rungs(FIRST_DUTY[reason])
    for n, rung in enumerate(plan):
        people = (
            [] if rung.kind == "repeat" else on_duty(tx.s, rung.duty, tx.now, req.estate, backup=rung.backup)
        )
        if people:
            return queue(tx, req, chain_id(reason, cause.id), n, reason, people)
    # Said as the cause's actor; where the server recorded the cause itself (the deadline's
    # escalation on a PostgreSQL site, actor "system": ladder.SYSTEM), by the desk that noticed it:
    # only the server's own functions may write as the system.
    actor = None if tx.k.db_roles and cause.actor == "system" else cause.actor
    tx.record(req, EventKind.PAGE_NOBODY, {"reason": reason, "duty": plan[0].duty}, actor=actor)
    return []


def queue(
    tx: Tx, req: Request | RequestRow | None, chain: str, rung: int, reason: str, people: Iterable[OnDuty]
) -> list[Page]:
    """One page per person (a person already paged on this rung is not paged twice)."""
    out: list[Page] = []
    for person in people:
        key = page_key(chain, rung, person.login)
        if any(p.key == key for p in out):
            continue
        row = Page(
            key=key,
            chain=chain,
            request_id=req.id if req is not None else None,
            ref=req.ref if req is not None else None,
            login=person.login,
            reason=reason,
            duty=person.duty,
            rung=rung,
            queued_at=tx.now,
            next_attempt_at=tx.now,
        )
        tx.add(row)
        out.append(row)
    tx.s.flush()
    return out


def open_pages(tx: Tx, req: Request) -> list[Page]:
    """The request's pages nobody has acknowledged yet."""
    return list(tx.s.exec(select(Page).where(Page.request_id == req.id, col(Page.status).in_(OPEN_STATUSES))))


def acknowledge(tx: Tx, req: Request, me: Staff) -> int:
    """Acknowledge every open page of the request as `me` (who and when): their repeats stop, and
    one still queued is not sent. Returns how many there were. A supervisor or the manager may;
    anyone else only when paged about it (and refused, saying why, if they may do neither)."""
    pages = open_pages(tx, req)
    if not allowed(me.role, Action.ACKNOWLEDGE) and not any(p.login == me.login for p in pages):
        raise PermissionDenied("error.not_allowed", role=me.role, action=str(Action.ACKNOWLEDGE))
    if not pages:
        return 0
    result = tx.s.execute(
        update(Page)
        .where(col(Page.request_id) == req.id, col(Page.status).in_(OPEN_STATUSES))
        .values(status="acknowledged", acknowledged_at=tx.now, acknowledged_by=me.login, next_attempt_at=None)
        .execution_options(synchronize_session=False)
    )
    tx.changed = True
    return int(result.rowcount)  # type: ignore[attr-defined]

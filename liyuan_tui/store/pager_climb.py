"""The rungs of a page nobody acknowledges (domain/pager.py says which): each limit without an
acknowledgement pages the next rung — repeated, then the duty's backup, then the next role up —
resolved from the roster at that moment (a shift that changed meanwhile reaches the new person).
A rung that names nobody is passed at once; when none is left, the timeline says nobody answered.
Each rung is recorded once, with a dedupe key, in the transaction that queues its pages."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, col, func, select

from liyuan_tui.domain.events import EventKind
from liyuan_tui.domain.models import Event, Request
from liyuan_tui.domain.pager import FIRST_DUTY, OPEN_STATUSES, Rung, rung_due, rungs
from liyuan_tui.domain.paging import Page

from . import outbox
from .kernel import Kernel, Tx
from .pager_sending import PAGER, check_lease
from .roster import on_duty

WINDOW = timedelta(days=1)  # chains older than this are not climbed any more


class Climb:
    def __init__(self, kernel: Kernel) -> None:
        self.k = kernel

    def climb(self, limit: timedelta, holder: str) -> datetime | None:
        """Page the next rung of every chain whose limit has passed unacknowledged; returns when
        the next rung of the others falls due (None: none is waiting)."""
        now = self.k.clock.now()
        with self.k.read() as s:
            rows = s.exec(
                select(Page.chain, func.min(Page.queued_at), func.max(Page.rung), func.max(Page.request_id))
                .where(
                    col(Page.status).in_(OPEN_STATUSES),
                    col(Page.reason) != "test",
                    col(Page.queued_at) >= now - WINDOW,
                )
                .group_by(col(Page.chain))
            ).all()
            due: list[tuple[str, int, int | None, datetime]] = []
            later: list[tuple[str, int, int | None, datetime]] = []
            for chain, started, top, request_id in rows:
                at = rung_due(started, top + 1, limit)
                (due if at <= now else later).append((chain, top, request_id, at))
            ended = _recorded(s, [f"page-end:{chain}" for chain, *_ in due])
        for chain, top, request_id, _at in due:
            if f"page-end:{chain}" in ended:
                continue
            with self.k.write() as tx:
                check_lease(tx.s, holder)
                self._climb_one(tx, chain, top, request_id, limit)
        return min((at for *_, at in later), default=None)

    def _climb_one(self, tx: Tx, chain: str, top: int, request_id: int | None, limit: timedelta) -> None:
        reason = chain.split(":", 1)[0]
        plan: list[Rung] = rungs(FIRST_DUTY.get(reason, "duty_supervisor"))
        req = tx.s.get(Request, request_id) if request_id is not None else None
        if req is None or not req.is_open or (reason == "major" and not req.major):
            return  # closed meanwhile, or no longer major: nobody more is woken for it
        pages = list(tx.s.exec(select(Page).where(Page.chain == chain)))
        if any(p.status == "acknowledged" for p in pages) or max(p.rung for p in pages) != top:
            return  # acknowledged, or climbed by another sender meanwhile
        paged = {p.login for p in pages}
        for n in range(top + 1, len(plan)):
            rung = plan[n]
            people = on_duty(tx.s, rung.duty, tx.now, req.estate, backup=rung.backup)
            if rung.kind != "repeat":
                people = [p for p in people if p.login not in paged]
            if people:
                outbox.queue(tx, req, chain, n, "unacknowledged", people)
                payload = {
                    "rung": n,
                    "kind": rung.kind,
                    "duty": rung.duty,
                    "to": [p.login for p in people],
                    "minutes": int(limit.total_seconds() // 60),
                }
                tx.record(
                    req,
                    EventKind.PAGE_UNACKNOWLEDGED,
                    payload,
                    dedupe_key=f"page-rung:{chain}:{n}",
                    actor=PAGER,
                )
                return
        tx.record(
            req, EventKind.PAGE_UNANSWERED, {"reason": reason}, dedupe_key=f"page-end:{chain}", actor=PAGER
        )


def _recorded(s: Session, keys: list[str]) -> set[str]:
    found: set[str] = set()
    for i in range(0, len(keys), 500):
        chunk = keys[i : i + 500]
        found |= {k for k in s.exec(select(Event.dedupe_key).where(col(Event.dedupe_key).in_(chunk))) if k}
    return found

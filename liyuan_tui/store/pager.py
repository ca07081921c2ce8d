"""The pager as the desk sees it: the pages and their state (`liyuan pages`), whether a sender is
alive (every open desk asks; `liyuan check` too), and a test page. What the sender itself does —
its lease, each attempt and its outcome, the rungs of a page nobody acknowledges — is in
pager_sending.py and pager_climb.py, handed out here as `store.pager.sending` and `store.pager.climbing`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case
from sqlmodel import col, func, select

from liyuan_tui.domain import validation as check
from liyuan_tui.domain.errors import NotFound, ValidationError
from liyuan_tui.domain.events import EventKind
from liyuan_tui.domain.models import Staff
from liyuan_tui.domain.pager import SENDER_DEAD_AFTER, chain_id
from liyuan_tui.domain.paging import DutyShift, Page, PagerSender
from liyuan_tui.domain.permissions import SUPERVISORS, Action

from . import outbox
from .kernel import Kernel
from .pager_climb import Climb
from .pager_sending import LEASE_ROW, PAGER, Sending
from .roster import OnDuty


@dataclass(frozen=True)
class PagerHealth:
    """Whether pages are being delivered: `ok` (a sender is alive), `down` (a sender ran here and
    none has been alive for two minutes), `unused` (no sender has ever run: a desk without a
    pager; `stuck` pages have waited two minutes for one all the same)."""

    state: str
    heartbeat_at: datetime | None
    waiting: int  # pages not yet sent
    stuck: int = 0  # of them, queued more than two minutes ago

    @property
    def down(self) -> bool:
        return self.state == "down"


class Pager:
    """pages, page, health, test; `sending` for the sender."""

    def __init__(self, kernel: Kernel) -> None:
        self.k = kernel
        self.sending = Sending(kernel)
        self.climbing = Climb(kernel)

    def pages(self, limit: int = 200) -> list[Page]:
        """The newest pages first: every one for the supervisors and the manager (and the pager
        itself), one's own for anyone else."""
        me = self.k.identity()
        stmt = select(Page).order_by(col(Page.id).desc()).limit(limit)
        if not self.k.service and me.role not in SUPERVISORS:
            stmt = stmt.where(Page.login == me.login)
        with self.k.read() as s:
            return list(s.exec(stmt))

    def page(self, page_id: int) -> Page:
        with self.k.read() as s:
            found = s.get(Page, page_id)
        if found is None:
            raise NotFound("error.page_unknown", "id", value=page_id)
        return found

    def health(self, now: datetime | None = None) -> PagerHealth:
        """One row and one count: cheap enough for every desk's poller."""
        now = now or self.k.clock.now()
        with self.k.read() as s:
            lease = s.get(PagerSender, LEASE_ROW)
            waiting, stuck = s.exec(
                select(
                    func.count(), func.count(case((col(Page.queued_at) < now - SENDER_DEAD_AFTER, 1)))
                ).where(col(Page.status).in_(("queued", "failed")), col(Page.next_attempt_at).is_not(None))
            ).one()
        beat = lease.heartbeat_at if lease is not None else None
        if beat is None:
            return PagerHealth("unused", None, waiting, stuck)
        return PagerHealth("ok" if now - beat <= SENDER_DEAD_AFTER else "down", beat, waiting, stuck)

    def who_may_be_paged(self) -> tuple[dict[str, Staff], set[str]]:
        """The staff list by login, and the active logins a page may reach: those on a shift under
        way or to come, and every supervisor and the manager (whom a page reaches when the
        roster names nobody)."""
        now = self.k.clock.now()
        with self.k.read() as s:
            staff = {p.login: p for p in s.exec(select(Staff))}
            rostered = set(
                s.exec(
                    select(DutyShift.login).where(
                        col(DutyShift.removed_at).is_(None), col(DutyShift.ends_at) > now
                    )
                )
            )
        fallback = {login for login, p in staff.items() if p.role in SUPERVISORS}
        return staff, {login for login in rostered | fallback if login in staff and staff[login].active}

    def test(self, login: str) -> Page:
        """Queue a test page to `login` (a supervisor or the manager asks; or the pager itself)."""
        login = check.login(login)
        with self.k.write() as tx:
            actor = PAGER if self.k.service else tx.require(Action.PAGER_TEST).login
            person = tx.s.exec(select(Staff).where(Staff.login == login)).first()
            if person is None or not person.active:
                raise ValidationError("error.login_unknown", "login", value=login)
            event = tx.record(None, EventKind.PAGER_TEST, {"to": login}, actor=actor)
            [page] = outbox.queue(
                tx, None, chain_id("test", event.id), 0, "test", [OnDuty("", login, person.name, False, None)]
            )
            return page

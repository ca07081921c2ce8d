"""What the pager's sender (`liyuan pager run`) does in the database, each in its own short
transaction: hold the one lease (only its holder delivers; its heartbeat says it is alive), find
the pages due, and record each attempt before it is made and its outcome after — delivered,
failed (tried again later, with back-off) or given up — on the request's timeline.

Delivery is at least once: an attempt is on record before anything is sent, so a sender killed
mid-delivery leaves an attempt with no outcome, which the next sender to take the lease tries
again at once. Every channel carries the page's idempotency key, so a receiver that sees it
twice knows it is the same page; a channel already reached is not sent to again.
"""

from __future__ import annotations

import os
import socket
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, update
from sqlmodel import Session, col, func, select

from liyuan_tui.domain.events import EventKind
from liyuan_tui.domain.models import Request, Staff
from liyuan_tui.domain.pager import LEASE_EXPIRES, retry_after
from liyuan_tui.domain.paging import Page, PagerSender
from liyuan_tui.domain.validation import ascii_digits

from .engine import WRITE
from .kernel import Kernel

PAGER = "pager"  # the actor of the sender's events (the login running it is in their payload)
LEASE_ROW = 1
LEASE = PagerSender.__table__  # type: ignore[attr-defined]


class LeaseLost(Exception):
    """Another sender holds the lease now: this one stops delivering."""


@dataclass
class Delivery:
    """One attempt, on record: the page, its request (None for a test page) and whom it is for."""

    page: Page
    request: Request | None
    receiver: Staff | None


def new_holder() -> str:
    """This sender's name in the lease: host, process and a nonce."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def _gone(holder: str | None) -> bool:
    """A holder on this host whose process has ended (a sender killed: take over at once)."""
    parts = (holder or "").split(":")
    if len(parts) != 3 or parts[0] != socket.gethostname() or not ascii_digits(parts[1]):
        return False
    try:
        os.kill(int(parts[1]), 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # alive, as another login
        pass
    return False


def check_lease(s: Session, holder: str) -> None:
    """Inside a sender's transaction: refuse to go on unless the lease is still `holder`'s. On
    PostgreSQL its row stays locked to the commit: a sender taking the lease over waits for the
    transaction under way, so two senders never work at once."""
    stmt = select(PagerSender).where(PagerSender.id == LEASE_ROW)
    row = s.exec(stmt if s.get_bind().dialect.name == "sqlite" else stmt.with_for_update()).first()
    if row is None or row.holder != holder:
        raise LeaseLost(row.holder if row is not None else None)


class Sending:
    """The sender's transactions."""

    def __init__(self, kernel: Kernel) -> None:
        self.k = kernel

    # --- the lease: one sender delivers at a time ---------------------------------------------------
    # The lease is the sender's own bookkeeping, not a desk action: it is written without an event
    # (a heartbeat every ten seconds would otherwise fill the audit log and wake every desk).

    def _lease_tx(self) -> Connection:
        self.k.ready()
        return self.k.engine.connect().execution_options(**{WRITE: True})

    def take_lease(self, holder: str) -> str | None:
        """Take the lease if it is free, stale or held by a process that has ended; None when it
        is ours now, else who holds it."""
        now = self.k.clock.now()
        with self._lease_tx() as conn:
            row = conn.execute(LEASE.select().where(LEASE.c.id == LEASE_ROW)).first()
            if row is None:
                conn.execute(
                    insert(LEASE).values(id=LEASE_ROW, holder=holder, started_at=now, heartbeat_at=now)
                )
            elif (
                row.holder in (None, holder)
                or row.heartbeat_at is None
                or now - row.heartbeat_at > LEASE_EXPIRES
                or (_gone(row.holder) and row.holder != holder)
            ):
                conn.execute(
                    update(LEASE)
                    .where(LEASE.c.id == LEASE_ROW)
                    .values(holder=holder, started_at=now, heartbeat_at=now)
                )
            else:
                return str(row.holder)
            conn.commit()
        return None

    def heartbeat(self, holder: str) -> bool:
        """Say this sender is alive; False if the lease is no longer ours."""
        with self._lease_tx() as conn:
            done = conn.execute(
                update(LEASE)
                .where(LEASE.c.id == LEASE_ROW, LEASE.c.holder == holder)
                .values(heartbeat_at=self.k.clock.now())
            )
            conn.commit()
        return bool(done.rowcount == 1)

    def release(self, holder: str) -> None:
        """A sender stopping gives the lease up (its last heartbeat stays: the desks see how long
        nobody has been sending)."""
        with self._lease_tx() as conn:
            conn.execute(
                update(LEASE).where(LEASE.c.id == LEASE_ROW, LEASE.c.holder == holder).values(holder=None)
            )
            conn.commit()

    # --- the pages ------------------------------------------------------------------------------

    def recover(self, holder: str) -> int:
        """Attempts a sender before this one started and never finished (it was killed): due now."""
        with self.k.write() as tx:
            check_lease(tx.s, holder)
            result = tx.s.execute(
                update(Page)
                .where(col(Page.sending_since).is_not(None), col(Page.next_attempt_at).is_not(None))
                .values(next_attempt_at=tx.now, sending_since=None)
                .execution_options(synchronize_session=False)
            )
            return int(result.rowcount)  # type: ignore[attr-defined]

    def due(self, limit: int = 50) -> list[int]:
        """The pages to try now, oldest first."""
        now = self.k.clock.now()
        with self.k.read() as s:
            found = s.exec(
                select(col(Page.id))
                .where(col(Page.next_attempt_at) <= now, col(Page.status) != "acknowledged")
                .order_by(col(Page.next_attempt_at), col(Page.id))
                .limit(limit)
            )
            return [page_id for page_id in found if page_id is not None]

    def next_due(self) -> datetime | None:
        """When the next page (a retry) is due, if any."""
        with self.k.read() as s:
            return s.exec(
                select(func.min(Page.next_attempt_at)).where(col(Page.status) != "acknowledged")
            ).one()

    def start_attempt(self, page_id: int, holder: str) -> Delivery | None:
        """Put the attempt on record before anything is sent (None: acknowledged or not due)."""
        with self.k.write() as tx:
            check_lease(tx.s, holder)
            page = tx.locked(select(Page).where(Page.id == page_id))
            now = tx.now
            if page is None or page.status == "acknowledged" or page.next_attempt_at is None:
                return None
            if page.next_attempt_at > now:
                return None
            page.attempts += 1
            page.sending_since = now
            page.next_attempt_at = now + retry_after(page.attempts)
            tx.add(page)
            req = tx.s.get(Request, page.request_id) if page.request_id is not None else None
            receiver = tx.s.exec(select(Staff).where(Staff.login == page.login)).first()
            tx.record(req, EventKind.PAGE_ATTEMPT, self._said(page), actor=PAGER)
            return Delivery(page, req, receiver)

    def finish_attempt(
        self, page_id: int, delivered: list[int], failed: list[str], reached: list[str], max_attempts: int
    ) -> Page:
        """Record what the attempt found: `delivered`, the places (1, 2 …) in the person's contact
        list reached now; `failed`, the schemes of those that were not; `reached`, the schemes
        reached. A page reached on any channel is sent."""
        with self.k.write() as tx:
            page = tx.locked(select(Page).where(Page.id == page_id))
            if page is None:
                raise LeaseLost(None)
            now = tx.now
            done = sorted({int(n) for n in page.delivered.split(",") if n} | set(delivered))
            page.delivered = ",".join(map(str, done))
            page.sending_since = None
            req = tx.s.get(Request, page.request_id) if page.request_id is not None else None
            payload = self._said(page)
            if done:
                if page.status != "acknowledged":
                    page.status = "sent"
                page.sent_at = page.sent_at or now
                page.next_attempt_at = None
                page.error = ", ".join(failed)
                payload.update(channels=reached, failed=failed)
                tx.record(req, EventKind.PAGE_SENT, payload, actor=PAGER)
            else:
                if page.status != "acknowledged":
                    page.status = "failed"
                page.error = ", ".join(failed) or "-"
                given_up = page.attempts >= max_attempts
                if given_up:
                    page.next_attempt_at = None
                payload.update(failed=failed, given_up=given_up, next_at=page.next_attempt_at)
                tx.record(req, EventKind.PAGE_FAILED, payload, actor=PAGER)
            tx.add(page)
            return page

    def _said(self, page: Page) -> dict[str, Any]:
        return {
            "page": page.id,
            "to": page.login,
            "reason": page.reason,
            "attempt": page.attempts,
            "sender": self.k.login,
        }

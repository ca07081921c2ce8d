"""Reading requests and the event log: the queue's open requests, one request in full, search,
and what changed since a terminal last looked."""

from __future__ import annotations

from sqlmodel import col, or_, select

from liyuan_tui.domain import validation as check
from liyuan_tui.domain.models import OPEN_STATUSES, Charge, Event, Request, StepRecord
from liyuan_tui.domain.permissions import hidden_fields

from .incidents import linked_refs
from .kernel import Kernel
from .request_detail import RequestDetail as RequestDetail


class Lookup:
    """Reads only: never takes the write lock."""

    def __init__(self, kernel: Kernel) -> None:
        self.k = kernel

    def open_requests(self, estate: str | None = None) -> list[Request]:
        """Every open request, or one estate's (a desk shows its own estate's queue)."""
        stmt = select(Request).where(col(Request.status).in_(OPEN_STATUSES))
        if estate is not None:
            stmt = stmt.where(
                Request.estate == check.estate(estate)
            )  # checked before it reaches the database
        with self.k.read() as s:
            return list(s.exec(stmt))

    def get_request(self, ref: str) -> Request:
        with self.k.read() as s:
            return self.k.load(s, ref)

    def refs_by_id(self, ids: set[int]) -> dict[int, tuple[str, str]]:
        """(ref, category) of the requests with these ids: `liyuan alerts` names each rung's request."""
        if not ids:
            return {}
        with self.k.read() as s:
            found = s.exec(select(Request.id, Request.ref, Request.category).where(col(Request.id).in_(ids)))
            return {rid: (ref, category) for rid, ref, category in found if rid is not None}

    def detail(self, ref: str) -> RequestDetail:
        from liyuan_tui.domain.desk_records import Receipt
        from liyuan_tui.domain.records import FollowUp
        from liyuan_tui.domain.workshop import WorkOrder

        with self.k.read() as s:
            req = self.k.load(s, ref)
            steps = {r.step_key: r for r in s.exec(select(StepRecord).where(StepRecord.request_id == req.id))}
            events = list(s.exec(select(Event).where(Event.request_id == req.id).order_by(col(Event.id))))
            charges = list(s.exec(select(Charge).where(Charge.request_id == req.id).order_by(col(Charge.id))))
            orders = list(
                s.exec(select(WorkOrder).where(WorkOrder.request_id == req.id).order_by(col(WorkOrder.id)))
            )
            followups = list(
                s.exec(select(FollowUp).where(FollowUp.request_id == req.id).order_by(col(FollowUp.id)))
            )
            receipts = {r.charge_id: r for r in s.exec(select(Receipt).where(Receipt.request_id == req.id))}
            linked = linked_refs(s, req)
            return RequestDetail(req, steps, events, charges, orders, followups, receipts, linked)

    def charges_total(self, ref: str) -> int:
        """The request's paid services, in fen."""
        return self.detail(ref).charges_total

    def search(self, text: str, limit: int = 50) -> list[Request]:
        """Requests (open or not) whose ref, unit, phone or requester's name contains `text`. A
        confidential request is found only by what its viewer may see of it (a guard searching a
        phone number does not learn that it belongs to one)."""
        needle = " ".join(text.split())[:100]
        like = f"%{needle}%"
        me = self.k.identity()
        with self.k.read() as s:
            stmt = (
                select(Request)
                .where(
                    or_(
                        col(Request.ref).like(like),
                        col(Request.unit).like(like),
                        col(Request.phone).like(like),
                        col(Request.requester_name).like(like),
                    )
                )
                .order_by(col(Request.received_at).desc())
                .limit(limit)
            )
            found = list(s.exec(stmt))

        def findable(r: Request) -> bool:
            hidden = hidden_fields(me, r, self.k.procedures)
            shown = [r.ref] + [getattr(r, f) for f in ("unit", "phone", "requester_name") if f not in hidden]
            return not hidden or any(needle.lower() in (v or "").lower() for v in shown)

        return [r for r in found if findable(r)]

    def open_step_keys(self) -> dict[int, set[str]]:
        """The ticked steps of every open request, by request id (for role views)."""
        with self.k.read() as s:
            stmt = (
                select(StepRecord.request_id, StepRecord.step_key)
                .join(Request, col(StepRecord.request_id) == Request.id)
                .where(col(Request.status).in_(OPEN_STATUSES))
            )
            done: dict[int, set[str]] = {}
            for request_id, key in s.exec(stmt):
                done.setdefault(request_id, set()).add(key)
            return done

    # --- the event log, for terminals watching for changes ---------------------------------------

    def last_event_id(self) -> int:
        """The newest event's id, for terminals polling for changes: one indexed look-up, or on a
        site whose server hides rows the committed event counter (row-level security would make
        max(id) read every event: postgres_sql.py)."""
        self.k.ready()
        with self.k.said(), self.k.engine.connect() as conn:
            return conn.exec_driver_sql(self.k.last_event_sql).scalar() or 0

    def changes_since(self, event_id: int, limit: int = 500) -> list[tuple[Event, Request | None]]:
        """Events after `event_id`, each with its request as it is now (one query), for the
        terminals' notifications."""
        with self.k.read() as s:
            stmt = (
                select(Event, Request)
                .join(Request, col(Event.request_id) == Request.id, isouter=True)
                .where(col(Event.id) > event_id)
                .order_by(col(Event.id))
                .limit(limit)
            )
            return [(ev, req) for ev, req in s.exec(stmt)]

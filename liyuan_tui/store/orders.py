"""Repair work orders (派工单): someone sent on site for a request, numbered per month like
requests (`W202612-0007`), from dispatch to the resident's sign-off.

Each change is one transaction with one event, recorded on the order's request (its timeline shows
it), and a compare-and-set on the order's version. A technician works on their own orders only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import col, func, select

from liyuan_tui.domain import validation as check
from liyuan_tui.domain.errors import NotFound, PermissionDenied, StaleError, ValidationError
from liyuan_tui.domain.events import EventKind
from liyuan_tui.domain.models import Event, Request, Staff
from liyuan_tui.domain.permissions import Action, can_see, may_see_order, may_work_order
from liyuan_tui.domain.work_orders import ACTION_FROM, ON_SITE_ROLES, limits_from, order_urgency, qty_number
from liyuan_tui.domain.workshop import OPEN_ORDER_STATES, Material, WorkOrder

from .kernel import Kernel, Tx
from .order_steps import tick_order_step
from .stock import locked_material, move_stock, used_on_orders
from .tables import ident

APPOINTMENT_RANGE = timedelta(days=366)


@dataclass
class OrderView:
    """A work order as a reader may see it: its request (details only if `visible`), the
    materials it used, and its events when read in full."""

    order: WorkOrder
    request: Request
    visible: bool
    materials: list[tuple[Material, int]] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)


class Orders:
    """create, dispatch, arrive, wait, finish, cancel; list_orders and detail read."""

    def __init__(self, kernel: Kernel) -> None:
        self.k = kernel

    # --- writes ---------------------------------------------------------------------------------

    def create(
        self,
        ref: str,
        technician: str | None = None,
        *,
        appointment: datetime | None = None,
        note: str = "",
        expected_version: int | None = None,
    ) -> WorkOrder:
        """A new order on an open request: dispatched to `technician` at once, else 待派工."""
        ref = check.ref(ref)
        technician = check.login(technician) if technician else None
        note = check.plain(note, "note", newlines=True, max_len=check.MAX_TEXT)
        appointment = self._appointment(appointment)
        with self.k.write(Action.ORDER_DISPATCH) as tx:
            req = tx.open_request(ref, expected_version)
            person = self._technician(tx, technician) if technician else None
            month = tx.now.astimezone(self.k.tz).strftime("%Y%m")
            seq = (
                tx.s.exec(select(func.max(WorkOrder.number_seq)).where(WorkOrder.number_month == month)).one()
                or 0
            ) + 1
            order = WorkOrder(
                number=f"W{month}-{seq:04d}",
                number_month=month,
                number_seq=seq,
                request_id=ident(req),
                appointment_at=appointment,
                created_at=tx.now,
                created_by=tx.me.login,
                note=note,
                updated_at=tx.now,
            )
            if technician:
                self._dispatch_fields(order, req, technician, tx.now)
            tx.add(order)
            tx.s.flush()
            payload: dict[str, Any] = {
                "order": order.number,
                "technician": technician,
                "appointment_at": appointment,
            }
            if note:
                payload["note"] = note
            if person is not None:
                _ticked(payload, tick_order_step(tx, req, "dispatch", value=f"{order.number} {person.name}"))
            tx.record(req, EventKind.ORDER_CREATED, payload)
            return order

    def dispatch(self, number: str, technician: str, expected_version: int | None = None) -> WorkOrder:
        """Give a waiting order to a technician, or hand one on to another (its limits stay)."""
        technician = check.login(technician)
        with self.k.write(Action.ORDER_DISPATCH) as tx:
            order, req = self._open(tx, number, "dispatch", expected_version)
            person = self._technician(tx, technician)
            before = order.technician
            changes: dict[str, Any] = {"technician": technician}
            if order.state == "pending":
                arrive, finish = self._limits(order.appointment_at or tx.now, req)
                changes.update(
                    state="dispatched", dispatched_at=tx.now, arrive_due_at=arrive, finish_due_at=finish
                )
            self._apply(tx, order, changes)
            payload: dict[str, Any] = {"order": order.number, "from": before, "to": technician}
            _ticked(payload, tick_order_step(tx, req, "dispatch", value=f"{order.number} {person.name}"))
            tx.record(req, EventKind.ORDER_DISPATCHED, payload)
            return order

    def arrive(self, number: str, expected_version: int | None = None) -> WorkOrder:
        """On site (also back on site after fetching parts: the first arrival's time is kept)."""
        with self.k.write(Action.ORDER_WORK) as tx:
            order, req = self._open(tx, number, "arrive", expected_version)
            again = order.arrived_at is not None
            self._apply(
                tx, order, {"state": "on_site"} if again else {"state": "on_site", "arrived_at": tx.now}
            )
            payload: dict[str, Any] = {"order": order.number}
            if again:
                payload["again"] = True
            elif order.arrive_due_at is not None:
                payload["late_seconds"] = max(0, int((tx.now - order.arrive_due_at).total_seconds()))
            if not again:
                who = self._technician_name(tx, order.technician)
                _ticked(payload, tick_order_step(tx, req, "arrive", value=f"{order.number} {who}".strip()))
            tx.record(req, EventKind.ORDER_ARRIVED, payload)
            return order

    def wait(self, number: str, reason: str, expected_version: int | None = None) -> WorkOrder:
        """待料: waiting for parts, with the reason (what is missing)."""
        return self._with_reason(
            number,
            reason,
            "wait",
            expected_version,
            lambda now, why: {"state": "waiting_parts", "waiting_at": now, "wait_reason": why},
        )

    def finish(
        self,
        number: str,
        hours: str | float,
        *,
        materials: list[tuple[str, int]] | None = None,
        signed_by: str = "",
        not_home: bool = False,
        note: str = "",
        expected_version: int | None = None,
    ) -> WorkOrder:
        """已完工: labour hours, the materials used (taken from stock in the same transaction) and
        the resident's sign-off — a name, or nobody at home to sign."""
        spent = check.hours(hours)
        used = [(check.code(c, "material"), int(m)) for c, m in (materials or [])]
        signed_by = check.plain(signed_by, "signed_by", max_len=check.MAX_NAME)
        note = check.plain(note, "note", newlines=True, max_len=check.MAX_TEXT)
        if bool(signed_by) == bool(not_home):
            raise ValidationError("error.sign_off", "signed_by")
        with self.k.write(Action.ORDER_WORK) as tx:
            order, req = self._open(tx, number, "finish", expected_version)
            for code, milli in used:
                material = locked_material(tx, code)
                move_stock(tx, material, "use", -milli, order_id=order.id, reason="")
            self._apply(
                tx,
                order,
                {
                    "state": "done",
                    "finished_at": tx.now,
                    "finished_by": tx.me.login,
                    "hours": spent,
                    "signed_by": signed_by,
                    "not_home": bool(not_home),
                    "finish_note": note,
                },
            )
            payload: dict[str, Any] = {
                "order": order.number,
                "hours": spent,
                "materials": [{"code": c, "qty": qty_number(m)} for c, m in used],
            }
            payload.update({"signed_by": signed_by} if signed_by else {"not_home": True})
            if note:
                payload["note"] = note
            said = f"{order.number} {note}".strip() if note else f"{order.number} {spent:g} h"
            _ticked(payload, tick_order_step(tx, req, "finish", note=said))
            tx.record(req, EventKind.ORDER_FINISHED, payload)
            return order

    def cancel(self, number: str, reason: str, expected_version: int | None = None) -> WorkOrder:
        """作废: an order made by mistake or no longer wanted; kept on record."""
        return self._with_reason(
            number,
            reason,
            "cancel",
            expected_version,
            lambda now, why: {"state": "cancelled", "cancelled_at": now, "cancel_reason": why},
        )

    def _with_reason(
        self,
        number: str,
        reason: str,
        action: str,
        expected_version: int | None,
        changes: Callable[[datetime, str], dict[str, Any]],
    ) -> WorkOrder:
        """A change that says why (waiting for parts, cancelled): one transaction, one event."""
        reason = check.plain(reason, "reason", required=True)
        permission, kind = {
            "wait": (Action.ORDER_WORK, EventKind.ORDER_WAITING),
            "cancel": (Action.ORDER_CANCEL, EventKind.ORDER_CANCELLED),
        }[action]
        with self.k.write(permission) as tx:
            order, req = self._open(tx, number, action, expected_version)
            self._apply(tx, order, changes(tx.now, reason))
            tx.record(req, kind, {"order": order.number, "reason": reason})
            return order

    # --- reads ----------------------------------------------------------------------------------

    def list_orders(
        self, *, mine: bool = False, open_only: bool = False, late: bool = False, limit: int = 1000
    ) -> list[OrderView]:
        """Orders newest first, as this reader may see them (a technician: their own only)."""
        me = self.k.identity()
        with self.k.read() as s:
            stmt = select(WorkOrder, Request).join(Request, col(WorkOrder.request_id) == Request.id)
            if mine or me.role == "technician":
                stmt = stmt.where(WorkOrder.technician == me.login)
            if open_only or late:
                stmt = stmt.where(col(WorkOrder.state).in_(OPEN_ORDER_STATES))
            rows = list(s.exec(stmt.order_by(col(WorkOrder.id).desc()).limit(limit)))
            if late:
                now = self.k.clock.now()
                rows = [(o, r) for o, r in rows if order_urgency(o, now) == "late"]
            used = used_on_orders(s, [ident(o) for o, _ in rows])
            return [OrderView(o, r, can_see(me, r), used.get(ident(o), [])) for o, r in rows]

    def detail(self, number: str) -> OrderView:
        number = check.order_number(number)
        me = self.k.identity()
        with self.k.read() as s:
            row = s.exec(
                select(WorkOrder, Request)
                .join(Request, col(WorkOrder.request_id) == Request.id)
                .where(WorkOrder.number == number)
            ).first()
            if row is None or not may_see_order(me.role, me.login, row[0].technician):
                raise NotFound("error.order_unknown", "number", value=number)
            order, req = row
            events = [
                e
                for e in s.exec(select(Event).where(Event.request_id == req.id).order_by(col(Event.id)))
                if f'"order": "{number}"' in (e.payload or "")
            ]
            used = used_on_orders(s, [ident(order)]).get(ident(order), [])
            return OrderView(order, req, can_see(me, req), used, events)

    # --- helpers --------------------------------------------------------------------------------

    def _open(
        self, tx: Tx, number: str, action: str, expected_version: int | None
    ) -> tuple[WorkOrder, Request]:
        """The order (locked), as the user saw it, this user's to act on, in a state `action` may
        start from; and its request."""
        number = check.order_number(number)
        me = tx.me
        order = tx.locked(select(WorkOrder).where(WorkOrder.number == number))
        if order is None or not may_see_order(me.role, me.login, order.technician):
            raise NotFound("error.order_unknown", "number", value=number)
        if action in ("arrive", "wait", "finish") and not may_work_order(me.role, me.login, order.technician):
            raise PermissionDenied("error.technician_own_orders")
        if expected_version is not None and expected_version != order.version:
            raise self._stale(tx, order)
        if order.state not in ACTION_FROM[action]:
            raise ValidationError("error.order_state", "number", number=number, order_state=order.state)
        req = tx.s.get(Request, order.request_id)
        assert req is not None
        return order, req

    def _apply(self, tx: Tx, order: WorkOrder, changes: dict[str, Any]) -> None:
        if not tx.compare_and_set(order, dict(changes, updated_at=tx.now)):
            raise self._stale(tx, order)

    @staticmethod
    def _stale(tx: Tx, order: WorkOrder) -> StaleError:
        fresh = tx.s.exec(select(WorkOrder.updated_at).where(WorkOrder.id == order.id)).first()
        return StaleError("error.order_stale", number=order.number, at=tx.k.hhmm(fresh))

    def _technician(self, tx: Tx, login: str) -> Staff:
        person = tx.s.exec(select(Staff).where(Staff.login == login)).first()
        if person is None or not person.active:
            raise ValidationError("error.login_unknown", "technician", value=login)
        if person.role not in ON_SITE_ROLES:
            raise ValidationError("error.technician_role", "technician", value=login, role=person.role)
        return person

    @staticmethod
    def _technician_name(tx: Tx, login: str | None) -> str:
        if not login:
            return ""
        return tx.s.exec(select(Staff.name).where(Staff.login == login)).first() or login

    def _dispatch_fields(self, order: WorkOrder, req: Request, technician: str, now: datetime) -> None:
        order.technician, order.state, order.dispatched_at = technician, "dispatched", now
        order.arrive_due_at, order.finish_due_at = self._limits(order.appointment_at or now, req)

    def _limits(self, base: datetime, req: Request) -> tuple[datetime | None, datetime | None]:
        """The category's on-site limits (procedure file), counted from the appointment or dispatch."""
        return limits_from(base, self.k.procedures.get(req.category))

    def _appointment(self, when: datetime | None) -> datetime | None:
        if when is None:
            return None
        if not isinstance(when, datetime) or when.tzinfo is None:
            raise ValidationError("error.time_malformed", "appointment_at", value=str(when))
        if abs(when - self.k.clock.now()) > APPOINTMENT_RANGE:
            raise ValidationError("error.appointment_range", "appointment_at")
        return when


def _ticked(payload: dict[str, Any], step: str | None) -> None:
    """The checklist step the order's moment ticked, named in the order's one event."""
    if step is not None:
        payload["step"] = step


def no_open_orders(tx: Tx, req: Request) -> None:
    """A request whose work order is still open cannot close (finish or cancel the order first)."""
    numbers = list(
        tx.s.exec(
            select(WorkOrder.number)
            .where(WorkOrder.request_id == ident(req), col(WorkOrder.state).in_(OPEN_ORDER_STATES))
            .order_by(col(WorkOrder.id))
        )
    )
    if numbers:
        raise ValidationError("error.close_open_orders", "ref", ref=req.ref, orders=", ".join(numbers))

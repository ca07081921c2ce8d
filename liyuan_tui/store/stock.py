"""The materials ledger (进消存): the catalogue, stock received, used and counted.

Every move is one row of the ledger with the balance after it; the balance never goes below zero
(using more than is held is refused with the figures). A material's row carries its balance and a
version, so two terminals using the last of something cannot both succeed.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from liyuan_tui.domain import validation as check
from liyuan_tui.domain.errors import NotFound, PermissionDenied, ValidationError
from liyuan_tui.domain.events import EventKind
from liyuan_tui.domain.models import Request
from liyuan_tui.domain.permissions import Action, may_see_order
from liyuan_tui.domain.work_orders import format_qty, qty_number
from liyuan_tui.domain.workshop import Material, StockMove, WorkOrder

from .kernel import Kernel, Tx
from .tables import ident

MAX_MATERIAL_NAME = 60
MAX_MEASURE = 10


class Stock:
    """add_material, receive, use, count; materials() and material() read."""

    def __init__(self, kernel: Kernel) -> None:
        self.k = kernel

    # --- the catalogue --------------------------------------------------------------------------

    def add_material(self, code: str, name: str, unit: str, price: str | int | float = "0") -> Material:
        code = check.code(code)
        name = check.plain(name, "material_name", max_len=MAX_MATERIAL_NAME, required=True)
        unit = check.plain(unit, "material_unit", max_len=MAX_MEASURE, required=True)
        price_fen = check.price_fen(price)
        with self.k.write(Action.STOCK_MANAGE) as tx:
            if tx.s.exec(select(Material.id).where(Material.code == code)).first() is not None:
                raise ValidationError("error.code_exists", "code", value=code)
            material = Material(code=code, name=name, unit=unit, price_fen=price_fen, created_at=tx.now)
            tx.add(material)
            tx.s.flush()
            tx.record(
                None,
                EventKind.MATERIAL_ADDED,
                {"code": code, "name": name, "unit": unit, "price_fen": price_fen},
            )
            return material

    def materials(self) -> list[Material]:
        with self.k.read() as s:
            return list(s.exec(select(Material).order_by(Material.code)))

    def material(self, code: str) -> Material:
        code = check.code(code)
        with self.k.read() as s:
            found = s.exec(select(Material).where(Material.code == code)).first()
        if found is None:
            raise NotFound("error.material_unknown", "code", value=code)
        return found

    # --- moves ----------------------------------------------------------------------------------

    def receive(
        self, code: str, qty: str | int | float, *, price: str | int | float | None = None, note: str = ""
    ) -> StockMove:
        """Stock received (`in`); a price given becomes the unit price from now on."""
        code, milli = check.code(code), check.quantity_milli(qty)
        price_fen = check.price_fen(price) if price not in (None, "") else None
        note = check.plain(note, "note", newlines=True, max_len=check.MAX_TEXT)
        with self.k.write(Action.STOCK_MANAGE) as tx:
            material = locked_material(tx, code)
            move = move_stock(tx, material, "in", milli, price_fen=price_fen, reason=note)
            payload = {"code": code, "qty": qty_number(milli), "price_fen": move.price_fen}
            if note:
                payload["note"] = note
            tx.record(None, EventKind.STOCK_IN, payload)
            return move

    def use(
        self, code: str, qty: str | int | float, *, order: str | None = None, reason: str = ""
    ) -> StockMove:
        """Stock used on a work order (`--order`), or directly with a reason."""
        code, milli = check.code(code), check.quantity_milli(qty)
        number = check.order_number(order) if order else None
        reason = check.plain(reason, "reason")
        if number is None and not reason:
            raise ValidationError("error.use_needs_order_or_reason", "reason")
        with self.k.write(Action.STOCK_USE) as tx:
            me = tx.me
            work, req = (None, None)
            if number is not None:
                work = tx.locked(select(WorkOrder).where(WorkOrder.number == number))
                if work is None or not may_see_order(me.role, me.login, work.technician):
                    raise NotFound("error.order_unknown", "number", value=number)
                if work.state == "cancelled":
                    raise ValidationError(
                        "error.order_state", "number", number=number, order_state=work.state
                    )
                req = tx.s.get(Request, work.request_id)
            elif me.role == "technician":
                raise PermissionDenied("error.technician_own_orders")
            material = locked_material(tx, code)
            move = move_stock(tx, material, "use", -milli, order_id=work.id if work else None, reason=reason)
            payload: dict[str, Any] = {"code": code, "qty": qty_number(milli)}
            if number:
                payload["order"] = number
            if reason:
                payload["reason"] = reason
            tx.record(req, EventKind.STOCK_USED, payload)
            return move

    def count(self, code: str, qty: str | int | float) -> StockMove:
        """A stock-take: the quantity counted; the ledger records the difference it makes."""
        code, counted = check.code(code), check.quantity_milli(qty, allow_zero=True)
        with self.k.write(Action.STOCK_MANAGE) as tx:
            material = locked_material(tx, code)
            before = material.on_hand_milli
            move = move_stock(tx, material, "count", counted - before)
            tx.record(
                None,
                EventKind.STOCK_COUNTED,
                {
                    "code": code,
                    "counted": qty_number(counted),
                    "before": qty_number(before),
                    "difference": qty_number(counted - before),
                },
            )
            return move


def locked_material(tx: Tx, code: str) -> Material:
    material = tx.locked(select(Material).where(Material.code == code))
    if material is None:
        raise NotFound("error.material_unknown", "code", value=code)
    return material


def move_stock(
    tx: Tx,
    material: Material,
    kind: str,
    delta: int,
    *,
    price_fen: int | None = None,
    order_id: int | None = None,
    reason: str = "",
) -> StockMove:
    """One ledger row and the material's new balance (compare-and-set on its version); refuses a
    use that would take the balance below zero, with the figures. The caller records the event."""
    balance = material.on_hand_milli + delta
    if balance < 0:
        raise ValidationError(
            "error.stock_short",
            "quantity",
            code=material.code,
            name=material.name,
            unit=material.unit,
            on_hand=format_qty(material.on_hand_milli),
            asked=format_qty(-delta),
        )
    price = material.price_fen if price_fen is None else price_fen
    if not tx.compare_and_set(material, {"on_hand_milli": balance, "price_fen": price}):
        raise ValidationError("error.stock_changed", "quantity", code=material.code)
    move = StockMove(
        material_id=ident(material),
        kind=kind,
        delta_milli=delta,
        balance_milli=balance,
        price_fen=price,
        at=tx.now,
        by=tx.me.login,
        order_id=order_id,
        reason=reason,
    )
    tx.add(move)
    return move


def used_on_orders(s: Session, order_ids: list[int]) -> dict[int, list[tuple[Material, int]]]:
    """What each order used, by order id: (material, thousandths), in the order it was used."""
    out: dict[int, list[tuple[Material, int]]] = {}
    if not order_ids:
        return out
    rows = s.exec(
        select(StockMove, Material)
        .join(Material, col(StockMove.material_id) == Material.id)
        .where(col(StockMove.order_id).in_(order_ids), StockMove.kind == "use")
        .order_by(col(StockMove.id))
    )
    for move, material in rows:
        if move.order_id is not None:  # (the query asked for an order's)
            out.setdefault(move.order_id, []).append((material, -move.delta_milli))
    return out

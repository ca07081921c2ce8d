"""Receipts for paid services (4.9, 收费单): each charge gets a numbered receipt when it is made
(`S202612-0001`, numbered per month like requests), unpaid until someone takes the money and says
how — cash, WeChat, Alipay, or billed to the unit's management fee. Taking it is one transaction
with one event on the receipt's request, with who took it; a receipt is paid once.

Charging is also the moment the resident was told the fee and agreed: the checklist's step that
says so (`fee_agreed`) is ticked with the charge, noting the receipt.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import col, select

from liyuan_tui.domain import validation as check
from liyuan_tui.domain.desk_records import PAY_METHODS, RECEIPT_NUMBER, Receipt, receipt_number
from liyuan_tui.domain.errors import NotFound, ValidationError
from liyuan_tui.domain.events import EventKind
from liyuan_tui.domain.models import Charge, FeeItem, Request, Staff, StepRecord
from liyuan_tui.domain.permissions import Action, can_see
from liyuan_tui.domain.procedures import Procedure

from .kernel import Kernel, Tx

FEE_AGREED = "fee_agreed"  # the procedures' step "the fee was told and agreed"


def parse_receipt_number(value: str) -> str:
    v = check.no_controls(value or "", "receipt").strip().upper()
    if not RECEIPT_NUMBER.match(v):
        raise ValidationError("error.receipt_malformed", "receipt", value=check.plain_shown(value))
    return v


def issue_receipt(tx: Tx, req: Request, charge: Charge) -> Receipt:
    """The charge's receipt, numbered in the month (local) it is made, unpaid."""
    month = tx.now.astimezone(tx.k.tz).strftime("%Y%m")
    seq = tx.next_seq("receipt", month)
    receipt = Receipt(
        number=receipt_number(month, seq),
        ref_month=month,
        ref_seq=seq,
        charge_id=charge.id,  # type: ignore[arg-type]
        request_id=req.id,  # type: ignore[arg-type]
        amount_cents=charge.amount_cents,
        created_at=tx.now,
        created_by=tx.me.login,
    )
    tx.add(receipt)
    tx.s.flush()
    return receipt


def tick_fee_agreed(tx: Tx, req: Request, proc: Procedure | None, number: str) -> str | None:
    """Tick "the fee was told and agreed" (if the procedure has it and it is not done yet)."""
    if proc is None or proc.step(FEE_AGREED) is None:
        return None
    done = tx.s.exec(
        select(StepRecord.id).where(StepRecord.request_id == req.id, StepRecord.step_key == FEE_AGREED)
    ).first()
    if done is not None:
        return None
    tx.add(
        StepRecord(request_id=req.id, step_key=FEE_AGREED, done_at=tx.now, done_by=tx.me.login, note=number)  # type: ignore[arg-type]
    )
    return FEE_AGREED


@dataclass
class ReceiptView:
    """A receipt as its reader may see it: the charge, the fee item's names, the request (its
    requester's details only if `visible`) and the names of who charged and who took the money."""

    receipt: Receipt
    charge: Charge
    request: Request
    item: FeeItem | None
    visible: bool
    names: dict[str, str]


class Receipts:
    """pay, view, of_request."""

    def __init__(self, kernel: Kernel) -> None:
        self.k = kernel

    def pay(self, number: str, method: str, expected_version: int | None = None) -> Receipt:
        """The money was taken (or billed to the management fee), by the acting user."""
        number = parse_receipt_number(number)
        method = check.choice(method, "method", PAY_METHODS)
        with self.k.write(Action.PAY) as tx:
            receipt = tx.locked(select(Receipt).where(Receipt.number == number))
            if receipt is None:
                raise NotFound("error.receipt_unknown", "receipt", value=number)
            req = tx.s.get(Request, receipt.request_id)
            tx.check_own(req)  # type: ignore[arg-type]
            if (expected_version is not None and expected_version != receipt.version) or receipt.paid:
                raise ValidationError(
                    "error.receipt_paid",
                    "receipt",
                    number=number,
                    by=receipt.paid_by or "?",
                    at=self.k.hhmm(receipt.paid_at),
                )
            changes = {"paid_at": tx.now, "paid_by": tx.me.login, "method": method}
            if not tx.compare_and_set(receipt, changes):
                raise ValidationError("error.receipt_paid", "receipt", number=number, by="?", at="?")
            tx.record(
                req,
                EventKind.PAID,
                {"receipt": number, "method": method, "amount_cents": receipt.amount_cents},
            )
            return receipt

    def view(self, number: str) -> ReceiptView:
        number = parse_receipt_number(number)
        me = self.k.identity()
        with self.k.read() as s:
            receipt = s.exec(select(Receipt).where(Receipt.number == number)).first()
            if receipt is None:
                raise NotFound("error.receipt_unknown", "receipt", value=number)
            charge = s.get(Charge, receipt.charge_id)
            req = s.get(Request, receipt.request_id)
            item = s.get(FeeItem, charge.item_code) if charge is not None else None
            logins = {receipt.created_by, receipt.paid_by or ""} - {""}
            names = dict(s.exec(select(Staff.login, Staff.name).where(col(Staff.login).in_(logins))).all())
        assert charge is not None and req is not None
        return ReceiptView(receipt, charge, req, item, can_see(me, req), names)

    def of_request(self, request_id: int) -> dict[int, Receipt]:
        """A request's receipts by charge id."""
        with self.k.read() as s:
            return {r.charge_id: r for r in s.exec(select(Receipt).where(Receipt.request_id == request_id))}

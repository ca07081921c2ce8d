"""Paid services on a request (4.9): the Store's charge actions, mixed into `Store`.

A charge is priced from the fee schedule when it is added and keeps that price, so a later change
to the schedule never rewrites an old bill. The schedule's line is copied into the FeeItem table
at the same moment, so reports can name what was charged even after a site edits its file.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlmodel import Session, select

from . import validation as check
from .fees import Fee, FeeSchedule, charge_amount, fee_for, load_fees
from .models import Charge, FeeItem
from .permissions import Action

if TYPE_CHECKING:
    from .store import Store


class ChargeActions:
    """Store actions for paid services. `fees_file` is the site's schedule (None: the example)."""

    fees_file: Path | None = None
    _fees: FeeSchedule | None = None

    @property
    def fees(self) -> FeeSchedule:
        """The schedule, read on first use: a broken fee file never stops the desk from opening."""
        if self._fees is None:
            self._fees = load_fees(self.fees_file)
        return self._fees

    @fees.setter
    def fees(self, schedule: FeeSchedule) -> None:
        self._fees = schedule

    def add_charge(self: Store, ref: str, item: str, qty: float | str = 1, *, note: str = "",
                   expected_version: int | None = None) -> Charge:
        """Charge a paid service on an open request, at the schedule's price of this moment."""
        fee = fee_for(self.fees, item)
        qty = check.quantity(qty)
        note = check.text(note, "note")
        with self._write() as s:
            me, req = self._open_for(s, ref, Action.CHARGE, expected_version)
            _record_fee_item(s, fee)
            charge = Charge(request_id=req.id, item_code=fee.code, qty=qty, unit_price_cents=fee.price_fen,
                            amount_cents=charge_amount(fee.price_fen, qty), at=self.clock.now(), by=me.login,
                            note=note)
            s.add(charge)
            self._apply(s, req, {})  # a new version: an open request screen elsewhere sees the change
            payload = {"item": fee.code, "name_zh": fee.name.zh, "name_en": fee.name.en, "qty": qty,
                       "unit_price_cents": fee.price_fen, "amount_cents": charge.amount_cents}
            if note:
                payload["note"] = note
            self._event(s, req, "charge", payload)
            return charge

    def charges_total(self: Store, ref: str) -> int:
        """The request's paid services, in fen."""
        return sum(c.amount_cents for c in self.detail(ref).charges)


def _record_fee_item(s: Session, fee: Fee) -> None:
    """Make the FeeItem row match the schedule's line (insert, or update a changed name or price)."""
    row = s.exec(select(FeeItem).where(FeeItem.code == fee.code)).first()
    values = {"name_zh": fee.name.zh, "name_en": fee.name.en, "unit_zh": fee.unit.zh, "unit_en": fee.unit.en,
              "price_cents": fee.price_fen, "active": True}
    if row is None:
        s.add(FeeItem(code=fee.code, **values))
    elif any(getattr(row, k) != v for k, v in values.items()):
        for k, v in values.items():
            setattr(row, k, v)
        s.add(row)
    s.flush()

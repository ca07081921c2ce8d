"""Paid services on a request (4.9).

A charge is priced from the fee schedule when it is added and keeps that price, so a later change
to the schedule never rewrites an old bill. It gets its numbered receipt (收费单) at once, and ticks
the checklist's "fee told and agreed" step (receipts.py). The schedule's line is copied into the FeeItem table
at the same moment, so reports can name what was charged even after a site edits its file.
"""

from __future__ import annotations

from pathlib import Path

from sqlmodel import Session, select

from liyuan_tui.domain import validation as check
from liyuan_tui.domain.events import EventKind
from liyuan_tui.domain.fees import Fee, FeeSchedule, charge_amount, fee_for
from liyuan_tui.domain.models import Charge, FeeItem
from liyuan_tui.domain.permissions import Action

from .kernel import Kernel
from .receipts import issue_receipt, tick_fee_agreed
from .rules_rows import match_fee_item
from .tables import ident


class Charges:
    """add_charge, at the prices of the fee schedule in force (the site's published one: rules.py)."""

    def __init__(self, kernel: Kernel) -> None:
        self.k = kernel

    @property
    def fees(self) -> FeeSchedule:
        """The schedule in force, read on first use: a broken fee file never stops the desk."""
        self.k.ready()
        return self.k.rules.fees()

    @fees.setter
    def fees(self, schedule: FeeSchedule) -> None:
        self.k.rules.set_fees(schedule)

    @property
    def fees_file(self) -> Path | None:
        return self.k.rules.fees_file

    @fees_file.setter
    def fees_file(self, path: Path | None) -> None:
        """The file followed while the site has published no schedule (tests, the demo)."""
        self.k.rules.fees_file = path
        self.k.rules.set_fees(None)

    def item_names(self) -> dict[str, tuple[str, str]]:
        """Fee items by code: (zh name, en name), as the database's fee table holds them (a charge
        is said by its item's name, never its code)."""
        with self.k.read() as s:
            rows = s.exec(select(FeeItem.code, FeeItem.name_zh, FeeItem.name_en)).all()
            return {code: (zh, en) for code, zh, en in rows}

    def add_charge(
        self,
        ref: str,
        item: str,
        qty: float | str = 1,
        *,
        note: str = "",
        expected_version: int | None = None,
    ) -> Charge:
        """Charge a paid service on an open request, at the schedule's price of this moment."""
        fee = fee_for(self.fees, item)
        qty = check.quantity(qty)
        note = check.text(note, "note")
        with self.k.write(Action.CHARGE) as tx:
            req = tx.open_request(ref, expected_version)
            _record_fee_item(tx.s, fee)
            charge = Charge(
                request_id=ident(req),
                item_code=fee.code,
                qty=qty,
                unit_price_cents=fee.price_fen,
                amount_cents=charge_amount(fee.price_fen, qty),
                at=tx.now,
                by=tx.me.login,
                note=note,
            )
            tx.add(charge)
            tx.s.flush()
            receipt = issue_receipt(tx, req, charge)
            ticked = tick_fee_agreed(tx, req, self.k.procedures.get(req.category), receipt.number)
            tx.apply(req, {})  # a new version: an open request screen elsewhere sees the change
            payload = {
                "item": fee.code,
                "name_zh": fee.name.zh,
                "name_en": fee.name.en,
                "qty": qty,
                "unit_price_cents": fee.price_fen,
                "amount_cents": charge.amount_cents,
                "receipt": receipt.number,
            }
            if ticked:
                payload["ticked"] = ticked
            if note:
                payload["note"] = note
            if self.k.rules.version("fees") is not None:
                payload["fees_version"] = self.k.rules.version("fees")
            tx.record(req, EventKind.CHARGE, payload)
            return charge


def _record_fee_item(s: Session, fee: Fee) -> None:
    """Make the FeeItem row match the schedule's line (insert, or update a changed name or price)."""
    match_fee_item(s, fee, s.exec(select(FeeItem).where(FeeItem.code == fee.code)).first())
    s.flush()

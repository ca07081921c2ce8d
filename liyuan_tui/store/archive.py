"""The customer archive (客户档案) as the intake form needs it: residents looked up by unit, phone
or name as the assistant types, and added one by one."""

from __future__ import annotations

from sqlalchemy import ColumnElement
from sqlmodel import col, or_

from liyuan_tui.domain import validation as check
from liyuan_tui.domain.events import EventKind
from liyuan_tui.domain.models import Resident
from liyuan_tui.domain.permissions import Action

from .kernel import Kernel
from .readable import read_rows


class Archive:
    """residents_matching, add_resident."""

    def __init__(self, kernel: Kernel) -> None:
        self.k = kernel

    def residents_matching(self, text: str, limit: int = 5) -> list[Resident]:
        """Residents whose unit starts with `text`, or whose phone or name contains it."""
        text = " ".join((text or "").split())
        if not text:
            return []
        match: ColumnElement[bool] = col(Resident.unit).like(f"{text}%")
        if len(text) >= 3:  # a digit or two is in every phone number: only a longer text searches them
            match = or_(match, col(Resident.phones).like(f"%{text}%"), col(Resident.name).like(f"%{text}%"))
        elif not text.isascii():
            match = or_(match, col(Resident.name).like(f"%{text}%"))
        role = self.k.identity().role
        with self.k.read() as s:
            return read_rows(s, Resident, role, match, order_by=col(Resident.unit), limit=limit)

    def add_resident(self, unit: str, name: str = "", phones: str = "", notes: str = "") -> Resident:
        """Add one resident to the archive (one transaction, one event)."""
        unit = check.unit(unit)
        name = check.name(name)
        phone_list = [check.phone(p, required=False) for p in phones.split(",") if p.strip()]
        notes = check.text(notes, "note")
        with self.k.write(Action.IMPORT) as tx:
            res = Resident(unit=unit, name=name, phones=",".join(phone_list), notes=notes)
            tx.add(res)
            tx.s.flush()
            tx.record(None, EventKind.RESIDENT_ADDED, {"unit": unit})
            return res

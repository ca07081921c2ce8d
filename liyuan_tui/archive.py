"""The customer archive (客户档案) as the intake form needs it: residents looked up by unit, phone
or name as the assistant types. A mixin of Store (see store.py), so it shares its transactions."""

from __future__ import annotations

from sqlmodel import col, or_, select

from .models import Resident
from .permissions import Action
from . import validation as check


class ArchiveActions:
    """Store methods for the resident archive; `self` is a Store."""

    def residents_matching(self, text: str, limit: int = 5) -> list[Resident]:
        """Residents whose unit starts with `text`, or whose phone or name contains it."""
        text = " ".join((text or "").split())
        if not text:
            return []
        match = col(Resident.unit).like(f"{text}%")
        if len(text) >= 3:  # a digit or two is in every phone number: only a longer text searches them
            match = or_(match, col(Resident.phones).like(f"%{text}%"), col(Resident.name).like(f"%{text}%"))
        elif not text.isascii():
            match = or_(match, col(Resident.name).like(f"%{text}%"))
        with self._read() as s:  # type: ignore[attr-defined]
            stmt = (
                select(Resident)
                .where(match)
                .order_by(col(Resident.unit))
                .limit(limit)
            )
            return list(s.exec(stmt))

    def add_resident(self, unit: str, name: str = "", phones: str = "", notes: str = "") -> Resident:
        """Add one resident to the archive (one transaction, one event)."""
        unit = check.unit(unit)
        name = check.name(name)
        phone_list = [check.phone(p, required=False) for p in phones.split(",") if p.strip()]
        notes = check.text(notes, "note")
        with self._write() as s:  # type: ignore[attr-defined]
            self._require(s, Action.IMPORT)  # type: ignore[attr-defined]
            res = Resident(unit=unit, name=name, phones=",".join(phone_list), notes=notes)
            s.add(res)
            s.flush()
            self._event(s, None, "resident_added", {"unit": unit})  # type: ignore[attr-defined]
            return res

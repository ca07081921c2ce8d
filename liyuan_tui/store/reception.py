"""The reception log (客户接待管理, Part 3 #3): who came to the desk, about what, which unit, who
received them, the outcome, and the request it became if any. One row and one event each."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import col, select

from liyuan_tui.domain import validation as check
from liyuan_tui.domain.desk_records import Reception
from liyuan_tui.domain.errors import PermissionDenied
from liyuan_tui.domain.events import EventKind
from liyuan_tui.domain.permissions import Action, allowed

from .kernel import Kernel

MAX_LISTED = 500


class ReceptionLog:
    """add, listed."""

    def __init__(self, kernel: Kernel) -> None:
        self.k = kernel

    def add(self, *, name: str, purpose: str, unit: str = "", ref: str = "", outcome: str = "") -> Reception:
        """A visitor received by the acting user, now; `ref` is the request it became."""
        name = check.line(name, "name", check.MAX_NAME, required=True)
        purpose = check.text(purpose, "purpose", required=True)
        unit = check.unit(unit, required=False)
        outcome = check.text(outcome, "outcome")
        ref = check.ref(ref) if (ref or "").strip() else ""
        with self.k.write(Action.RECEPTION) as tx:
            if ref:
                self.k.load(tx.s, ref)  # a request that exists (refused naming the ref if not)
            row = Reception(
                estate=tx.me.estate,
                at=tx.now,
                name=name,
                purpose=purpose,
                unit=unit,
                received_by=tx.me.login,
                outcome=outcome,
                ref=ref or None,
            )
            tx.add(row)
            tx.s.flush()
            payload = {"id": row.id, "name": name, "purpose": purpose}
            payload.update({k: v for k, v in (("unit", unit), ("ref", ref), ("outcome", outcome)) if v})
            tx.record(None, EventKind.RECEPTION, payload)
            return row

    def listed(
        self,
        since: datetime | None = None,
        until: datetime | None = None,
        *,
        estate: str | None = None,
        limit: int = MAX_LISTED,
    ) -> list[Reception]:
        """Visitors received at an estate (the user's), newest first: for those who receive them."""
        me = self.k.identity()
        if not allowed(me.role, Action.RECEPTION):
            raise PermissionDenied("error.not_allowed", role=me.role, action=str(Action.RECEPTION))
        where = me.estate if estate is None else estate
        stmt = select(Reception).where(Reception.estate == where)
        if since is not None:
            stmt = stmt.where(Reception.at >= since)
        if until is not None:
            stmt = stmt.where(Reception.at < until)
        with self.k.read() as s:
            return list(
                s.exec(stmt.order_by(col(Reception.at).desc(), col(Reception.id).desc()).limit(limit))
            )

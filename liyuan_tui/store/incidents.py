"""Linked calls: a typhoon brings thirty calls about one flood, and each is linked to the first as
part of the same incident (`Request.incident` names the first call's ref). The queue groups them
under the first; closing the first offers to close its calls; the month report counts incidents
beside calls.

An incident is one level deep: linking to a call that is itself linked links to its first, and a
call that already has calls linked to it is not linked under another (unlink those first).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from liyuan_tui.domain import validation as check
from liyuan_tui.domain.errors import DeskError, ValidationError
from liyuan_tui.domain.events import EventKind
from liyuan_tui.domain.models import OPEN_STATUSES, Request
from liyuan_tui.domain.permissions import Action

from .kernel import Kernel


@dataclass
class ClosedCall:
    """One of an incident's calls as closing the incident left it: closed, or why not."""

    ref: str
    closed: bool
    refusal: DeskError | None = None


class Incidents:
    """link, unlink, calls_of, close_calls."""

    def __init__(self, kernel: Kernel) -> None:
        self.k = kernel

    def link(self, ref: str, to: str, expected_version: int | None = None) -> Request:
        """Make `ref` one of the calls of `to`'s incident (its first call, if `to` is linked)."""
        ref, to = check.ref(ref), check.as_field("link_to", check.ref, to)
        with self.k.write(Action.LINK) as tx:
            req = tx.load(ref)
            tx.check_version(req, expected_version)
            target = self.k.load(tx.s, to, for_update=True)  # the target need not be the user's own
            first = self.k.load(tx.s, target.incident) if target.incident else target
            if first.id == req.id:
                raise ValidationError("error.link_self", "link_to", ref=req.ref)
            if req.status == "cancelled" or first.status == "cancelled":
                raise ValidationError("error.link_cancelled", "link_to")
            if req.incident == first.ref:
                raise ValidationError("error.link_already", "link_to", ref=req.ref, first=first.ref)
            has_calls = tx.s.exec(select(Request.id).where(Request.incident == req.ref).limit(1)).first()
            if has_calls is not None:
                raise ValidationError("error.link_has_calls", "ref", ref=req.ref)
            before = req.incident
            tx.apply(req, {"incident": first.ref})
            payload = {"to": first.ref}
            if before:
                payload["from"] = before
            tx.record(req, EventKind.LINKED, payload)
            return req

    def unlink(self, ref: str, expected_version: int | None = None) -> Request:
        """No longer part of an incident (linked by mistake)."""
        ref = check.ref(ref)
        with self.k.write(Action.LINK) as tx:
            req = tx.load(ref)
            tx.check_version(req, expected_version)
            if not req.incident:
                raise ValidationError("error.link_none", "ref", ref=req.ref)
            before = req.incident
            tx.apply(req, {"incident": None})
            tx.record(req, EventKind.UNLINKED, {"from": before})
            return req

    def calls_of(self, ref: str) -> list[Request]:
        """The calls linked to the incident whose first call is `ref`, oldest first."""
        with self.k.read() as s:
            return list(
                s.exec(
                    select(Request)
                    .where(Request.incident == ref)
                    .order_by(col(Request.received_at), col(Request.id))
                )
            )

    def close_calls(self, ref: str, outcome: str, *, kind: str = "", handed_to: str = "") -> list[ClosedCall]:
        """Close each open call of `ref`'s incident with the same outcome, one transaction each:
        a call that cannot close yet (a required step open, not replied) is left open, with why."""
        from .lifecycle import Lifecycle  # (the work orders' tables, read by a close)

        done = []
        for call in self.calls_of(check.ref(ref)):
            if call.status not in OPEN_STATUSES:
                continue
            try:
                Lifecycle(self.k).close_request(call.ref, outcome, kind=kind, handed_to=handed_to)
                done.append(ClosedCall(call.ref, True))
            except DeskError as exc:
                done.append(ClosedCall(call.ref, False, exc))
        return done


def linked_refs(s: Session, req: Request) -> list[str]:
    """The other calls of a request's incident (its first call first), or [] on its own."""
    first = req.incident or req.ref
    rows = s.exec(
        select(Request.ref)
        .where((Request.incident == first) | (Request.ref == first))
        .order_by(col(Request.received_at), col(Request.id))
    ).all()
    refs = [r for r in rows if r != req.ref]
    if req.incident and req.incident in refs:  # the first call heads the list
        refs.remove(req.incident)
        refs.insert(0, req.incident)
    return refs

"""A request read in full (`Lookup.detail`, and the command line's `show` through glance.py): its
checklist records, events, charges, work orders, follow-up calls, receipts and incident's calls.
Apart from lookup.py so that reading it without the ORM does not import the ORM's tables."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, TypeVar

from .tables import HasId

if TYPE_CHECKING:
    from liyuan_tui.domain.desk_records import Receipt
    from liyuan_tui.domain.models import Charge, Event, Request, StepRecord
    from liyuan_tui.domain.records import FollowUp
    from liyuan_tui.domain.workshop import WorkOrder


@dataclass
class RequestDetail:
    """A request with its checklist records, its events, its charges and its follow-up calls, as
    read in one go."""

    request: Request
    steps: dict[str, StepRecord] = field(default_factory=dict)
    events: list[Event] = field(default_factory=list)
    charges: list[Charge] = field(default_factory=list)
    orders: list[WorkOrder] = field(default_factory=list)  # its work orders, oldest first
    followups: list[FollowUp] = field(default_factory=list)  # its follow-up calls, oldest first
    receipts: dict[int, Receipt] = field(default_factory=dict)  # its charges' receipts, by charge id
    linked: list[str] = field(default_factory=list)  # the other calls of its incident, the first first

    @property
    def charges_total(self) -> int:
        """The request's paid services, in fen."""
        return sum(c.amount_cents for c in self.charges)

    def with_written(self, events: Sequence[Event], rows: Sequence[Any]) -> RequestDetail:
        """This request as it is after writes of the desk's own (written.py: their events and rows,
        as committed), with no read: the request row, its new steps, events, charges, receipts, work
        orders and follow-up calls put in. What concerns other requests is left out (the calls of
        an incident it joined or left are read again: Lookup.detail)."""
        from liyuan_tui.domain.desk_records import Receipt
        from liyuan_tui.domain.models import Charge, Request, StepRecord
        from liyuan_tui.domain.records import FollowUp
        from liyuan_tui.domain.workshop import WorkOrder

        rid = self.request.id
        request = self.request
        for row in rows:
            if isinstance(row, Request) and row.id == rid and row.version >= request.version:
                request = row
        mine = [r for r in rows if getattr(r, "request_id", None) == rid]
        return replace(
            self,
            request=request,
            steps={**self.steps, **{r.step_key: r for r in mine if isinstance(r, StepRecord)}},
            events=_merged(self.events, [e for e in events if e.request_id == rid]),
            charges=_merged(self.charges, [r for r in mine if isinstance(r, Charge)]),
            orders=_merged(self.orders, [r for r in mine if isinstance(r, WorkOrder)]),
            followups=_merged(self.followups, [r for r in mine if isinstance(r, FollowUp)]),
            receipts={**self.receipts, **{r.charge_id: r for r in mine if isinstance(r, Receipt)}},
        )


Row = TypeVar("Row", bound=HasId)


def _merged(old: list[Row], new: list[Row]) -> list[Row]:
    """`old` with `new` put in by id (a row written again replaces the one shown), in id order."""
    if not new:
        return old
    by_id = {r.id: r for r in old}
    by_id.update({r.id: r for r in new})
    return sorted(by_id.values(), key=lambda r: r.id or 0)

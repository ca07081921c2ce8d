"""Messages the desk's workers and widgets post: "messages up, calls down". Each is a dataclass
(its fields are what it carries), as toolong writes them.

A store call started by a widget comes back to that widget as one of these (see store_work.py);
what the call wrote goes to the app as `Written` as well, and the app tells every screen (app.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from textual.message import Message

from liyuan_tui.domain.answers import Answers
from liyuan_tui.domain.desk_records import Handover, Receipt, Reception
from liyuan_tui.domain.errors import DeskError
from liyuan_tui.domain.fees import FeeSchedule
from liyuan_tui.domain.models import Charge, Event, Request, Staff
from liyuan_tui.domain.notices import Notice
from liyuan_tui.domain.paging import DutyShift
from liyuan_tui.domain.procedures import Step
from liyuan_tui.domain.workshop import Material, WorkOrder
from liyuan_tui.reports.handover import HandoverSheet
from liyuan_tui.reports.month import MonthReport
from liyuan_tui.reports.scorecard import Scorecard
from liyuan_tui.store import (
    ClosedCall,
    DueFollowUp,
    HouseholdFile,
    HouseholdGlance,
    OnDuty,
    OrderView,
    PagerHealth,
    RequestDetail,
    ToolView,
)

# --- what changed: the poller's look, and the desk's own writes ------------------------------------


@dataclass
class RequestsChanged(Message):
    """The poller saw new events: the requests they touched as they are now (all open requests on
    the first look), the events themselves, and what this user must be told."""

    requests: list[Request]
    events: list[Event]
    last_event_id: int
    full: bool  # `requests` is every open request (else only the ones the events touched)
    staff: list[Staff] | None = None  # the staff list when it may have changed, else None
    notices: list[Notice] = field(default_factory=list)  # what this user must be told (notices_for)
    security: dict[str, list[Step]] | None = None  # ref → security steps that can be done now


@dataclass
class Written(Message):
    """What one of the desk's own store calls wrote, as committed: its events and the rows it added
    or changed. Posted to the app by store_work, whatever became of the widget that asked."""

    events: list[Event]
    rows: list[Any]


@dataclass
class PagerHealthRead(Message):
    """The pager's health, as the poller read it (widgets/pager_banner.py)."""

    health: PagerHealth


@dataclass
class SecurityRead(Message):
    """ref → the security steps that can be done now (the security lead's and guards' list)."""

    waiting: dict[str, list[Step]]


# --- writes on a request ---------------------------------------------------------------------------


@dataclass
class RequestSaved(Message):
    """A write on a request succeeded; `request` is the row as written. `action` says which. It
    goes to the widget that asked only (the app hears of the write as `Written`)."""

    request: Request
    action: str


@dataclass
class RequestCreated(Message):
    """`n`: the request exists from this moment (the app opens its form)."""

    request: Request


@dataclass
class StoreRefused(Message):
    """A store call was refused (bad input, not allowed, changed meanwhile): nothing was written."""

    error: DeskError
    action: str


# --- reads ---------------------------------------------------------------------------------------


@dataclass
class DetailRead(Message):
    """A request in full: fields, checklist records, events, charges."""

    detail: RequestDetail


@dataclass
class DraftRead(Message):
    """A request as the intake form shows it (it may have been started in another terminal)."""

    request: Request


@dataclass
class ScheduleRead(Message):
    """The fee schedule, read from its file on first use."""

    schedule: FeeSchedule


@dataclass
class ChargeAdded(Message):
    charge: Charge


@dataclass
class SheetRead(Message):
    """The shift handover sheet."""

    sheet: HandoverSheet


@dataclass
class ReportRead(Message):
    """A month's report and its sections, laid out in the worker (pure Rich objects)."""

    report: MonthReport
    sections: list[Any]


@dataclass
class SearchFound(Message):
    requests: list[Request]


@dataclass
class AnalysisSaved(Message):
    """The supervisor's analysis of a month is on record."""

    analysis: Any


@dataclass
class ExportWritten(Message):
    path: Path


@dataclass
class FollowUpsRead(Message):
    """The follow-up calls owed, the most overdue first."""

    due: list[DueFollowUp]
    total: int  # all the calls owed (the list may show the first ones only)


@dataclass
class HouseholdRead(Message):
    """A unit's household file, as much of it as this user may see (read or just written)."""

    household: HouseholdFile
    saved: bool = False


@dataclass
class HouseholdGlanced(Message):
    """What intake shows once the unit is known: the household's flags and its last requests."""

    glance: HouseholdGlance


@dataclass
class ScorecardRead(Message):
    """A month's scorecard and its sections, laid out in the worker."""

    card: Scorecard
    sections: list[Any]


# --- the back office ------------------------------------------------------------------------------


@dataclass
class OrdersRead(Message):
    """Work orders for the list (open ones, as this user may see them)."""

    views: list[OrderView]


@dataclass
class OrderRead(Message):
    """One work order in full: its request, materials and events."""

    view: OrderView


@dataclass
class OrderSaved(Message):
    """A write on a work order succeeded; `order` is the row as written. `action` says which."""

    order: WorkOrder
    action: str


@dataclass
class StockRead(Message):
    materials: list[Material]


@dataclass
class ToolsRead(Message):
    views: list[ToolView]


@dataclass
class RosterRead(Message):
    """The shifts under way and to come, and who a page reaches now."""

    shifts: list[DutyShift]
    on_duty: list[OnDuty]


@dataclass
class ShiftRemoved(Message):
    shift: DutyShift


@dataclass
class FormSaved(Message):
    """A form dialog's write succeeded; `result` is what the store returned."""

    result: Any
    action: str


# --- the desk's own records: what was said, receipts, linked calls, the shift, visitors ------------


@dataclass
class AnswersRead(Message):
    """The site's canned answers (话术), read from their files."""

    answers: Answers


@dataclass
class CallsClosed(Message):
    """An incident's calls as closing its first call left them (closed, or why not)."""

    ref: str
    calls: list[ClosedCall]


@dataclass
class ReceiptPaid(Message):
    """A receipt's money was taken (or billed to the management fee)."""

    receipt: Receipt


@dataclass
class VisitorsRead(Message):
    """The reception log, newest first."""

    rows: list[Reception]


@dataclass
class HandoverAccepted(Message):
    """The shift handed to this user is accepted."""

    handover: Handover


# --- what the app tells its screens (app.changes) -------------------------------------------------


@dataclass(frozen=True)
class Changes:
    """What changed, as every screen is told it: the events, the requests they touched as they are
    now, and for the desk's own writes (`own`) the rows written too, complete enough to show
    without a read. Another terminal's change names what changed: read what you show of it."""

    events: list[Event]
    requests: list[Request]
    rows: list[Any] = field(default_factory=list)
    own: bool = False

    def touch(self, request_id: int | None) -> list[Event]:
        """The events of one request."""
        return [e for e in self.events if e.request_id == request_id]

    def kinds(self) -> set[str]:
        return {e.kind for e in self.events}

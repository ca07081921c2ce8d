"""Messages the desk's workers post to the UI thread: "messages up, calls down".

A store call started by a screen comes back to that screen as one of these (see store_work.py);
a `RequestSaved` then bubbles on to the app, which keeps the open requests up to date from it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.message import Message

from liyuan_tui.domain.errors import DeskError
from liyuan_tui.domain.fees import FeeSchedule
from liyuan_tui.domain.models import Charge, Event, Request, Staff
from liyuan_tui.domain.notices import Notice
from liyuan_tui.domain.procedures import Step
from liyuan_tui.reports.handover import HandoverSheet
from liyuan_tui.reports.month import MonthReport
from liyuan_tui.domain.workshop import Material, WorkOrder
from liyuan_tui.reports.scorecard import Scorecard
from liyuan_tui.store import DueFollowUp, HouseholdFile, HouseholdGlance, OrderView, RequestDetail, ToolView


class RequestsChanged(Message):
    """The poller saw new events: the requests they touched as they are now (all open requests on
    the first look), the events themselves, and what this user must be told."""

    def __init__(
        self,
        requests: list[Request],
        events: list[Event],
        last_event_id: int,
        full: bool,
        staff: list[Staff] | None = None,
        notices: list[Notice] | None = None,
        security: dict[str, list[Step]] | None = None,
    ) -> None:
        super().__init__()
        self.requests = requests
        self.events = events
        self.last_event_id = last_event_id
        self.full = full  # `requests` is every open request (else only the ones the events touched)
        self.staff = staff  # the staff list when it may have changed, else None
        self.notices = notices or []  # what this user must be told (notices.notices_for)
        self.security = security  # ref → security steps that can be done now (security roles)


class RequestSaved(Message):
    """A write on a request succeeded; `request` is the row as written. `action` says which."""

    def __init__(self, request: Request, action: str) -> None:
        super().__init__()
        self.request = request
        self.action = action


class DetailRead(Message):
    """A request in full: fields, checklist records, events, charges."""

    def __init__(self, detail: RequestDetail) -> None:
        super().__init__()
        self.detail = detail


class DraftRead(Message):
    """A request as the intake form shows it (it may have been started in another terminal)."""

    def __init__(self, request: Request) -> None:
        super().__init__()
        self.request = request


class ScheduleRead(Message):
    """The fee schedule, read from its file on first use."""

    def __init__(self, schedule: FeeSchedule) -> None:
        super().__init__()
        self.schedule = schedule


class ChargeAdded(Message):
    def __init__(self, charge: Charge) -> None:
        super().__init__()
        self.charge = charge


class SheetRead(Message):
    """The shift handover sheet."""

    def __init__(self, sheet: HandoverSheet) -> None:
        super().__init__()
        self.sheet = sheet


class ReportRead(Message):
    """A month's report and its sections, laid out in the worker (pure Rich objects)."""

    def __init__(self, report: MonthReport, sections: list[Any]) -> None:
        super().__init__()
        self.report = report
        self.sections = sections


class SearchFound(Message):
    def __init__(self, requests: list[Request]) -> None:
        super().__init__()
        self.requests = requests


class AnalysisSaved(Message):
    """The supervisor's analysis of a month is on record."""

    def __init__(self, analysis: Any) -> None:
        super().__init__()
        self.analysis = analysis


class ExportWritten(Message):
    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path


class FollowUpsRead(Message):
    """The follow-up calls owed, the most overdue first."""

    def __init__(self, due: list[DueFollowUp], total: int) -> None:
        super().__init__()
        self.due = due
        self.total = total  # all the calls owed (the list may show the first ones only)


class HouseholdRead(Message):
    """A unit's household file, as much of it as this user may see (read or just written)."""

    def __init__(self, household: HouseholdFile, saved: bool = False) -> None:
        super().__init__()
        self.household = household
        self.saved = saved


class HouseholdGlanced(Message):
    """What intake shows once the unit is known: the household's flags and its last requests."""

    def __init__(self, glance: HouseholdGlance) -> None:
        super().__init__()
        self.glance = glance


class ScorecardRead(Message):
    """A month's scorecard and its sections, laid out in the worker."""

    def __init__(self, card: Scorecard, sections: list[Any]) -> None:
        super().__init__()
        self.card = card
        self.sections = sections


class StoreRefused(Message):
    """A store call was refused (bad input, not allowed, changed meanwhile): nothing was written."""

    def __init__(self, error: DeskError, action: str) -> None:
        super().__init__()
        self.error = error
        self.action = action


# --- the back office ------------------------------------------------------------------------------


class OrdersRead(Message):
    """Work orders for the list (open ones, as this user may see them)."""

    def __init__(self, views: list[OrderView]) -> None:
        super().__init__()
        self.views = views


class OrderRead(Message):
    """One work order in full: its request, materials and events."""

    def __init__(self, view: OrderView) -> None:
        super().__init__()
        self.view = view


class OrderSaved(Message):
    """A write on a work order succeeded; `order` is the row as written. `action` says which."""

    def __init__(self, order: WorkOrder, action: str) -> None:
        super().__init__()
        self.order = order
        self.action = action


class StockRead(Message):
    def __init__(self, materials: list[Material]) -> None:
        super().__init__()
        self.materials = materials


class ToolsRead(Message):
    def __init__(self, views: list[ToolView]) -> None:
        super().__init__()
        self.views = views


class FormSaved(Message):
    """A form dialog's write succeeded; `result` is what the store returned."""

    def __init__(self, result: Any, action: str) -> None:
        super().__init__()
        self.result = result
        self.action = action

"""Messages the desk's workers post to the UI thread: "messages up, calls down"."""

from __future__ import annotations

from typing import Any, Callable

from textual.message import Message

from ..errors import DeskError
from ..models import Event, Request, Staff
from ..notices import Notice
from ..procedures import Step


class RequestsChanged(Message):
    """The poller saw a new event id: the open requests as they are now, and the new events."""

    def __init__(self, requests: list[Request], events: list[Event], last_event_id: int, first: bool,
                 staff: list[Staff] | None = None, notices: list[Notice] | None = None,
                 security: dict[str, list[Step]] | None = None) -> None:
        super().__init__()
        self.staff = staff  # the staff list when it may have changed, else None
        self.notices = notices or []  # what this user must be told (notices.notices_for)
        self.security = security or {}  # ref → security steps that can be done now
        self.requests = requests
        self.events = events
        self.last_event_id = last_event_id
        self.first = first


class StoreDone(Message):
    """A store call run in a thread worker succeeded; `then` gets its result on the UI thread."""

    def __init__(self, result: Any, then: Callable[[Any], None] | None) -> None:
        super().__init__()
        self.result = result
        self.then = then


class StoreRefused(Message):
    """A store call was refused (bad input, not allowed, changed meanwhile): nothing was written."""

    def __init__(self, error: DeskError, refused: Callable[[DeskError], None] | None) -> None:
        super().__init__()
        self.error = error
        self.refused = refused

"""Messages of issue 22's screens and dialogs (dataclasses, as toolong writes them): what a worker
read or wrote, back on the UI thread."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual.message import Message

from liyuan_tui.domain.answers import Answers
from liyuan_tui.domain.desk_records import Reception
from liyuan_tui.store import ClosedCall


@dataclass
class AnswersRead(Message):
    """The site's canned answers, read from their files."""

    answers: Answers


@dataclass
class VisitorsRead(Message):
    """The reception log, newest first."""

    rows: list[Reception]


@dataclass
class CallsClosed(Message):
    """An incident's calls as closing it left them (closed, or why not)."""

    ref: str
    calls: list[ClosedCall]


@dataclass
class RecordSaved(Message):
    """A record that is not a request was written (a duty log line, a signature, a visitor, a
    payment); `action` says which."""

    result: Any
    action: str

"""What the desk's user must know, as toasts and the bell (notice_text.py says each notice).

A warning or an error is shown at once. The rest are shown while the screen has fewer than
MOST_TOASTS + 1 toasts, else held — never dropped — until one has gone, then shown together (one
toast says how many more). On a typhoon night every look brings new requests: without the hold the
toasts stacked over the queue, and each one laid the whole screen out again as it came and as it
went (most of a desk's CPU in a storm, after the queue itself)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, cast

from textual.notifications import SeverityLevel
from textual.timer import Timer

from liyuan_tui.domain.notices import Notice

from .notice_text import MOST_TOASTS, toasts

if TYPE_CHECKING:
    from liyuan_tui.app import LiyuanApp

TOAST_SECONDS = 8.0  # how long a notice's toast stays on screen


class Announcer:
    def __init__(self, app: LiyuanApp) -> None:
        self.app = app
        self.held: list[Notice] = []  # waiting for room on the screen
        self._timer: Timer | None = None

    def announce(self, notices: Sequence[Notice]) -> None:
        app = self.app
        self.held += [n for n in notices if n.severity == "information"]
        urgent = toasts([n for n in notices if n.severity != "information"], app.t, app.staff)
        for text, severity in urgent:
            app.notify(text, severity=cast(SeverityLevel, severity), timeout=TOAST_SECONDS)
        self.show_held(coming=len(urgent))
        if notices:
            app.bell()

    def show_held(self, coming: int = 0) -> None:
        """The held notices, if the screen has room for them (`coming`: toasts posted a moment ago,
        not on it yet: a notification is a message to the app)."""
        if not self.held:
            return
        app = self.app
        room = MOST_TOASTS + 1 - len(app._notifications) - coming
        if room <= 0:  # (looked at again when the oldest toast may have gone)
            if self._timer is None:
                self._timer = app.set_timer(TOAST_SECONDS / 4, self._due)
            return
        held, self.held = self.held, []
        for text, severity in toasts(held, app.t, app.staff, room):
            app.notify(text, severity=cast(SeverityLevel, severity), timeout=TOAST_SECONDS)

    def _due(self) -> None:
        self._timer = None
        self.show_held()

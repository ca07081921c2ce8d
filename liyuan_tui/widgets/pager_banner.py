"""The pager's health on every open desk: when no sender has been alive for two minutes (on a
desk where one has run: a desk that never had a pager is not alarmed, `liyuan check` warns of
pages waiting there), the header of every screen turns red and says the pager is down, and a red
notification with the bell says it once; when a sender is back, it says so.

The poller thread asks `PagerWatch.look()` on each of its looks (one row and one count, read at
most every few seconds) and posts what it found; the app hands it to `PagerWatch.show()`."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message

from liyuan_tui.store import PagerHealth

if TYPE_CHECKING:
    from liyuan_tui.app import LiyuanApp

LOOK_EVERY = 5.0  # seconds between two reads of the pager's health
DOWN_CLASS = "-pager-down"


@dataclass
class PagerHealthRead(Message):
    """The pager's health as the poller read it."""

    health: PagerHealth


class PagerWatch:
    def __init__(self, app: LiyuanApp) -> None:
        self.app = app
        self.down = False
        self._last_look = -LOOK_EVERY

    def look(self) -> PagerHealthRead | None:
        """In the poller's thread: the health, if it is time to read it again."""
        if time.monotonic() - self._last_look < LOOK_EVERY:
            return None
        self._last_look = time.monotonic()
        return PagerHealthRead(self.app.store.pager.health(self.app.clock.now()))

    def show(self, health: PagerHealth) -> None:
        """On the event loop: the red header while the pager is down, said once each way."""
        app, t = self.app, self.app.t
        down = health.down
        if down == self.down:
            return
        self.down = down
        app.set_class(down, DOWN_CLASS)
        if down:
            at = (
                health.heartbeat_at.astimezone(app.tz).strftime("%H:%M")
                if health.heartbeat_at
                else t("ui.pager.never")
            )
            app.title = f"{t('ui.app.title')} · {t('ui.pager.down')}"
            app.notify(t("ui.pager.down_toast", at=at), severity="error", timeout=600)
            app.bell()
        else:
            app.title = t("ui.app.title")
            app.notify(t("ui.pager.back"), timeout=8)

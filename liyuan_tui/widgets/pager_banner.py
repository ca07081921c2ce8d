"""The pager's health on every open desk: when no sender has been alive for two minutes (on a
desk where one has run: a desk that never had a pager is not alarmed, `liyuan check` warns of
pages waiting there), the header of every page turns red and says the pager is down, and a red
notification with the bell says it once; when a sender is back, it says so.

The poller (widgets/poller.py) asks `PagerLook.look()` on each of its looks (one row and one count,
read at most every few seconds) and posts what it found (`PagerHealthRead`). The app keeps it in
its `pager_down` reactive, which sets the app's `-pager-down` class (app.tcss turns every header
red by it) and whose watcher changes the title and says it (`pager_title`, `pager_news`): no page
is called, each page's header shows the app's title and class."""

from __future__ import annotations

from datetime import datetime, tzinfo

from liyuan_tui.domain.clock import Clock, stopwatch
from liyuan_tui.domain.i18n import Translator
from liyuan_tui.store import PagerHealth, Store

LOOK_EVERY = 5.0  # seconds between two reads of the pager's health
DOWN_CLASS = "-pager-down"


class PagerLook:
    """In the poller's thread: the pager's health, when it is time to read it again."""

    def __init__(self, store: Store, clock: Clock) -> None:
        self.store = store
        self.clock = clock
        self._last_look = -LOOK_EVERY

    def soon(self) -> None:
        """Read it on the next look (a test, which does not wait the few seconds)."""
        self._last_look = -LOOK_EVERY

    def look(self) -> PagerHealth | None:
        if stopwatch() - self._last_look < LOOK_EVERY:
            return None
        self._last_look = stopwatch()
        return self.store.pager.health(self.clock.now())


def pager_title(t: Translator, down: bool) -> str:
    """The desk's title: with the pager's alarm in it while it is down."""
    return f"{t('ui.app.title')} · {t('ui.pager.down')}" if down else t("ui.app.title")


def pager_news(t: Translator, tz: tzinfo, down: bool, heartbeat_at: datetime | None) -> str:
    """What the desk says when the pager goes down (since when), or is back."""
    if not down:
        return t("ui.pager.back")
    at = heartbeat_at.astimezone(tz).strftime("%H:%M") if heartbeat_at else t("ui.pager.never")
    return t("ui.pager.down_toast", at=at)

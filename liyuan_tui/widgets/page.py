"""What every page of the desk is (the queue, a request, the intake form, the back office's lists …):
a Screen with a table of keys (widgets/keys.py) that it and the widgets it is built from own.

A page is composed of widgets; the keys that act on the whole page are its own (`escape` back),
the others belong to the widget that does them (the checklist's, a request's …), each bound from
the page's table by `own_keys`. A page learns of changes from the app's reactives it watches
(`requests`, `changes`, `now`), never from a call on whatever screen is there. The clock (`now`)
is watched through `on_clock`: a page under another page is not seen, so it does not tick; it
catches up at once when it is shown again.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from textual.screen import Screen
from textual.widget import Widget

from .keys import KeyTable, own_keys
from .wide_chops import apply as draw_wide_characters_whole

draw_wide_characters_whole()  # every page: a toast over a dialog keeps its Chinese (Textual issue 6357)

if TYPE_CHECKING:
    from liyuan_tui.app import LiyuanApp

Tick = Callable[[datetime], None]


class Page(Screen[None]):
    KEYS: ClassVar[KeyTable] = ()
    # A form (the intake): every key belongs to it; the app's own keys (n, /, h, q …) do not fire.
    FORM: ClassVar[bool] = False
    app: LiyuanApp

    def key_table(self) -> KeyTable:
        """The keys of this page (a page may leave one out, as the technician's home its way back)."""
        return self.KEYS

    def on_mount(self) -> None:
        own_keys(self, self.key_table(), self.app.me, self.app.t)

    def action_back(self) -> None:
        self.app.pop_screen()

    # --- the clock ---------------------------------------------------------------------------------

    _ticks: list[tuple[Widget, Tick]] | None = None

    def on_clock(self, tick: Tick, widget: Widget | None = None) -> None:
        """`tick(now)` on the app's clock, once a second while this page is seen (on top, or
        under a dialog), and at once when it is seen again; a widget's, while it is mounted."""
        if self._ticks is None:
            self._ticks = []
            self.watch(self.app, "now", self._tick, init=False)
        self._ticks.append((widget or self, tick))

    @property
    def seen(self) -> bool:
        """On top, or under screens that let it show through (a dialog): not under another page.
        (Textual's `is_current` counts the screen under the top one, whatever covers it.)"""
        for screen in reversed(self.app.screen_stack):
            if screen is self:
                return True
            if screen.styles.background.a >= 1:
                return False
        return False

    def _tick(self, now: datetime) -> None:
        if not self._ticks or not self.seen:
            return
        self._ticks = [(widget, tick) for widget, tick in self._ticks if widget.is_attached]
        for _widget, tick in self._ticks:
            tick(now)

    def on_screen_resume(self) -> None:
        self._tick(self.app.now)


def own_page_keys(widget: Widget) -> None:
    """A widget of a page takes the keys of the page's table it has an action for (call it from
    the widget's on_mount)."""
    page = widget.screen
    if isinstance(page, Page):
        own_keys(widget, page.key_table(), page.app.me, page.app.t)


def page_clock(widget: Widget, tick: Tick) -> None:
    """A widget of a page ticks with its page (Page.on_clock; call it from the widget's on_mount)."""
    page = widget.screen
    if isinstance(page, Page):
        page.on_clock(tick, widget)

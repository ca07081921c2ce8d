"""What every page of the desk is (the queue, a request, the intake form, the back office's lists …):
a Screen with a table of keys (widgets/keys.py) that it and the widgets it is built from own.

A page is composed of widgets; the keys that act on the whole page are its own (`escape` back),
the others belong to the widget that does them (the checklist's, a request's …), each bound from
the page's table by `own_keys`. A page learns of changes from the app's reactives it watches
(`requests`, `changes`, `now`), never from a call on whatever screen is there."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from textual.screen import Screen
from textual.widget import Widget

from .keys import KeyTable, own_keys

if TYPE_CHECKING:
    from liyuan_tui.app import LiyuanApp


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


def own_page_keys(widget: Widget) -> None:
    """A widget of a page takes the keys of the page's table it has an action for (call it from
    the widget's on_mount)."""
    page = widget.screen
    if isinstance(page, Page):
        own_keys(widget, page.key_table(), page.app.me, page.app.t)


def shown(screen: Screen) -> bool:
    """The terminal shows this screen: it is on the stack with no opaque screen above it (a
    dialog's see-through backdrop leaves the page under it shown)."""
    stack = screen.app.screen_stack
    if screen not in stack:
        return False
    above = stack[stack.index(screen) + 1 :]
    return not any(other.styles.background.a >= 1 for other in above)


def watch_clock(widget: Widget, tick: Callable[[datetime], None]) -> None:
    """`tick` with the app's `now` once a second while the widget's screen is shown. A screen hidden
    under an opaque one does not tick (its table's cells, repainted, made Textual repaint the whole
    screen on top every second: 12 KB/s at 120×40 on a request); shown again, it catches up at once
    (the app sets `now` whenever the screen changes)."""

    def on_now(now: datetime) -> None:
        if shown(widget.screen):
            tick(now)

    widget.watch(widget.app, "now", on_now, init=False)

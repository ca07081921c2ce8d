"""A request's timeline: every event with when, who and what, oldest first, scrolled so that the
newest are in view."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import tzinfo

from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from liyuan_tui.domain.i18n import Translator
from liyuan_tui.domain.models import Event, Staff
from liyuan_tui.domain.procedures import Procedure
from liyuan_tui.domain.safe_text import visible as shown
from liyuan_tui.reports.event_text import describe

from .plain import plain


class Timeline(Static):
    """Rebuilt when the request's events change (never on the clock tick)."""

    DEFAULT_CSS = """
    Timeline { height: auto; }
    """

    def show(
        self,
        events: list[Event],
        proc: Procedure | None,
        *,
        t: Translator,
        tz: tzinfo,
        staff: Mapping[str, Staff],
        visible: bool,
    ) -> None:
        table = Table.grid(padding=(0, 1))
        table.add_column(no_wrap=True, style="dim")
        table.add_column(no_wrap=True, style="cyan")
        table.add_column(ratio=1)
        names = {login: person.name for login, person in staff.items()}
        for ev in events:
            who = staff.get(ev.actor)
            table.add_row(
                f"{ev.at.astimezone(tz):%H:%M:%S}",
                plain(who.name if who else ev.actor, one_line=True),
                Text(shown(describe(ev, proc, t, visible, names)), overflow="fold"),
            )
        self.update(table)
        # The newest events in view (at 80×24 the pane has a few lines: the oldest were shown).
        self.call_after_refresh(self._show_newest)

    def _show_newest(self) -> None:
        parent = self.parent
        if parent is not None and hasattr(parent, "scroll_end"):
            parent.scroll_end(animate=False, immediate=True)

"""`?`: every key of the desk, screen by screen, in the user's language."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from liyuan_tui.widgets.keys import OTHER_KEYS, SCOPES, key_label

if TYPE_CHECKING:
    from liyuan_tui.app import LiyuanApp


class HelpScreen(ModalScreen):
    BINDINGS = [Binding("escape,q,question_mark", "close", show=False)]
    app: LiyuanApp

    def compose(self) -> ComposeResult:
        t = self.app.t
        with VerticalScroll(id="help-box", classes="dialog-box"):
            yield Static(t("ui.help.title"), classes="dialog-title")
            yield Static(self.table())
            yield Static(t("ui.help.close"), classes="dialog-hint")

    def help_text(self) -> str:
        """The help as plain text (what the tests read)."""
        from rich.console import Console

        with open(os.devnull, "w") as nowhere:
            console = Console(width=120, record=True, file=nowhere)
            console.print(self.table())
            return console.export_text()

    def table(self) -> Table:
        t = self.app.t
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold cyan", no_wrap=True)
        table.add_column()
        for scope, keys in SCOPES:
            table.add_row("", "")
            table.add_row(f"[bold]{t(f'ui.help.{scope}')}[/]", "")
            for key, action, _show in keys:
                table.add_row(key_label(key), t(f"ui.key.{action}"))
        table.add_row("", "")
        table.add_row(f"[bold]{t('ui.help.other')}[/]", "")
        for key, name in OTHER_KEYS:
            table.add_row(key, t(f"ui.key.{name}"))
        table.add_row("", "")
        table.add_row(f"[bold]{t('ui.help.marks')}[/]", "")
        table.add_row("!", t("ui.help.mark_major"))
        table.add_row("^", t("ui.help.mark_escalated"))
        table.add_row("+", t("ui.help.mark_linked"))
        table.add_row("\\[x] / \\[ ] / ( )", t("ui.help.mark_steps"))
        return table

    def action_close(self) -> None:
        self.dismiss(None)

"""Text from people, files and other programs, for the screens: always a rich `Text` (so `[/bold]`
or `[@click=app.quit]x[/]` shows as those characters, never as markup or a click action), with any
control character shown as its escape (never an escape sequence sent to the terminal)."""

from __future__ import annotations

from typing import Any

from rich.text import Text

from liyuan_tui.domain.safe_text import visible


def plain(value: Any, style: str = "", *, one_line: bool = False) -> Text:
    """`value` as text to show: `one_line` turns newlines and tabs into spaces (cells, titles)."""
    return Text(visible(value, newlines=not one_line), style=style)

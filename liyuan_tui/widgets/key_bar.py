"""The footer of every screen: the keys that work here, each shown whole.

Textual's Footer lays its keys out in a row and cuts the last ones off mid-word on a narrow
terminal (at 80 columns the request screen lost `esc`, `?` and `q`). KeyBar measures the line it
has (in terminal cells, so Chinese counts two): all keys with their labels; else short labels
(`ui.key_short.<action>` where one is written); else fewer keys, dropping from the end of the
screen's table but never back, help (`?` lists every key) or quit. A key is clicked like a key.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual.keys import key_to_character
from textual.widget import Widget

from liyuan_tui.domain.i18n import Translator

from .keys import footer_rank
from .page import Page

# Kept however narrow the line: the way out, the way to every other key, and leaving the desk.
ESSENTIAL = ("back", "help", "quit", "done", "cancel")
# Left out first when the line is short (they are in the help, `?`, and the command palette):
# keys that work on every screen, then the less frequent ones of this screen.
DROP_FIRST = (
    "search",
    "new_request",
    "charge",
    "edit",
    "acknowledge",
    "filter_more",
    "select",
    "void",
    "since",
    "choose_month",
    "write_analysis",
    "major",
    "escalate",
    "filter",
)


@dataclass(frozen=True)
class KeyItem:
    key: str  # the key as Textual names it (for a click)
    shown: str  # the key as shown
    label: str
    short: str
    action: str
    enabled: bool

    @property
    def essential(self) -> bool:
        return self.action in ESSENTIAL


def item_width(item: KeyItem, short: bool) -> int:
    return cell_len(f" {item.shown} ") + cell_len(item.short if short else item.label) + 1


def fit_keys(items: list[KeyItem], width: int) -> tuple[list[KeyItem], bool]:
    """The keys that fit in `width` cells, and whether they use their short labels."""
    for short in (False, True):
        if sum(item_width(i, short) for i in items) <= width:
            return items, short
    kept = list(items)
    rank = {action: n for n, action in enumerate(DROP_FIRST)}
    while sum(item_width(i, True) for i in kept) > width:
        droppable = [i for i in kept if not i.essential]
        if not droppable:
            break
        # The first of DROP_FIRST still shown goes; then the others, from the end of the line.
        kept.remove(min(reversed(droppable), key=lambda i: rank.get(i.action, len(rank))))
    return kept, True


def terminal_encoding() -> str:
    """What the terminal's output is encoded as (a GBK terminal cannot show ⏎)."""
    return getattr(sys.__stdout__, "encoding", None) or "utf-8"


def shown_key(shown: str, key: str, t: Translator | None = None) -> str:
    """A key as the terminal can show it: its symbol (⏎), else a plain word (回车 / Enter) where the
    terminal's encoding has no such symbol — printed as `\\u23ce`, it pushed other keys off."""
    try:
        shown.encode(terminal_encoding())
        return shown
    except (UnicodeEncodeError, LookupError):
        word = t(f"ui.key_name.{key}") if t is not None else key
        return key if word.startswith("ui.key_name.") else word


_CHARACTERS = {"slash": "/", "question_mark": "?", "comma": ",", "full_stop": ".", "space": " "}


def _character(key: str) -> str | None:
    return key if len(key) == 1 else _CHARACTERS.get(key) or key_to_character(key)


class KeyBar(Widget):
    """One line at the bottom of a screen; redrawn when the screen's keys or its width change."""

    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        background: $footer-background;
    }
    KeyBar > .keybar--key {
        color: $footer-key-foreground; background: $footer-key-background; text-style: bold;
    }
    KeyBar > .keybar--label { color: $footer-description-foreground; }
    KeyBar > .keybar--disabled { color: $text-disabled; }
    """
    COMPONENT_CLASSES = {"keybar--key", "keybar--label", "keybar--disabled"}

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self.watch(self.screen, "focused", self._bindings_changed)  # a field in focus takes the letters

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, *_args: object) -> None:
        self.refresh()

    _shown: list[KeyItem] | None = None

    def items(self) -> list[KeyItem]:
        """The keys of this screen now; under a dialog, those it had when it was last on top (its
        focus comes and goes meanwhile, and what it shows must not)."""
        if self._shown is None or self.screen.is_current:
            self._shown = self._items()
        return self._shown

    def _items(self) -> list[KeyItem]:
        t = getattr(self.app, "t", None)
        out: list[KeyItem] = []
        seen: set[str] = set()
        focused = self.screen.focused
        for key, (_node, binding, enabled, _tip) in self.screen.active_bindings.items():
            if not binding.show or binding.action in seen or not binding.description:
                continue
            if focused is not None and focused.check_consume_key(key, _character(key)):
                continue  # typed into the field in focus (`/` in a name), not the key's action
            seen.add(binding.action)
            action = binding.action.split(".")[-1].split("(")[0]
            short = t(f"ui.key_short.{action}") if t is not None else binding.description
            if short.startswith("ui.key_short."):
                short = binding.description
            out.append(
                KeyItem(
                    binding.key.split(",")[0],
                    shown_key(self.app.get_key_display(binding), binding.key.split(",")[0], t),
                    binding.description,
                    short,
                    action,
                    enabled,
                )
            )
        if isinstance(self.screen, Page):  # in the order of the page's table, whoever owns each key
            rank = footer_rank(self.screen.key_table())
            out.sort(key=lambda item: rank.get(item.action, -1))
        return out

    def render(self) -> Text:
        kept, short = fit_keys(self.items(), self.size.width)
        key_style = self.get_component_rich_style("keybar--key")
        label_style = self.get_component_rich_style("keybar--label")
        disabled = self.get_component_rich_style("keybar--disabled")
        text = Text(no_wrap=True, overflow="ellipsis")
        for item in kept:
            click = Style.from_meta({"@click": f"app.simulate_key({item.key!r})"})
            text.append(f" {item.shown} ", (key_style if item.enabled else disabled) + click)
            text.append(
                (item.short if short else item.label) + " ",
                (label_style if item.enabled else disabled) + click,
            )
        return text

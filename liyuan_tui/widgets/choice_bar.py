"""A row of choices, each with its own key: the intake's category (letters A–G) and channel (1–4)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.events import Key
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from liyuan_tui.domain.safe_text import visible


@dataclass(frozen=True)
class Choice:
    value: str
    key: str  # the key that chooses it (a letter or a digit)
    label: str


class ChoiceBar(Widget, can_focus=True):
    """Pressing a choice's key chooses it at once; arrows and enter/space work too."""

    DEFAULT_CSS = """
    ChoiceBar { height: auto; padding: 0 1; }
    ChoiceBar:focus { background: $boost; }
    """
    BINDINGS = [
        Binding("left", "move(-1)", show=False),
        Binding("right", "move(1)", show=False),
        Binding("enter,space", "choose_cursor", show=False),
    ]

    value: reactive[str] = reactive("")
    cursor: reactive[int] = reactive(0)

    @dataclass
    class Chosen(Message):
        """A choice made (by its key, or enter / space on the cursor)."""

        bar: ChoiceBar
        value: str

        @property
        def control(self) -> ChoiceBar:
            return self.bar

    def __init__(self, choices: list[Choice], value: str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.choices = choices
        self.set_reactive(ChoiceBar.value, value)
        self.set_reactive(ChoiceBar.cursor, self._index(value))

    def _index(self, value: str) -> int:
        return next((i for i, c in enumerate(self.choices) if c.value == value), 0)

    def render(self) -> Text:
        """The choices in a row; where the row is too narrow (80 columns), it goes on to the next
        line between two choices, never inside one."""
        room = self.content_region.width or 1000
        text = Text()
        line = 0
        for i, choice in enumerate(self.choices):
            chosen = choice.value == self.value
            style = "reverse bold" if chosen else ""
            if self.has_focus and i == self.cursor:
                style += " underline"
            piece = Text.assemble(
                (f" {choice.key} ", "bold cyan" if not chosen else style),
                (f"{visible(choice.label, newlines=False)} ", style),
            )
            gap = 2 if i else 0
            if line and line + gap + piece.cell_len > room:
                text.append("\n")
                line, gap = 0, 0
            text.append(" " * gap)
            text.append_text(piece)
            line += gap + piece.cell_len
        return text

    def set_choices(self, choices: list[Choice], value: str = "") -> None:
        """Other choices (a category's kinds of fault), without announcing the value."""
        self.choices = choices
        self.set_value(value)
        self.refresh(layout=True)

    def set_value(self, value: str) -> None:
        """Show a value without announcing it (loading a saved draft)."""
        self.value = value
        self.cursor = self._index(value)

    def choose(self, value: str) -> None:
        self.set_value(value)
        self.post_message(self.Chosen(self, value))

    def choice_for(self, key: str) -> Choice | None:
        """The choice a key (a letter in either case, or a digit) chooses."""
        return next((c for c in self.choices if key and key.upper() == c.key.upper()), None)

    def on_key(self, event: Key) -> None:
        choice = self.choice_for(event.character or "")
        if choice is not None:
            event.stop()
            event.prevent_default()
            self.choose(choice.value)
            return
        if event.is_printable:  # a form control: other letters must not reach the app's keys
            event.stop()
            event.prevent_default()

    def action_move(self, delta: int) -> None:
        self.cursor = (self.cursor + delta) % len(self.choices)

    def action_choose_cursor(self) -> None:
        self.choose_cursor()

    def choose_cursor(self) -> None:
        self.choose(self.choices[self.cursor].value)

    def watch_cursor(self) -> None:
        self.refresh()

    def _on_focus(self, event: events.Focus) -> None:
        self.refresh()

    def _on_blur(self, event: events.Blur) -> None:
        self.refresh()

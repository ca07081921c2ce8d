"""The live queue: a DataTable whose countdowns repaint only the cells that changed.

Textual's stock `update_cell` ends in a whole-widget `refresh()`, so every tick would re-send every
visible line of the table to the terminal. `set_cells` writes the new values and repaints only the
cells whose text or colour changed (live_table.py): at 1 Hz with 50 countdowns that is a few
hundred bytes a second instead of kilobytes. A tick sets only the rows in sight.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from rich.text import Text
from textual._two_way_dict import TwoWayDict
from textual.binding import Binding
from textual.cache import LRUCache
from textual.coordinate import Coordinate
from textual.widgets._data_table import ColumnKey, RowKey

from .fit import padded
from .live_table import LiveTable
from .queue_cells import (
    BASE,
    COLUMNS,
    GROW,
    OPTIONAL,
    ORDER,
    URGENCY_STYLE,
    countdown_cell,
    queue_layout,
    ref_cell,
    row_cells,
    short_category,
    state_cell,
    typed,
)

__all__ = [  # the cells are queue_cells.py's; importers of the queue find them here too
    "BASE",
    "COLUMNS",
    "GROW",
    "OPTIONAL",
    "ORDER",
    "URGENCY_STYLE",
    "LiveCells",
    "QueueTable",
    "countdown_cell",
    "queue_layout",
    "ref_cell",
    "row_cells",
    "short_category",
    "state_cell",
    "typed",
]

LiveCells = Callable[[str, datetime], Iterable[tuple[str, object]]]  # a row's cells that follow the clock


class QueueTable(LiveTable):
    """Open requests by ref; rows are added, removed and updated by key so the cursor stays put.
    The columns follow the table's width (queue_layout); they are rebuilt only when it changes.
    A tick (`tick(now)`) sets the cells that follow the clock (`live`) of the rows in sight only;
    the others are set as they come into sight."""

    DEFAULT_CSS = """
    QueueTable { height: 1fr; scrollbar-gutter: stable; scrollbar-size-vertical: 1; }
    """
    BINDINGS = [Binding("enter", "select_cursor", "open")]  # in the footer (ui.key.select_cursor)

    def __init__(
        self, labels: Mapping[str, str], *, category_width: int = 12, state_width: int = 10, **kwargs: Any
    ) -> None:
        super().__init__(cursor_type="row", cell_padding=0, **kwargs)
        self.labels = labels
        self.least = (category_width, state_width)
        self.widths: dict[str, int] = {}
        self.values: dict[str, dict[str, object]] = {}  # each row's cells as given (before fitting)
        self.order: list[str] = []
        self.cell_refreshes = 0  # cells repainted since start (tests check that a tick stays small)
        self.live: LiveCells | None = None
        self._now: datetime | None = None  # the last tick's
        self._fitted: LRUCache[tuple[object, ...], Text] = LRUCache(4096)
        self._given: dict[str, Mapping[str, object]] = {}  # each row's cells as show_rows had them

    # --- the columns ------------------------------------------------------------------------------

    def on_resize(self) -> None:
        self.relayout()

    def relayout(self) -> None:
        """Columns for the width the table has now; rows rebuilt from their values if they changed."""
        room = self.scrollable_content_region.width
        if room <= 0:
            return
        widths = self.column_widths(room)
        if widths == self.widths:
            return
        current = self.current_ref if self.widths else None
        self.widths = widths
        self.clear(columns=True)
        for key, width in widths.items():
            self.add_column(padded(self.labels.get(key, key), width), width=width, key=key)
        for ref in self.order:
            self.add_row(*self._cells(self.values[ref]), key=ref)
        if current in self.values:
            self.move_cursor(row=self.order.index(current), animate=False)
        self._catch_up()

    def column_widths(self, room: int) -> dict[str, int]:
        """The columns shown in `room` cells and their widths (a subclass lays out its own)."""
        return queue_layout(room, *self.least)

    def _cell(self, key: str, value: object) -> Text:
        """A value fitted to its column; the same text in the same style is the same cell (a
        countdown's `09:41` is fitted once, whichever row shows it, whenever)."""
        width = self.widths[key]
        if not isinstance(value, Text):
            return padded(str(value), width)
        same = (value.plain, value.style, tuple(value.spans), width)
        cell = self._fitted.get(same)
        if cell is None:
            cell = self._fitted[same] = padded(value, width)
        return cell

    def _cells(self, values: Mapping[str, object]) -> list[Text]:
        return [self._cell(key, values.get(key, "")) for key in self.widths]

    # --- keys ------------------------------------------------------------------------------------

    @property
    def keys(self) -> list[str]:
        return [str(row.key.value) for row in self.ordered_rows]

    @property
    def current_ref(self) -> str | None:
        if self.row_count == 0:
            return None
        ref = self.coordinate_to_cell_key(Coordinate(self.cursor_row, 0)).row_key.value
        return str(ref) if ref is not None else None

    # --- the clock -------------------------------------------------------------------------------

    def tick(self, now: datetime) -> int:
        """The live cells of the rows in sight as they are at `now`; returns how many changed."""
        self._now = now
        if self.live is None or not self.widths:
            return 0
        live = self.live
        return self.set_cells((ref, col, v) for ref in self.rows_in_sight() for col, v in live(ref, now))

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self._catch_up()  # rows coming into sight show the last tick's time, not when they were set

    def _catch_up(self) -> None:
        if self._now is not None:
            self.tick(self._now)

    # --- updates ---------------------------------------------------------------------------------

    def get_value(self, ref: str, key: str) -> object:
        """A cell's value as given (before it was fitted to its column)."""
        return self.values[ref][key]

    def set_cells(self, changes: Iterable[tuple[str, str, object]]) -> int:
        """Write cell values; repaint only the cells whose value changed. Returns how many."""
        touched: dict[RowKey, list[ColumnKey]] = {}
        for row, col, value in changes:
            if row not in self.values:
                continue
            self.values[row][col] = value
            rk, ck = RowKey(row), ColumnKey(col)
            cells = self._data.get(rk)
            if cells is None or col not in self.widths:
                continue
            shown, old = self._cell(col, value), cells.get(ck)
            if old is shown or (isinstance(old, Text) and old == shown and old.style == shown.style):
                continue
            cells[ck] = shown
            touched.setdefault(rk, []).append(ck)
        count = self.repaint(touched)
        self.cell_refreshes += count
        return count

    def show_rows(self, rows: Sequence[tuple[str, Mapping[str, object]]]) -> None:
        """Make the table show exactly `rows` (key, cells), in this order: new keys are added, gone
        keys removed, changed cells updated; the cursor stays on the request it was on."""
        wanted = {key for key, _ in rows}
        self.order = [key for key, _ in rows]
        for key in [k for k in self.values if k not in wanted]:
            del self.values[key]
        if not self.widths:  # not laid out yet: relayout() shows them when the table has its width
            self.values.update((key, dict(cells)) for key, cells in rows)
            self.relayout()
            return
        current = self.current_ref
        self.remove_rows([k for k in self.keys if k not in wanted])
        existing = set(self.keys)
        changed: list[tuple[str, str, object]] = []  # (one repaint for every changed cell)
        for key, cells in rows:
            if key in existing:
                if self._given.get(key) is not cells:  # (the same cells given again: nothing changed)
                    changed.extend((key, col, value) for col, value in cells.items())
            else:
                self.values[key] = dict(cells)
                self.add_row(*self._cells(cells), key=key)
        self.set_cells(changed)
        self._given = dict(rows)
        if self.order != self.keys:
            self._reorder(self.order)
        if current is not None and current in wanted:
            self.move_cursor(row=self.get_row_index(current), animate=False)

    def _reorder(self, order: list[str]) -> None:
        # What DataTable.sort() does, for an order computed outside the table (urgency).
        self._row_locations = TwoWayDict({RowKey(key): i for i, key in enumerate(order)})
        self._update_count += 1
        self.refresh()

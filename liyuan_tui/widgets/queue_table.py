"""The live queue: a DataTable whose countdowns repaint only the cells that changed.

Textual's stock `update_cell` ends in a whole-widget `refresh()`, so every tick would re-send every
visible line of the table to the terminal. `set_cells` writes the new values, invalidates the
render caches once, and refreshes only the regions of the cells whose text or colour changed:
at 1 Hz with 50 countdowns that is a few hundred bytes a second instead of kilobytes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, tzinfo
from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual._two_way_dict import TwoWayDict
from textual.binding import Binding
from textual.coordinate import Coordinate
from textual.geometry import Region
from textual.widgets import DataTable
from textual.widgets._data_table import ColumnKey, RowKey

from liyuan_tui.domain.deadlines import Urgency, format_countdown, seconds_left, urgency
from liyuan_tui.domain.i18n import Translator
from liyuan_tui.domain.models import Request, Staff
from liyuan_tui.domain.safe_text import visible
from liyuan_tui.reports.export import HIDDEN

# (ORDER and short_category are the screens' too: they import them from here)
from liyuan_tui.reports.queue_columns import ORDER, queue_layout, short_category  # noqa: F401

from .fit import padded

# The columns and their widths are the queue's own layout (reports/queue_columns.py), shared with
# `liyuan queue` so the command line fits a terminal as the desk does.
URGENCY_STYLE = {
    Urgency.OK: "green",
    Urgency.WARNING: "bold #ffaf00",  # amber
    Urgency.OVERDUE: "bold red",
    Urgency.REPLIED: "dim",
}


def countdown_cell(req: Request, now: datetime, lang: str = "zh") -> Text:
    """`mm:ss` left or `-mm:ss` overdue (hours and days beyond an hour, as fit in the column),
    coloured by urgency (frozen once replied)."""
    shown = format_countdown(seconds_left(req, now), lang, width=6)
    return Text(" " * (6 - cell_len(shown)) + shown, style=URGENCY_STYLE[urgency(req, now)])


def state_cell(req: Request, now: datetime, t: Translator) -> Text:
    state = urgency(req, now)
    return Text(t(f"state.{state}"), style=URGENCY_STYLE[state])


def typed(value: str) -> Text:
    """What a person typed, as text (a "[" in a unit is never read as markup, a control character
    is shown as its escape, never sent to the terminal)."""
    return Text(visible(value, newlines=False))


def ref_cell(req: Request) -> Text:
    """The ref with its flags: `!` major (magenta), `^` escalated, `+` a call linked to the incident
    listed above it. ASCII marks keep widths exact in terminals where ★ or ↑ are drawn two cells wide."""
    flags = ("!" if req.major else " ") + ("^" if req.escalated_at else " ")
    return Text.assemble(
        (flags, "bold magenta" if req.major else "bold yellow"),
        ("+", "bold cyan") if req.incident else " ",
        (req.ref, "bold magenta" if req.major else ""),
    )


def row_cells(
    req: Request,
    now: datetime,
    *,
    t: Translator,
    tz: tzinfo,
    category: str,
    staff: Mapping[str, Staff],
    hidden: frozenset[str] = frozenset(),
) -> dict[str, object]:
    """A request's cells, as values: the table fits them to its columns. `hidden` names the fields
    its viewer may not see (permissions.sight)."""
    holder = staff.get(req.assignee or "")
    what = (
        t("report.hidden")
        if "description" in hidden
        else " ".join(visible(req.description, newlines=False).split())
    )
    return {
        "ref": ref_cell(req),
        "category": typed(category),
        # A draft (the form left before its unit was typed: its clock runs) is marked as one.
        "unit": typed(HIDDEN if "unit" in hidden else req.unit)
        if req.unit or "unit" in hidden
        else Text(t("ui.queue.draft"), style="italic #ffaf00"),
        "requester": typed(
            HIDDEN if "requester_name" in hidden and req.requester_name else req.requester_name
        ),
        "received": Text(req.received_at.astimezone(tz).strftime("%H:%M")),
        "countdown": countdown_cell(req, now, t.lang),
        "state": state_cell(req, now, t),
        "assignee": typed(holder.name if holder else (req.assignee or "")),
        "what": Text(what, style="dim"),
    }


class QueueTable(DataTable):
    """Open requests by ref; rows are added, removed and updated by key so the cursor stays put.
    The columns follow the table's width (queue_layout); they are rebuilt only when it changes."""

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

    def column_widths(self, room: int) -> dict[str, int]:
        """The columns shown in `room` cells and their widths (a subclass lays out its own)."""
        return queue_layout(room, *self.least)

    def _cell(self, key: str, value: object) -> Text:
        return padded(value if isinstance(value, Text) else str(value), self.widths[key])

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

    # --- updates ---------------------------------------------------------------------------------

    def get_value(self, ref: str, key: str) -> object:
        """A cell's value as given (before it was fitted to its column)."""
        return self.values[ref][key]

    def set_cells(self, changes: Iterable[tuple[str, str, object]]) -> int:
        """Write cell values; repaint only the cells whose value changed. Returns how many."""
        touched: list[tuple[RowKey, ColumnKey]] = []
        for row, col, value in changes:
            if row not in self.values:
                continue
            self.values[row][col] = value
            rk, ck = RowKey(row), ColumnKey(col)
            cells = self._data.get(rk)
            if cells is None or col not in self.widths:
                continue
            shown = self._cell(col, value)
            if cells.get(ck) == shown:
                continue
            cells[ck] = shown
            touched.append((rk, ck))
        if not touched:
            return 0
        self._forget(touched)
        lefts = self._column_lefts()
        top = self.header_height if self.show_header else 0
        for rk, ck in touched:
            x, width = lefts[ck]
            # Every row is one line high, so a row's y is its index below the header.
            self._refresh_region(Region(x, top + (self._row_locations.get(rk) or 0), width, 1))
        self.cell_refreshes += len(touched)
        return len(touched)

    def _forget(self, touched: list[tuple[RowKey, ColumnKey]]) -> None:
        """Drop what DataTable cached for the touched cells. (Bumping its `_update_count`, as
        `update_cell` does, throws away every cached cell: with 200 rows the unchanged cells'
        re-rendering was most of the desk's idle CPU.) Row and line caches are cheap to rebuild and
        only repainted lines are rebuilt, so they are simply cleared."""
        rows, columns = self._row_locations, self._column_locations
        # The cache keys hold the table's own key objects: compare identities, not hashes.
        cells = {
            (id(rows.get_key(rows.get(rk) or 0)), id(columns.get_key(columns.get(ck) or 0)))
            for rk, ck in touched
        }
        cache = self._cell_render_cache
        for key in [k for k in cache.keys() if (id(k[0]), id(k[1])) in cells]:  # noqa: SIM118 (an LRUCache is not iterable)
            cache.discard(key)
        self._row_render_cache.clear()
        self._row_renderable_cache.clear()
        self._line_cache.clear()

    def _column_lefts(self) -> dict[ColumnKey, tuple[int, int]]:
        x = self._row_label_column_width
        out = {}
        for column in self.ordered_columns:
            width = column.get_render_width(self)
            out[column.key] = (x, width)
            x += width
        return out

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
        for key in [k for k in self.keys if k not in wanted]:
            self.remove_row(key)
        existing = set(self.keys)
        for key, cells in rows:
            if key in existing:
                self.set_cells((key, col, value) for col, value in cells.items())
            else:
                self.values[key] = dict(cells)
                self.add_row(*self._cells(cells), key=key)
        if self.order != self.keys:
            self._reorder(self.order)
        if current is not None and current in wanted:
            self.move_cursor(row=self.get_row_index(current), animate=False)

    def _reorder(self, order: list[str]) -> None:
        # What DataTable.sort() does, for an order computed outside the table (urgency).
        self._row_locations = TwoWayDict({RowKey(key): i for i, key in enumerate(order)})
        self._update_count += 1
        self.refresh()

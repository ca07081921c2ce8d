"""The live queue: a DataTable whose countdowns repaint only the cells that changed.

Textual's stock `update_cell` ends in a whole-widget `refresh()`, so every tick would re-send every
visible line of the table to the terminal. `set_cells` writes the new values, invalidates the
render caches once, and refreshes only the regions of the cells whose text or colour changed:
at 1 Hz with 50 countdowns that is a few hundred bytes a second instead of kilobytes.
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import Iterable, Mapping, Sequence

from rich.text import Text
from textual.coordinate import Coordinate
from textual.geometry import Region
from textual.widgets import DataTable
from textual.widgets._data_table import ColumnKey, RowKey
from textual._two_way_dict import TwoWayDict

from liyuan_tui.domain.deadlines import Urgency, format_countdown, seconds_left, urgency
from liyuan_tui.domain.i18n import Translator
from liyuan_tui.domain.models import Request, Staff
from liyuan_tui.domain.safe_text import visible

HIDDEN = "***"  # as the exports say it (reports/export.py)

# Fixed widths (terminal cells) so a tick never re-measures a column; CJK characters count two.
# The countdown comes first: Textual sends a partial update of a line from the widget's left edge
# to the end of the changed region, so a countdown at the left edge costs a few bytes a second
# where one in the middle of the row would re-send everything to its left.
# Cells carry their own one-space margins (cell_padding=0): a countdown is then one styled run of
# text, sent as one escape sequence, instead of three (pad, text, pad) each with its own colours.
COLUMNS: tuple[tuple[str, int], ...] = (
    ("countdown", 8), ("ref", 16), ("category", 12), ("unit", 16), ("requester", 14), ("received", 7),
    ("state", 10), ("assignee", 12),
)
URGENCY_STYLE = {
    Urgency.OK: "green",
    Urgency.WARNING: "bold #ffaf00",  # amber
    Urgency.OVERDUE: "bold red",
    Urgency.REPLIED: "dim",
}


def countdown_cell(req: Request, now: datetime) -> Text:
    """`mm:ss` left or `-mm:ss` overdue, coloured by urgency (frozen once replied)."""
    return Text(f" {format_countdown(seconds_left(req, now)):>6} ", style=URGENCY_STYLE[urgency(req, now)])


def state_cell(req: Request, now: datetime, t: Translator) -> Text:
    state = urgency(req, now)
    return Text(f" {t(f'state.{state}')} ", style=URGENCY_STYLE[state])


def short_category(key: str, procedures, t: Translator) -> str:
    """A category's short name for narrow places (急救, Repair); the procedure's own name if the
    site added a category the messages do not know."""
    short = t(f"ui.category.{key}")
    if not short.startswith("ui.category."):
        return short
    proc = procedures.get(key)
    return proc.name(t.lang) if proc else key


def padded(value: str) -> Text:
    """Plain text with its margins (a Text, so a "[" in a unit is never read as markup)."""
    return Text(f" {visible(value, newlines=False)} ")


def ref_cell(req: Request) -> Text:
    """The ref with its flags: `!` major (magenta), `^` escalated. ASCII marks keep widths exact in
    terminals where ★ or ↑ are drawn two cells wide."""
    flags = ("!" if req.major else " ") + ("^" if req.escalated_at else " ")
    return Text.assemble(" ", (flags, "bold magenta" if req.major else "bold yellow"), " ",
                         (req.ref, "bold magenta" if req.major else ""), " ")


def row_cells(req: Request, now: datetime, *, t: Translator, tz: tzinfo, category: str,
              staff: Mapping[str, Staff], hidden: frozenset[str] = frozenset()) -> dict[str, object]:
    """The row of a request; `hidden` names the fields its viewer may not see (permissions.sight)."""
    holder = staff.get(req.assignee or "")
    return {
        "ref": ref_cell(req),
        "category": padded(category),
        "unit": padded(HIDDEN if "unit" in hidden else req.unit),
        "requester": padded(HIDDEN if "requester_name" in hidden and req.requester_name else req.requester_name),
        "received": padded(req.received_at.astimezone(tz).strftime("%H:%M")),
        "countdown": countdown_cell(req, now),
        "state": state_cell(req, now, t),
        "assignee": padded(holder.name if holder else (req.assignee or "")),
    }


class QueueTable(DataTable):
    """Open requests by ref; rows are added, removed and updated by key so the cursor stays put."""

    COLUMNS: tuple[tuple[str, int], ...] = COLUMNS  # (key, width); a subclass lists its own

    DEFAULT_CSS = """
    QueueTable { height: 1fr; }
    """

    def __init__(self, labels: Mapping[str, str], **kwargs) -> None:
        super().__init__(cursor_type="row", cell_padding=0, **kwargs)
        for key, width in self.COLUMNS:
            self.add_column(padded(labels.get(key, key)), width=width, key=key)
        self.cell_refreshes = 0  # cells repainted since start (tests check that a tick stays small)

    # --- keys ------------------------------------------------------------------------------------

    @property
    def keys(self) -> list[str]:
        return [self._row_locations.get_key(i).value for i in range(self.row_count)]

    @property
    def current_ref(self) -> str | None:
        if self.row_count == 0:
            return None
        return self.coordinate_to_cell_key(Coordinate(self.cursor_row, 0)).row_key.value

    # --- updates ---------------------------------------------------------------------------------

    def set_cells(self, changes: Iterable[tuple[str, str, object]]) -> int:
        """Write cell values; repaint only the cells whose value changed. Returns how many."""
        touched: list[tuple[RowKey, ColumnKey]] = []
        for row, col, value in changes:
            rk, ck = RowKey(row), ColumnKey(col)
            cells = self._data.get(rk)
            if cells is None or cells.get(ck) == value:
                continue
            cells[ck] = value
            touched.append((rk, ck))
        if not touched:
            return 0
        self._forget(touched)
        lefts = self._column_lefts()
        top = self.header_height if self.show_header else 0
        for rk, ck in touched:
            x, width = lefts[ck]
            # Every row is one line high, so a row's y is its index below the header.
            self._refresh_region(Region(x, top + self._row_locations.get(rk), width, 1))
        self.cell_refreshes += len(touched)
        return len(touched)

    def _forget(self, touched: list[tuple[RowKey, ColumnKey]]) -> None:
        """Drop what DataTable cached for the touched cells. (Bumping its `_update_count`, as
        `update_cell` does, throws away every cached cell: with 200 rows the unchanged cells'
        re-rendering was most of the desk's idle CPU.) Row and line caches are cheap to rebuild and
        only repainted lines are rebuilt, so they are simply cleared."""
        where = self._row_locations
        # The cache keys hold the table's own key objects: compare identities, not hashes.
        cells = {(id(where.get_key(where.get(rk))), id(self._column_locations.get_key(self._column_locations.get(ck))))
                 for rk, ck in touched}
        cache = self._cell_render_cache
        for key in [k for k in cache.keys() if (id(k[0]), id(k[1])) in cells]:
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
        current = self.current_ref
        for key in [k for k in self.keys if k not in wanted]:
            self.remove_row(key)
        existing = set(self.keys)
        for key, cells in rows:
            if key in existing:
                self.set_cells((key, col, value) for col, value in cells.items())
            else:
                self.add_row(*(cells[c] for c, _ in self.COLUMNS), key=key)
        order = [key for key, _ in rows]
        if order != self.keys:
            self._reorder(order)
        if current is not None and current in wanted:
            self.move_cursor(row=self.get_row_index(current), animate=False)

    def _reorder(self, order: list[str]) -> None:
        # What DataTable.sort() does, for an order computed outside the table (urgency).
        self._row_locations = TwoWayDict({RowKey(key): i for i, key in enumerate(order)})
        self._update_count += 1
        self.refresh()

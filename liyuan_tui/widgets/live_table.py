"""A DataTable whose cells change in place, once a second, at the cost of the cells that changed.

Textual's stock `update_cell` ends in a whole-widget `refresh()` and throws away every cached
cell (it bumps `_update_count`), so each tick re-renders and re-sends every visible line. A
`LiveTable` repaints only the regions of the cells that changed (`repaint`), and renders only
those cells again: each rendered row keeps its other cells' segments (`_patch_rows`). A cell is a
`Text` as wide as its column, so the same text in the same style renders the same segments in
any row: they are kept by what they show (`_render_cell`), and a countdown's `09:41` is rendered
once, not once a row a second. What is left per changed cell is the compositor's line.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from rich.padding import Padding
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual._two_way_dict import TwoWayDict
from textual.cache import LRUCache
from textual.coordinate import Coordinate
from textual.geometry import Region, Size
from textual.renderables.styled import Styled
from textual.strip import Strip
from textual.widgets import DataTable
from textual.widgets._data_table import CellKey, ColumnKey, RowKey

Lines = list[list[Segment]]
NO_STYLE = Style()


@lru_cache(maxsize=4096)
def _where(row: int, column: int) -> Style:
    """The cell's place, as DataTable puts it in every segment's style (what a click finds)."""
    return Style.from_meta({"row": row, "column": column})


class LiveTable(DataTable):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._rendered: LRUCache[tuple[object, ...], Lines] = LRUCache(4096)  # by what a cell shows

    def rows_in_sight(self) -> list[str]:
        """The keys of the rows in the window now (every row is one line high)."""
        top = int(self.scroll_y)
        height = self.scrollable_content_region.height - (self.header_height if self.show_header else 0)
        get = self._row_locations.get_key
        return [str(k.value) for i in range(top, min(self.row_count, top + height + 1)) if (k := get(i))]

    def remove_rows(self, keys: list[str]) -> None:
        """DataTable's `remove_row` for many rows at once: its row places are numbered again once,
        not once a row (a storm of closed requests), and the table is laid out once."""
        if not keys:
            return
        gone = {RowKey(key) for key in keys}
        for rk in gone:
            for ck in self._data.get(rk, {}):
                self._updated_cells.discard(CellKey(rk, ck))
            self.rows.pop(rk, None)
            self._data.pop(rk, None)
            self._new_rows.discard(rk)
        kept = sorted(
            (i, rk)
            for rk in self._row_locations
            if rk not in gone and (i := self._row_locations.get(rk)) is not None
        )
        self._row_locations = TwoWayDict({rk: n for n, (_, rk) in enumerate(kept)})
        self._require_update_dimensions = True
        self.check_idle()
        self.cursor_coordinate = self.cursor_coordinate
        self.hover_coordinate = self.hover_coordinate
        self._update_count += 1
        self.refresh(layout=True)

    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        """DataTable's, without measuring each new row's cells where nothing is measured for: every
        column of a fixed width, rows one line high with no label (the queue's). Then only the
        scrollable size follows the rows."""
        new = list(new_rows)
        if any(c.auto_width for c in self.columns.values()) or any(
            row.label is not None or row.auto_height for rk in new if (row := self.rows.get(rk)) is not None
        ):
            super()._update_dimensions(new)
            return
        width = sum(column.get_render_width(self) for column in self.columns.values())
        header = self.header_height if self.show_header else 0
        self.virtual_size = Size(width + self._row_label_column_width, self._total_row_height + header)

    def repaint(self, touched: dict[RowKey, list[ColumnKey]]) -> int:
        """The touched cells (their new values already in `_data`) rendered again and their regions
        refreshed, nothing else. Returns how many."""
        if not touched:
            return 0
        rows, columns = self._row_locations, self._column_locations
        at = {rk: rows.get(rk) for rk in touched}
        # The row cache's keys hold the table's own key objects: found by identity, not hash.
        by_row = {id(rows.get_key(i)): rk for rk, i in at.items() if i is not None}
        self._patch_rows({key: [columns.get(ck) or 0 for ck in touched[rk]] for key, rk in by_row.items()})
        self._line_cache.clear()  # (by line, not row: only the repainted lines are rendered again)
        lefts = self._column_lefts()
        top = self.header_height if self.show_header else 0
        window, scrolled = self.window_region, self.scroll_offset
        regions = [
            region.translate(-scrolled)
            for rk, cks in touched.items()
            for ck in cks
            if (region := Region(lefts[ck][0], top + (at[rk] or 0), lefts[ck][1], 1)).overlaps(window)
        ]
        if regions:
            self.refresh(*regions)
        return sum(len(cks) for cks in touched.values())

    def _patch_rows(self, touched: dict[int, list[int]]) -> None:
        """Each rendered line of a touched row (by its key's identity) gets its touched cells
        rendered anew, as DataTable's `_render_line_in_row` renders them (same styles, cursor and
        hover), and keeps its other cells' segments."""
        cache = self._row_render_cache
        widths = [column.get_render_width(self) for column in self.ordered_columns]
        for key in [k for k in cache.keys() if id(k[0]) in touched]:  # noqa: SIM118 (an LRUCache is not iterable)
            row_key, line_no, base_style, cursor_at, hover_at = key[:5]
            row_index = self._row_locations.get(row_key)
            current = key[8:10] == (self._update_count, self._pseudo_class_state)
            if row_index is None or not current or self.fixed_columns or self._should_render_row_labels:
                cache.discard(key)
                continue
            fixed, scrollable = cache[key]
            row_style = self._get_row_style(row_index, base_style)
            cells = list(scrollable)
            for index in touched[id(row_key)]:
                where = Coordinate(row_index, index)
                cells[index] = self._render_cell(
                    row_index,
                    index,
                    row_style,
                    widths[index],
                    cursor=self._should_highlight(cursor_at, where, self.cursor_type),
                    hover=self._should_highlight(hover_at, where, self.cursor_type),
                )[line_no]
            cache.discard(key)  # (an LRUCache's set keeps a key's old value)
            cache[key] = (fixed, cells)

    def _render_cell(
        self,
        row_index: int,
        column_index: int,
        base_style: Style,
        width: int,
        cursor: bool = False,
        hover: bool = False,
    ) -> Lines:
        """A body cell that is one line of `Text`: its lines as DataTable renders them, kept by what
        they show (never stale: a changed cell is a new key), with the cell's place added."""
        row_key = self._row_locations.get_key(row_index) if row_index >= 0 else None
        column_key = self._column_locations.get_key(column_index) if column_index >= 0 else None
        row = self.rows.get(row_key) if row_key is not None else None
        cells = self._data.get(row_key) if row_key is not None else None
        cell = cells.get(column_key) if cells is not None and column_key is not None else None
        if row is None or row.height != 1 or not isinstance(cell, Text):
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        component_style, post_style = self._get_styles_to_render_cell(
            False,
            False,
            row_index < self.fixed_rows or column_index < self.fixed_columns,
            hover,
            cursor,
            self.show_cursor,
            self._show_hover_cursor,
            self.cursor_foreground_priority == "css",
            self.cursor_background_priority == "css",
        )
        key = (cell.plain, cell.style, tuple(cell.spans), base_style + component_style, post_style, width)
        lines = self._rendered.get(key)
        if lines is None:
            options = self.app.console_options.update_dimensions(width, 1).update(no_wrap=True)
            padding = Padding(cell, (0, self.cell_padding))
            lines = self.app.console.render_lines(
                Styled(padding, pre_style=base_style + component_style, post_style=post_style), options
            )
            self._rendered[key] = lines
        where = _where(row_index, column_index)
        return [
            [Segment(text, (style or NO_STYLE) + where, control) for text, style, control in line]
            for line in lines
        ]

    # DataTable works its style out from the CSS for every line it renders: once for all the lines
    # of one render is enough (a tick renders a line for each countdown in sight).
    _line_style: Style | None = None

    def render_lines(self, crop: Region) -> list[Strip]:
        self._line_style = self.rich_style
        try:
            return super().render_lines(crop)
        finally:
            self._line_style = None

    def render_line(self, y: int) -> Strip:
        """DataTable's, with the style of this render (`render_lines`)."""
        width = self.size.width
        scroll_x, scroll_y = self.scroll_offset
        fixed = self.header_height if self.show_header else 0
        for i in range(self.fixed_rows):
            key = self._row_locations.get_key(i)
            fixed += self.get_row_height(key) if key is not None else 0
        if y >= fixed:
            y += scroll_y
        return self._render_line(y, scroll_x, scroll_x + width, self._line_style or self.rich_style)

    def _column_lefts(self) -> dict[ColumnKey, tuple[int, int]]:
        x = self._row_label_column_width
        out = {}
        for column in self.ordered_columns:
            width = column.get_render_width(self)
            out[column.key] = (x, width)
            x += width
        return out

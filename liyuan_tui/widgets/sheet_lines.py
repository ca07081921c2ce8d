"""Rows of short cells padded to shared widths (several lists line up as one sheet), each row
ending in a free text: on the same line when at least MIN_TEXT cells are left for it, else on its
own indented line below (an 80-column terminal keeps every column and still shows the text).
Widths are terminal cells, so Chinese lines up."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.text import Text

from .fit import fit, shared_widths

GAP = 2
MIN_TEXT = 16
INDENT = 4
FLOOR = 6  # no column is cut below this many cells


def column_widths(header: Sequence[str], rows: Sequence[Sequence[Text]]) -> list[int]:
    return [max([Text(h).cell_len] + [r[i].cell_len for r in rows]) for i, h in enumerate(header)]


@dataclass
class SheetLines:
    header: Sequence[str]  # the cells' headers, then the text's
    rows: Sequence[tuple[Sequence[Text], Text]]  # (cells, text)
    widths: Sequence[int]  # one a cell column (column_widths over every list of the sheet)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        cells = sum(self.widths) + GAP * len(self.widths)
        return Measurement(min(cells, options.max_width), options.max_width)

    @staticmethod
    def _line(cells: Sequence[Text], widths: Sequence[int]) -> Text:
        line = Text(no_wrap=True)
        for cell, width in zip(cells, widths, strict=False):  # (a short row: its cells only)
            shown = fit(cell, width)  # a long unit or name ends in "…"; the columns stay in line
            line.append_text(shown)
            line.append(" " * (width - shown.cell_len + GAP))
        return line

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        # Too narrow for every cell whole (80 columns): the widest columns give way, never the line.
        widths = shared_widths(
            list(self.widths), width - GAP * len(self.widths), [min(w, FLOOR) for w in self.widths]
        )
        room = width - (sum(widths) + GAP * len(widths))
        same_line = room >= MIN_TEXT
        head = self._line([Text(h) for h in self.header[:-1]], widths)
        if same_line:
            head.append(self.header[-1])
        head.truncate(width, overflow="ellipsis")
        head.stylize("bold")
        yield head
        yield Text("─" * width, style="dim")
        for cells, text in self.rows:
            line = self._line(cells, widths)
            if same_line:
                line.append_text(text)
                line.truncate(width, overflow="ellipsis")
                yield line
                continue
            line.truncate(width, overflow="ellipsis")
            yield line
            if text.plain:
                below = Text(" " * INDENT).append_text(text)
                below.truncate(width, overflow="ellipsis")
                yield below

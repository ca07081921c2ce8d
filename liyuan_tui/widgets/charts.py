"""Charts drawn with text for the month report: columns over time (requests per day, per hour of
day) with the overdue part in red, and labelled horizontal bars. Rich renderables, no image files.

Columns start from zero. Textual's Sparkline scales from the smallest value to the largest, so a
quiet day with 5 requests would look empty beside a day with 10; counts need a zero baseline.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from rich.bar import Bar
from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text

from .plain import plain

EIGHTHS = " ▁▂▃▄▅▆▇█"


def _eighths(value: float, peak: float, rows: int) -> int:
    """How many eighths of a cell high a value stands; anything above zero shows at least one."""
    if value <= 0:
        return 0
    return max(1, math.ceil(value / peak * rows * 8 - 1e-9))


@dataclass
class ColumnChart:
    """One column per value (oldest left), `marked` (≤ value) drawn in `marked_style` at its foot;
    `labels` put text under a column (by index). Each column takes up to `max_col` cells; the chart
    narrows its columns to fit the width it is given."""

    values: Sequence[int]
    labels: dict[int, str] = field(default_factory=dict)
    marked: Sequence[int] = ()
    height: int = 5
    style: str = "cyan"
    marked_style: str = "bold red"
    max_col: int = 3

    def _layout(self, width: int) -> tuple[int, int]:
        peak = max(self.values, default=0)
        gutter = len(str(peak)) + 1
        col = max(1, min(self.max_col, (width - gutter) // max(1, len(self.values))))
        return gutter, col

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        gutter = len(str(max(self.values, default=0))) + 1
        return Measurement(gutter + len(self.values), gutter + len(self.values) * self.max_col)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        gutter, col = self._layout(options.max_width)
        peak = max(self.values, default=0)
        scale = peak or 1
        levels = [_eighths(v, scale, self.height) for v in self.values]
        marked = list(self.marked) + [0] * (len(self.values) - len(self.marked))
        marks = [_eighths(m, scale, self.height) for m in marked]
        bar_width = col - 1 if col > 1 else 1  # a one-cell gap between columns when there is room
        for row in reversed(range(self.height)):
            # The scale in the gutter: the peak on the top line, 0 on the bottom one.
            label = f"{peak:>{gutter - 1}} " if row == self.height - 1 else " " * gutter
            if row == 0 and self.height > 1:
                label = f"{0:>{gutter - 1}} "
            line = Text()
            line.append(label, style="dim")
            for level, mark in zip(levels, marks, strict=False):  # (more marks than values: not drawn)
                fill = min(8, max(0, level - row * 8))
                # The cell is red when the marked part covers most of what is drawn in it.
                style = self.marked_style if fill and mark - row * 8 > fill / 2 else self.style
                line.append(EIGHTHS[fill] * bar_width, style=style)
                if col > 1:
                    line.append(" ")
            yield line
        yield self._axis(gutter, col)

    def _axis(self, gutter: int, col: int) -> Text:
        axis = Text(" " * gutter, style="dim")
        used = gutter
        for index in sorted(self.labels):
            at = gutter + index * col
            label = self.labels[index]
            if at < used:  # would run into the previous label: leave it out
                continue
            axis.append(" " * (at - used) + label)
            used = at + cell_len(label) + 1
            axis.append(" ")
        return axis


def bar_table(
    rows: Sequence[tuple[str, int, str]],
    *,
    style: str = "cyan",
    styles: Sequence[str] = (),
    bar_width: int = 40,
) -> Table:
    """Label, value, a note (a share, how many overdue …) and a bar scaled to the largest value,
    in `styles[i]` (else `style`). Labels may be Chinese: the table measures cells, so the bars
    start in one column."""
    peak = max((value for _, value, _ in rows), default=0) or 1
    table = Table.grid(padding=(0, 2))
    table.add_column(no_wrap=True)
    table.add_column(justify="right", no_wrap=True)
    table.add_column(justify="right", no_wrap=True, style="dim")
    table.add_column(no_wrap=True)
    smallest = peak / (bar_width * 8)  # one eighth of a cell: a value above zero is never invisible
    for i, (label, value, note) in enumerate(rows):
        end = max(value, smallest) if value else 0
        color = styles[i] if i < len(styles) else style
        # No background colour: the bar's empty part shows the screen behind it, not a dark box.
        table.add_row(
            plain(label, one_line=True),
            str(value),
            plain(note, one_line=True),
            Bar(peak, 0, end, width=bar_width, color=color, bgcolor=None),  # type: ignore[arg-type]
        )
    return table

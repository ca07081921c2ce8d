"""The baseline the desk is measured against: a bare Textual app that imports the same libraries
(textual and sqlmodel) and shows a DataTable of N rows; with --tick it updates N countdown cells a
second with the stock `update_cell` (what a straightforward queue would do).

    python baseline_app.py ROWS [--tick]
"""

from __future__ import annotations

import sys
import time

import sqlmodel  # noqa: F401  (the same imports as the desk)
from textual.app import App, ComposeResult
from textual.widgets import DataTable, Footer, Header

COLUMNS = (
    ("Left", 6),
    ("Ref", 14),
    ("Category", 8),
    ("Unit", 14),
    ("Requester", 12),
    ("Time", 5),
    ("State", 8),
    ("Holder", 10),
)


class Baseline(App):
    def __init__(self, rows: int, tick: bool) -> None:
        super().__init__()
        self.rows, self.tick = rows, tick
        self.due = time.time() + 600

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for label, width in COLUMNS:
            table.add_column(label, width=width, key=label)
        for i in range(self.rows):
            table.add_row(
                "10:00", f"202611-{i:04d}", "Repair", f"OPENROW{i}", "Name", "22:00", "ok", "ann", key=str(i)
            )
        self.table = table
        if self.tick:
            self.set_interval(1, self.update_countdowns)

    def update_countdowns(self) -> None:
        left = int(self.due - time.time())
        for i in range(self.rows):
            self.table.update_cell(str(i), "Left", f"{left // 60:02d}:{left % 60:02d}")


if __name__ == "__main__":
    Baseline(int(sys.argv[1]), "--tick" in sys.argv).run()

"""`j`: the reception log (来访接待, 客户接待管理) — who came to the desk, about what, which unit, who
received them, the outcome and the request it became, newest first. `a` records a visitor received
by you. Read in a thread; read again when a visitor is recorded here or at another terminal."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widgets import DataTable, Header, Static

from liyuan_tui.domain.events import EventKind
from liyuan_tui.widgets.fit import fit
from liyuan_tui.widgets.key_bar import KeyBar
from liyuan_tui.widgets.keys import RECEPTION_KEYS
from liyuan_tui.widgets.messages import Changes, StoreRefused, VisitorsRead
from liyuan_tui.widgets.page import Page
from liyuan_tui.widgets.plain import plain
from liyuan_tui.widgets.store_work import store_work

from ..dialogs import FormField, FormScreen

LIST_LIMIT = 300  # `liyuan reception list` has them all
# Columns and the cells each is cut to: the narrow layout (80 columns) leaves out the last two.
NARROW = (("at", 11), ("name", 10), ("purpose", 22), ("unit", 8), ("received_by", 8))
WIDE = NARROW[:2] + (("purpose", 34),) + NARROW[3:] + (("outcome", 20), ("ref", 11))


class ReceptionScreen(Page):
    DEFAULT_CSS = """
    ReceptionScreen #reception-bar { height: 1; padding: 0 1; background: $panel; text-style: bold; }
    ReceptionScreen #reception-table { height: 1fr; }
    ReceptionScreen #reception-status { padding: 1 2; color: $text-muted; }
    """
    KEYS = RECEPTION_KEYS

    def __init__(self) -> None:
        super().__init__(classes="reception")

    def compose(self) -> ComposeResult:
        yield Header(icon="")
        yield Static(self.app.t("ui.reception.loading"), id="reception-bar")
        yield DataTable(id="reception-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="reception-status")
        yield KeyBar()

    def on_mount(self) -> None:
        self.bar = self.query_one("#reception-bar", Static)
        self.status = self.query_one("#reception-status", Static)
        self.table: DataTable[Text] = self.query_one("#reception-table", DataTable)
        self.status.display = False
        self.columns = WIDE if self.app.size.width >= 120 else NARROW
        for key, _ in self.columns:
            self.table.add_column(self.app.t(f"desk.column.{key}"), key=key)
        self.table.focus()
        self.watch(self.app, "changes", self._changed, init=False)
        self.load()

    def load(self) -> None:
        reception = self.app.store.reception
        store_work(self, lambda: reception.listed(limit=LIST_LIMIT), VisitorsRead, action="visitors")

    def _changed(self, changes: Changes) -> None:
        """Read again when a visitor is recorded (here or at another terminal)."""
        if EventKind.RECEPTION in changes.kinds():
            self.load()

    @on(VisitorsRead)
    def _read(self, msg: VisitorsRead) -> None:
        app, t = self.app, self.app.t
        self.bar.update(Text(t("desk.reception_title", count=len(msg.rows))))
        self.table.clear()
        for r in msg.rows:
            who = app.staff.get(r.received_by)
            values = {
                "at": f"{r.at.astimezone(app.tz):%m-%d %H:%M}",
                "name": r.name,
                "purpose": r.purpose,
                "unit": r.unit,
                "received_by": who.name if who else r.received_by,
                "outcome": r.outcome,
                "ref": r.ref or "",
            }
            self.table.add_row(
                *(fit(plain(values[k], one_line=True), width) for k, width in self.columns), key=str(r.id)
            )
        self.status.update(t("report.none"))
        self.status.display = not msg.rows

    @on(StoreRefused)
    def _refused(self, msg: StoreRefused) -> None:
        msg.stop()
        self.bar.update(plain(msg.error.message(self.app.t), one_line=True))

    # --- keys ------------------------------------------------------------------------------------

    def action_add_visitor(self) -> None:
        app, t, reception = self.app, self.app.t, self.app.store.reception
        fields = [
            FormField("name", t("desk.column.name")),
            FormField("purpose", t("desk.column.purpose")),
            FormField("unit", t("desk.column.unit")),
            FormField("ref", t("desk.column.ref"), hint=t("ui.reception.ref_hint")),
            FormField("outcome", t("desk.column.outcome")),
        ]

        def added(row: Any) -> None:  # (the list is read again with the change: _changed)
            if row is not None:
                app.notify(t("desk.received", id=row.id, name=row.name), timeout=3)

        app.push_screen(
            FormScreen(t("ui.reception.add_title"), fields, lambda v: reception.add(**v), action="reception"),
            added,
        )

"""The materials ledger (进消存) from the command palette: the catalogue with what is on hand and
its value; `i` stock received, `u` stock used (on a work order or with a reason), `c` a stock-take,
`a` a new material. Read again in a thread whenever stock moves anywhere."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widgets import DataTable, Header, Static

from liyuan_tui.domain.events import STOCK_KINDS
from liyuan_tui.domain.fees import format_yuan
from liyuan_tui.domain.work_orders import format_qty, value_fen
from liyuan_tui.domain.workshop import Material
from liyuan_tui.widgets.key_bar import KeyBar
from liyuan_tui.widgets.keys import STOCK_KEYS
from liyuan_tui.widgets.messages import Changes, StockRead
from liyuan_tui.widgets.page import Page
from liyuan_tui.widgets.plain import plain
from liyuan_tui.widgets.store_work import store_work

from ..dialogs import FormField, FormScreen

COLUMNS = (
    ("code", "left"),
    ("material", "left"),
    ("measure", "left"),
    ("price", "right"),
    ("on_hand", "right"),
    ("value", "right"),
)


class StockScreen(Page):
    KEYS = STOCK_KEYS

    def __init__(self) -> None:
        super().__init__(classes="stock")
        self.materials: list[Material] = []

    def compose(self) -> ComposeResult:
        yield Header(icon="")
        yield Static(id="stock-bar", classes="screen-bar")
        yield DataTable(id="stock-table", cursor_type="row")
        yield Static(self.app.t("ui.orders.loading"), id="stock-empty", classes="screen-empty")
        yield KeyBar()  # the footer's keys whole at any width (widgets/key_bar.py)

    def on_mount(self) -> None:
        t = self.app.t
        self.table = self.query_one(DataTable)
        self.bar = self.query_one("#stock-bar", Static)
        self.empty = self.query_one("#stock-empty", Static)
        for key, justify in COLUMNS:
            self.table.add_column(Text(t(f"column.{key}"), justify=justify), key=key)  # type: ignore[arg-type]
        self.table.display = False
        self.table.focus()
        self.watch(self.app, "changes", self._changed, init=False)
        self.load()

    def load(self) -> None:
        stock = self.app.store.stock
        store_work(self, stock.materials, StockRead, action="stock", exclusive=True)

    def _changed(self, changes: Changes) -> None:
        """Read again whenever stock moves (here or at another terminal)."""
        if changes.kinds() & STOCK_KINDS:
            self.load()

    @on(StockRead)
    def _read(self, msg: StockRead) -> None:
        t = self.app.t
        self.materials = msg.materials
        at = self.table.cursor_row
        self.table.clear()
        for m in msg.materials:
            self.table.add_row(
                m.code,
                plain(m.name, one_line=True),
                plain(m.unit, one_line=True),
                Text(format_yuan(m.price_fen), justify="right"),
                Text(
                    format_qty(m.on_hand_milli),
                    justify="right",
                    style="bold red" if m.on_hand_milli == 0 else "",
                ),
                Text(format_yuan(value_fen(m.on_hand_milli, m.price_fen)), justify="right"),
                key=m.code,
            )
        if msg.materials:
            self.table.move_cursor(row=min(at, len(msg.materials) - 1), animate=False)
        self.table.display = bool(msg.materials)
        self.empty.display = not msg.materials
        self.empty.update(t("ui.stock.empty"))
        total = sum(value_fen(m.on_hand_milli, m.price_fen) for m in msg.materials)
        self.bar.update(t("ui.stock.bar", count=len(msg.materials), value=format_yuan(total)))

    # --- keys ------------------------------------------------------------------------------------

    def selected(self) -> Material | None:
        if not self.materials or not self.table.display:
            return None
        return self.materials[min(self.table.cursor_row, len(self.materials) - 1)]

    def _form(
        self, title: str, fields: list[FormField], save: Callable[[dict[str, Any]], Any], action: str
    ) -> None:
        def done(result: Any) -> None:  # (the list is read again with the change: _changed)
            if result is not None:
                self.app.notify(self.app.t(f"ui.stock.done.{action}"), timeout=3)

        self.app.push_screen(FormScreen(title, fields, save, action=action), done)

    def _material_form(
        self, action: str, fields: list[FormField], save: Callable[[Material, dict[str, Any]], Any]
    ) -> None:
        material = self.selected()
        if material is None:
            return
        t = self.app.t
        title = t(
            f"ui.stock.{action}_title",
            code=material.code,
            name=material.name,
            on_hand=format_qty(material.on_hand_milli),
            unit=material.unit,
        )
        self._form(title, fields, lambda v: save(material, v), action)

    def action_receive(self) -> None:
        t, stock = self.app.t, self.app.store.stock
        self._material_form(
            "receive",
            [
                FormField("quantity", t("field.quantity")),
                FormField("price", t("ui.stock.price_paid"), hint=t("ui.stock.price_hint")),
                FormField("note", t("field.note")),
            ],
            lambda m, v: stock.receive(m.code, v["quantity"], price=v["price"] or None, note=v["note"]),
        )

    def action_use_stock(self) -> None:
        t, stock = self.app.t, self.app.store.stock
        self._material_form(
            "use",
            [
                FormField("quantity", t("field.quantity")),
                FormField("order", t("field.order"), hint=t("ui.stock.order_hint")),
                FormField("reason", t("field.reason")),
            ],
            lambda m, v: stock.use(m.code, v["quantity"], order=v["order"] or None, reason=v["reason"]),
        )

    def action_count_stock(self) -> None:
        t, stock = self.app.t, self.app.store.stock
        self._material_form(
            "count",
            [FormField("quantity", t("ui.stock.counted"))],
            lambda m, v: stock.count(m.code, v["quantity"]),
        )

    def action_add_material(self) -> None:
        t, stock = self.app.t, self.app.store.stock
        self._form(
            t("ui.stock.add_title"),
            [
                FormField("code", t("field.code")),
                FormField("material_name", t("field.material_name")),
                FormField("material_unit", t("field.material_unit")),
                FormField("price", t("field.price"), "0"),
            ],
            lambda v: stock.add_material(
                v["code"], v["material_name"], v["material_unit"], v["price"] or "0"
            ),
            "add",
        )

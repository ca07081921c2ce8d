"""The month's materials report (材料进消存报表): for each item the opening balance, received,
used, the difference stock-takes found and the closing balance, in quantity and value, with totals;
as Markdown, CSV (Excel) or JSON.

The balances are the ledger's own running balances (the last move before the month's start and
end); the flows are the sums of the month's moves. The two are independent sources, so every line
states whether opening + in − used ± counted = closing holds (it always should). Values are at the
item's unit price in effect at the month's end, so a month's values add up like its quantities.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any

from liyuan_tui.domain.errors import PermissionDenied
from liyuan_tui.domain.fees import format_yuan
from liyuan_tui.domain.i18n import Translator
from liyuan_tui.domain.permissions import Action, allowed
from liyuan_tui.domain.safe_text import safe_json
from liyuan_tui.domain.work_orders import format_qty, qty_number
from liyuan_tui.store.figures import StockLine

from .month import Month
from .source import ReportSource
from .tables import Said, csv_rows, md_table

BOM = "\ufeff"
COLUMNS = ("opening", "received", "used", "counted", "closing")


@dataclass
class StockReport:
    month: Month
    lines: list[StockLine]
    generated_at: datetime
    tz: tzinfo

    def total(self, column: str) -> int:
        """A column's value over every item, in fen (quantities of different units do not add)."""
        return sum(line.value(column) for line in self.lines)


def stock_report(store: ReportSource, month: Month | str, *, now: datetime | None = None) -> StockReport:
    month = Month.parse(month) if isinstance(month, str) else month
    me = store.staff.me()
    if not allowed(me.role, Action.STOCK_REPORT):
        raise PermissionDenied("error.not_allowed", role=me.role, action=str(Action.STOCK_REPORT))
    with store.figures.reading() as read:
        lines = read.stock_lines(month.start(store.tz), month.end(store.tz))
    return StockReport(month, lines, now or store.clock.now(), store.tz)


# --- rendering ----------------------------------------------------------------------------------


def render_stock(report: StockReport, fmt: str, t: Translator) -> Any:
    """The report as text (md, csv, json) or, for xlsx, a workbook's bytes."""
    if fmt == "xlsx":
        from .xlsx import workbook

        def money(fen: int) -> str:
            return f"{fen / 100:.2f}"

        title = t("stock.title", month=str(report.month))
        rows = [*_rows(report, money), _totals_row(report, t, money)] if report.lines else []
        return workbook(title, [t("stock.explain")], [(title, _header(t), rows)])
    if fmt == "json":
        return safe_json(stock_dict(report), indent=2) + "\n"
    if fmt == "csv":
        return _csv(report, t)
    return _markdown(report, t)


def stock_dict(report: StockReport) -> dict[str, Any]:
    items = []
    for x in report.lines:
        item: dict[str, Any] = {"code": x.code, "name": x.name, "unit": x.unit, "price": x.price_fen / 100}
        for column in COLUMNS:
            item[column] = qty_number(getattr(x, column))
        for column in COLUMNS:
            item[f"{column}_value"] = x.value(column) / 100
        item["balanced"] = x.balanced
        items.append(item)
    totals = {f"{column}_value": report.total(column) / 100 for column in COLUMNS}
    totals["items"] = len(report.lines)
    totals["balanced"] = all(x.balanced for x in report.lines)
    return {
        "month": str(report.month),
        "generated_at": report.generated_at.astimezone(report.tz).isoformat(timespec="seconds"),
        "items": items,
        "totals": totals,
    }


def _header(t: Translator) -> list[str]:
    head = [t("column.code"), t("column.material"), t("column.measure"), t("column.price")]
    for column in COLUMNS:
        head += [t(f"stock.{column}"), t(f"stock.{column}_value")]
    return head


def _rows(report: StockReport, money: Callable[[int], str]) -> list[list[str]]:
    rows = []
    for x in report.lines:
        row = [Said(x.code), Said(x.name), Said(x.unit), money(x.price_fen)]
        for column in COLUMNS:
            row += [format_qty(getattr(x, column)), money(x.value(column))]
        rows.append(row)
    return rows


def _totals_row(report: StockReport, t: Translator, money: Callable[[int], str]) -> list[str]:
    row = [t("stock.total"), "", "", ""]
    for column in COLUMNS:
        row += ["", money(report.total(column))]
    return row


def _markdown(report: StockReport, t: Translator) -> str:
    out = [f"# {t('stock.title', month=str(report.month))}", "", t("stock.explain"), ""]
    if not report.lines:
        return "\n".join(out + [t("report.none")]) + "\n"
    out += md_table(_header(t), _rows(report, format_yuan) + [_totals_row(report, t, format_yuan)])
    unbalanced = [x.code for x in report.lines if not x.balanced]
    out += ["", t("stock.unbalanced", codes=", ".join(unbalanced)) if unbalanced else t("stock.balanced")]
    return "\n".join(out) + "\n"


def _csv(report: StockReport, t: Translator) -> str:
    """Plain numbers (yuan with two decimals) so Excel can compute; a BOM keeps the Chinese."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")

    def money(fen: int) -> str:
        return f"{fen / 100:.2f}"

    # Every cell through csv_cell (tables.py): a material's name is never a formula to Excel.
    w.writerows(
        csv_rows(
            [
                [t("stock.title", month=str(report.month))],
                _header(t),
                *_rows(report, money),
                _totals_row(report, t, money),
            ]
        )
    )
    return BOM + buf.getvalue()

"""A request's paid services under its checklist: each charge (item, quantity and unit, price,
amount) and the total. Hidden while there are none."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import tzinfo

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from liyuan_tui.domain.desk_records import Receipt
from liyuan_tui.domain.fees import FeeSchedule, format_yuan
from liyuan_tui.domain.i18n import Translator
from liyuan_tui.domain.models import Charge

from .plain import plain


def charge_rows(
    charges: Sequence[Charge],
    schedule: FeeSchedule | None,
    t: Translator,
    receipts: Mapping[int, Receipt] | None = None,
    tz: tzinfo | None = None,
) -> Table:
    """The charges as a grid; rich measures CJK as two cells, so the columns line up in zh too.
    Under each, its receipt (收费单): number, paid (how) or not."""
    grid = Table.grid(padding=(0, 2), expand=True)
    grid.add_column(ratio=1, overflow="fold")
    for _ in range(3):
        grid.add_column(justify="right", no_wrap=True)
    grid.add_row(
        *(
            Text(t(key), style="dim")
            for key in ("fees.column_item", "ui.charges.qty", "ui.charges.price", "ui.charges.amount")
        )
    )
    for charge in charges:
        fee = schedule.get(charge.item_code) if schedule is not None else None
        name = fee.name(t.lang) if fee else charge.item_code  # an item the site has since removed
        unit = fee.unit(t.lang) if fee else ""
        grid.add_row(
            plain(name),
            plain(f"{charge.qty:g} {unit}".rstrip(), one_line=True),
            format_yuan(charge.unit_price_cents),
            format_yuan(charge.amount_cents),
        )
        receipt = (receipts or {}).get(charge.id or -1)
        if receipt is not None:
            state = (
                t(
                    "desk.receipt_paid",
                    method=t(f"desk.method.{receipt.method}"),
                    at=f"{receipt.paid_at.astimezone(tz):%m-%d %H:%M}" if receipt.paid_at else "",
                )
                if receipt.paid
                else t("desk.receipt_unpaid")
            )
            grid.add_row(
                Text(f"  {receipt.number}  {state}", style="green" if receipt.paid else "yellow"), "", "", ""
            )
    total = sum(c.amount_cents for c in charges)
    grid.add_row(Text(t("ui.charges.total"), style="bold"), "", "", Text(format_yuan(total), style="bold"))
    return grid


class ChargeList(Static):
    """Rebuilt when the request is read again (never on the clock tick)."""

    DEFAULT_CSS = """
    ChargeList { height: auto; max-height: 12; padding: 0 1; border-top: solid $primary; }
    """

    def show(
        self,
        charges: Sequence[Charge],
        schedule: FeeSchedule | None,
        t: Translator,
        receipts: Mapping[int, Receipt] | None = None,
        tz: tzinfo | None = None,
    ) -> None:
        self.display = bool(charges)
        if not charges:
            return
        title = Text(t("ui.charges.title"), style="bold")
        if schedule is not None and schedule.example:
            title.append(("" if t.lang == "zh" else " ") + t("fees.example_short"), style="yellow")
        self.update(Group(title, charge_rows(charges, schedule, t, receipts, tz)))

"""A receipt for a paid service (收费单) as JSON and as a printable sheet (Markdown, like the work
order's): what was charged on which request, paid or not, how, and who took the money — with lines
for the resident's and the cashier's signatures. A confidential request's requester is left out for
readers who may not see them."""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import Any

from liyuan_tui.domain.desk_records import PAY_METHODS
from liyuan_tui.domain.fees import format_yuan
from liyuan_tui.domain.i18n import Translator
from liyuan_tui.store import ReceiptView

from .export import HIDDEN, iso
from .tables import Namer, md_table


def receipt_dict(view: ReceiptView, tz: tzinfo) -> dict[str, Any]:
    r, c, req = view.receipt, view.charge, view.request
    return {
        "receipt": r.number,
        "ref": req.ref,
        "unit": req.unit,
        "requester_name": req.requester_name if view.visible else HIDDEN,
        "item": c.item_code,
        "name_zh": view.item.name_zh if view.item else c.item_code,
        "name_en": view.item.name_en if view.item else c.item_code,
        "qty": c.qty,
        "unit_price": c.unit_price_cents / 100,
        "amount": r.amount_cents / 100,
        "charged_at": iso(r.created_at, tz),
        "charged_by": r.created_by,
        "paid": r.paid,
        "paid_at": iso(r.paid_at, tz),
        "method": r.method or None,
        "paid_by": r.paid_by,
    }


def receipt_sheet(view: ReceiptView, t: Translator, tz: tzinfo, procedures: Any) -> str:
    """The sheet to print: the charge, then paid (how, when, by whom) or lines to fill in."""
    r, c, req = view.receipt, view.charge, view.request
    blank = "______________"

    def when(at: datetime | None) -> str:
        return at.astimezone(tz).strftime("%Y-%m-%d %H:%M") if at else ""

    def person(login: str | None) -> str:
        name = view.names.get(login or "", login or "")
        return f"{name} ({login})" if login and name != login else (login or "")

    item = (view.item.name_zh if t.lang == "zh" else view.item.name_en) if view.item else c.item_code
    unit = (view.item.unit_zh if t.lang == "zh" else view.item.unit_en) if view.item else ""
    rows = [
        [t("sheet.request"), req.ref],
        [t("column.category"), Namer(t, procedures).category(req.category or "none")],
        [t("column.unit"), req.unit],
        [t("sheet.requester"), req.requester_name if view.visible else t("report.hidden")],
        [t("receipt.item"), item],
        [t("report.qty"), f"{c.qty:g} {unit}".strip()],
        [t("receipt.unit_price"), format_yuan(c.unit_price_cents)],
        [t("report.amount"), format_yuan(r.amount_cents)],
        [t("receipt.charged"), f"{when(r.created_at)}  {person(r.created_by)}"],
    ]
    out = [f"# {t('receipt.title', number=r.number)}", ""]
    out += md_table([t("sheet.item"), t("sheet.content")], rows)
    out += ["", f"## {t('receipt.payment')}", ""]
    if r.paid:
        out += md_table(
            [t("sheet.item"), t("sheet.content")],
            [
                [t("receipt.state"), t("receipt.paid")],
                [t("receipt.method"), t(f"desk.method.{r.method}")],
                [t("receipt.paid_at"), when(r.paid_at)],
                [t("receipt.paid_by"), person(r.paid_by)],
            ],
        )
    else:
        out += [t("receipt.unpaid_line"), ""]
        out += [f"{t('receipt.method')}: □ " + "  □ ".join(t(f"desk.method.{m}") for m in PAY_METHODS)]
    out += [
        "",
        f"{t('receipt.resident_signature')}: {blank}    {t('sheet.date')}: {blank}",
        "",
        f"{t('receipt.cashier_signature')}: {blank}",
    ]
    return "\n".join(out) + "\n"

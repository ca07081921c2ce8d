"""Work orders as plain dicts (the `order show/list --json` contract) and as a printable sheet
(Markdown, for the resident's signature on paper). A confidential request's details — who asked,
their phone, what they said, the notes, who signed — are left out for readers who may not see
them (a technician sees nothing confidential)."""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import Any

from liyuan_tui.domain.i18n import Translator
from liyuan_tui.domain.procedures import Procedures
from liyuan_tui.domain.work_orders import (
    format_qty,
    order_seconds_left,
    order_urgency,
    qty_number,
    within,
)
from liyuan_tui.store import OrderView, ToolView

from .export import HIDDEN, event_dict, iso
from .tables import Namer, md_table


def order_dict(view: OrderView, now: datetime, tz: tzinfo, *, events: bool = False) -> dict[str, Any]:
    o, req, shown = view.order, view.request, view.visible

    def detail(value: str) -> str:
        return value if shown or not value else HIDDEN

    data: dict[str, Any] = {
        "number": o.number,
        "ref": req.ref,
        "technician": o.technician,
        "state": o.state,
        "appointment_at": iso(o.appointment_at, tz),
        "arrived_at": iso(o.arrived_at, tz),
        "finished_at": iso(o.finished_at, tz),
        "hours": o.hours,
        "materials": [{"code": m.code, "qty": qty_number(milli)} for m, milli in view.materials],
        "signed_by": detail(o.signed_by) or None,
        "not_home": o.not_home,
        "category": req.category,
        "unit": req.unit,
        "requester_name": detail(req.requester_name),
        "phone": detail(req.phone),
        "description": detail(req.description),
        "confidential": req.confidential,
        "note": detail(o.note),
        "created_at": iso(o.created_at, tz),
        "created_by": o.created_by,
        "dispatched_at": iso(o.dispatched_at, tz),
        "arrive_due_at": iso(o.arrive_due_at, tz),
        "finish_due_at": iso(o.finish_due_at, tz),
        "arrived_within_limit": within(o.arrived_at, o.arrive_due_at),
        "finished_within_limit": within(o.finished_at, o.finish_due_at),
        "seconds_left": order_seconds_left(o, now),
        "urgency": str(order_urgency(o, now)),
        "waiting_at": iso(o.waiting_at, tz),
        "wait_reason": detail(o.wait_reason),
        "finish_note": detail(o.finish_note),
        "cancelled_at": iso(o.cancelled_at, tz),
        "cancel_reason": detail(o.cancel_reason),
        "version": o.version,
    }
    if events:
        data["events"] = [event_dict(e, tz, not shown) for e in view.events]  # hidden: every detail
    return data


def order_sheet(
    view: OrderView,
    t: Translator,
    tz: tzinfo,
    procedures: Procedures,
    now: datetime,
    names: dict[str, str] | None = None,
) -> str:
    """A work order on paper, to print, carry and sign: who, where, what, the limits as times, the
    work (filled in once done, lines to write on before), the materials, the hours, and the
    technician's and the resident's signatures with their dates. Nothing that ticks: a countdown
    is stale the moment it is printed. (`now` is kept for callers; the sheet does not use it.)"""
    o, req, shown = view.order, view.request, view.visible
    names = names or {}
    namer = Namer(t, procedures)
    blank = "______________"

    def when(at: datetime | None) -> str:
        return at.astimezone(tz).strftime("%Y-%m-%d %H:%M") if at else ""

    def person(login: str | None) -> str:
        return names.get(login, login) if login else ""  # by name: the paper is for people

    hidden = t("report.hidden")
    limits = " / ".join(
        f"{t('order.limit.' + w)} {when(d)}"
        for w, d in (("arrive", o.arrive_due_at), ("finish", o.finish_due_at))
        if d
    )
    if not limits:  # said in words: this category sets no on-site limits (or not dispatched yet)
        limits = t("sheet.no_limits") if o.dispatched_at else t("sheet.limits_at_dispatch")
    rows = [
        [t("sheet.request"), req.ref],
        [t("column.category"), namer.category(req.category or "none")],
        [t("column.unit"), req.unit],
        [t("sheet.requester"), req.requester_name if shown else hidden],
        [t("sheet.phone"), req.phone if shown else hidden],
        [description_label(req.category, procedures, t), (req.description if shown else hidden) or ""],
        [t("sheet.technician"), person(o.technician) or blank],
        [t("sheet.appointment"), when(o.appointment_at)],
        [t("sheet.dispatched"), when(o.dispatched_at)],
        [t("sheet.limits"), limits],
        [t("sheet.note"), (o.note if shown else hidden) if o.note else ""],
    ]
    out = [f"# {t('sheet.title', number=o.number)}", ""] + md_table(
        [t("sheet.item"), t("sheet.content")], rows
    )
    out += ["", f"## {t('sheet.work')}", ""]
    out += md_table(
        [t("sheet.item"), t("sheet.content")],
        [
            [t("sheet.arrived"), when(o.arrived_at) or blank],
            [t("sheet.finished"), when(o.finished_at) or blank],
            [t("sheet.hours"), f"{o.hours:g}" if o.hours is not None else blank],
            [
                t("sheet.result"),
                ((o.finish_note if shown else hidden) if o.finish_note else "")
                or ("" if o.state == "done" else blank),
            ],
        ],
    )
    out += ["", f"## {t('sheet.materials')}", ""]
    used = [[m.code, m.name, format_qty(milli), m.unit] for m, milli in view.materials]
    if o.state != "done":
        used += [[blank, blank, "____", "____"]] * 3  # lines for the technician's pen
    out += (
        md_table([t("column.code"), t("column.material"), t("report.qty"), t("column.measure")], used)
        if used
        else [t("report.none")]
    )
    out += ["", f"## {t('sheet.sign_off')}", ""]
    if o.not_home:
        out += [t("sheet.not_home"), ""]
    elif o.signed_by:
        out += [t("sheet.signed", name=o.signed_by if shown else hidden, at=when(o.finished_at)), ""]
    # Lines to sign on, whatever the desk recorded: the paper is the record the resident keeps.
    done_on = when(o.finished_at)[:10] if o.finished_at else blank
    out += [
        f"{t('sheet.technician_signature')}: {blank}    {t('sheet.date')}: {done_on}",
        "",
        f"{t('sheet.signature')}: {blank}    {t('sheet.date')}: {done_on}",
    ]
    return "\n".join(out) + "\n"


def description_label(category: str | None, procedures: Any, t: Translator) -> str:
    """What the caller asked for, by the category's word: a repair's fault (报修内容), anything
    else's request (求助内容) — a fire's or an errand's order is no repair."""
    proc = procedures.get(category) if category else None
    return t("sheet.description") if proc is not None and proc.fault_kinds else t("sheet.description_other")


def tool_dict(view: ToolView, now: datetime, tz: tzinfo) -> dict[str, Any]:
    """A tool of the register (the `tools list --json` contract)."""
    loan = view.loan
    return {
        "code": view.tool.code,
        "name": view.tool.name,
        "condition": view.tool.condition,
        "holder": view.tool.holder,
        "order": view.order,
        "due_at": iso(loan.due_at, tz) if loan else None,
        "overdue": view.overdue(now),
        "issued_at": iso(loan.issued_at, tz) if loan else None,
        "issued_by": loan.issued_by if loan else None,
    }

"""The month report's back-office section (company text, part 3) as a dict and as tables: work
orders, the share within their limits, labour hours, materials used by value, tools that came back
damaged or were lost (the figures: store/figures/backoffice.py)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import tzinfo
from typing import Any

from liyuan_tui.domain.i18n import Translator
from liyuan_tui.domain.work_orders import format_qty
from liyuan_tui.store.figures.backoffice import BackOffice, ToolIncident

from .tables import Said

__all__ = ["BackOffice", "ToolIncident", "back_office_dict", "back_office_tables"]


def back_office_dict(bo: BackOffice, tz: tzinfo) -> dict[str, Any]:
    return {
        "orders_opened": bo.opened,
        "orders_finished": bo.finished,
        "orders_cancelled": bo.cancelled,
        "arrive_due": bo.arrive_due,
        "arrived_within_limit": bo.arrive_within,
        "arrive_within_share": bo.arrive_share,
        "finish_due": bo.finish_due,
        "finished_within_limit": bo.finish_within,
        "finish_within_share": bo.finish_share,
        "labour_hours": bo.hours,
        "materials_used": [
            {
                "code": x.code,
                "name": x.name,
                "unit": x.unit,
                "used": x.used / 1000,
                "price": x.price_fen / 100,
                "value": x.value("used") / 100,
            }
            for x in bo.materials
        ],
        "materials_used_value": bo.materials_value / 100,
        "tools_damaged_or_lost": [
            {
                "code": x.code,
                "name": x.name,
                "condition": x.condition,
                "holder": x.holder,
                "returned_at": x.returned_at.astimezone(tz).isoformat(timespec="seconds"),
                "note": x.note,
            }
            for x in bo.tools
        ],
    }


Table = tuple[str, list[str], list[list[str]]]


def back_office_tables(
    cur: BackOffice, prev: BackOffice, t: Translator, share: Callable[[float | None], str], tz: tzinfo
) -> list[Table]:
    """The section as the month report's tables (Markdown, CSV and the screen alike)."""

    def money(fen: int) -> str:
        return f"{fen / 100:.2f}"

    overview = [
        [t("backoffice.opened"), str(cur.opened), str(prev.opened)],
        [t("backoffice.finished"), str(cur.finished), str(prev.finished)],
        [t("backoffice.cancelled"), str(cur.cancelled), str(prev.cancelled)],
        [t("backoffice.arrive_share"), share(cur.arrive_share), share(prev.arrive_share)],
        [t("backoffice.finish_share"), share(cur.finish_share), share(prev.finish_share)],
        [t("backoffice.hours"), f"{cur.hours:g}", f"{prev.hours:g}"],
        [t("backoffice.materials_value"), money(cur.materials_value), money(prev.materials_value)],
        [t("backoffice.tools_incidents"), str(len(cur.tools)), str(len(prev.tools))],
    ]
    out: list[Table] = [
        (
            t("backoffice.title"),
            [t("report.figure"), t("report.this_month"), t("report.previous_month")],
            overview,
        )
    ]
    out.append(
        (
            t("backoffice.materials"),
            [
                t("column.code"),
                t("column.material"),
                t("report.qty"),
                t("column.measure"),
                t("report.amount"),
            ],
            [
                [Said(x.code), Said(x.name), format_qty(x.used), Said(x.unit), money(x.value("used"))]
                for x in cur.materials
            ],
        )
    )
    out.append(
        (
            t("backoffice.tools"),
            [
                t("column.code"),
                t("column.tool"),
                t("column.condition"),
                t("column.holder"),
                t("backoffice.returned"),
                t("report.note"),
            ],
            [
                [
                    Said(x.code),
                    Said(x.name),
                    t(f"tool.condition.{x.condition}"),
                    Said(x.holder),
                    x.returned_at.astimezone(tz).strftime("%Y-%m-%d %H:%M"),
                    Said(x.note),
                ]
                for x in cur.tools
            ],
        )
    )
    return out

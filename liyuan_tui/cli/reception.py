"""`liyuan reception add|list`: the reception log (客户接待) — who came to the desk, about what,
which unit, who received them, the outcome, and the request it became."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from liyuan_tui.domain.desk_records import Reception

    from .context import Context


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    reception = sub.add_parser("reception", parents=[common], help="the reception log (visitors received)")
    rsub = reception.add_subparsers(
        dest="reception_command", metavar="ACTION", required=True, parser_class=type(reception)
    )
    p = rsub.add_parser("add", parents=[common], help="a visitor received by you, now")
    p.add_argument("--name", required=True, help="who came")
    p.add_argument("--purpose", required=True, help="what about")
    p.add_argument("--unit", default="", help="their unit")
    p.add_argument("--ref", default="", help="the request it became")
    p.add_argument("--outcome", default="", help="how it ended")
    p.set_defaults(handler=cmd_add)

    p = rsub.add_parser("list", parents=[common], help="visitors received, newest first")
    p.add_argument("--month", default=None, help="one month, YYYY-MM (local time)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_list)


def cmd_add(ctx: Context, args: argparse.Namespace) -> int:
    row = ctx.store.reception.add(
        name=args.name, purpose=args.purpose, unit=args.unit, ref=args.ref, outcome=args.outcome
    )
    print(ctx.t("desk.received", id=row.id, name=row.name), file=ctx.out)
    return 0


def reception_dict(r: Reception, tz: Any) -> dict[str, Any]:
    """One visitor (the `reception list --json` contract)."""
    from liyuan_tui.reports.export import iso

    return {
        "id": r.id,
        "at": iso(r.at, tz),
        "name": r.name,
        "purpose": r.purpose,
        "unit": r.unit,
        "received_by": r.received_by,
        "outcome": r.outcome,
        "ref": r.ref,
    }


def cmd_list(ctx: Context, args: argparse.Namespace) -> int:
    from liyuan_tui.domain.safe_text import safe_json
    from liyuan_tui.reports.month import Month

    tz = ctx.settings.tz
    month = Month.parse(args.month) if args.month else None  # checked before the database is opened
    rows = ctx.store.reception.listed(month.start(tz) if month else None, month.end(tz) if month else None)
    data = [reception_dict(r, tz) for r in rows]
    if args.json:
        print(safe_json(data, indent=2), file=ctx.out)
        return 0
    from rich.table import Table

    from .requests import cells, console

    t = ctx.t
    table = Table(title=t("desk.reception_title", count=len(rows)), title_justify="left")
    for key in ("at", "name", "purpose", "unit", "received_by", "outcome", "ref"):
        table.add_column(t(f"desk.column.{key}"), no_wrap=key != "purpose", overflow="fold")
    for d in data:
        table.add_row(
            *cells(
                (d["at"] or "")[:16].replace("T", " "),
                d["name"],
                d["purpose"],
                d["unit"],
                d["received_by"],
                d["outcome"],
                d["ref"] or "",
            )
        )
    console(ctx).print(table)
    return 0

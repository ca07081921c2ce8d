"""`liyuan stock add|in|use|count|list|report`: the materials ledger (进消存)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from liyuan_tui.domain import validation as check
from liyuan_tui.domain.safe_text import safe_json

if TYPE_CHECKING:
    from rich.console import JustifyMethod

    from liyuan_tui.domain.workshop import StockMove

    from .context import Context


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    stock = sub.add_parser(
        "stock", parents=[common], help="the materials ledger: catalogue, in, used, counted"
    )
    ssub = stock.add_subparsers(
        dest="stock_command", metavar="ACTION", required=True, parser_class=type(stock)
    )

    p = ssub.add_parser("add", parents=[common], help="add a material to the catalogue")
    p.add_argument("code", metavar="CODE")
    p.add_argument("--name", required=True)
    p.add_argument("--unit", required=True, help="what it is counted in (个, 米, 卷 …)")
    p.add_argument("--price", default="0", help="unit price in yuan (default 0)")
    p.set_defaults(handler=cmd_add)

    p = ssub.add_parser("in", parents=[common], help="stock received")
    p.add_argument("code", metavar="CODE")
    p.add_argument("qty", metavar="QTY")
    p.add_argument("--price", default=None, help="the unit price paid (yuan); the price from now on")
    p.add_argument("--note", default="")
    p.set_defaults(handler=cmd_in)

    p = ssub.add_parser("use", parents=[common], help="stock used, on a work order or with a reason")
    p.add_argument("code", metavar="CODE")
    p.add_argument("qty", metavar="QTY")
    why = p.add_mutually_exclusive_group(required=True)
    why.add_argument("--order", default=None, metavar="N", help="the work order it was used on")
    why.add_argument("--reason", default=None)
    p.set_defaults(handler=cmd_use)

    p = ssub.add_parser(
        "count", parents=[common], help="a stock-take: the quantity counted (the difference is recorded)"
    )
    p.add_argument("code", metavar="CODE")
    p.add_argument("qty", metavar="QTY")
    p.set_defaults(handler=cmd_count)

    p = ssub.add_parser("list", parents=[common], help="the catalogue with what is on hand")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_list)

    p = ssub.add_parser("report", parents=[common], help="the month's in / used / stock report (进消存报表)")
    p.add_argument("--month", required=True, help="YYYY-MM (local time)")
    p.add_argument("--format", choices=("md", "csv", "json", "xlsx"), default="md")
    from .reports import add_output

    add_output(p)
    p.set_defaults(handler=cmd_report)


def cmd_add(ctx: Context, args: argparse.Namespace) -> int:
    from liyuan_tui.domain.fees import format_yuan

    code, price = check.code(args.code), check.price_fen(args.price)
    m = ctx.store.stock.add_material(code, args.name, args.unit, args.price)
    print(
        ctx.t("cli.stock.added", code=m.code, name=m.name, unit=m.unit, price=format_yuan(price)),
        file=ctx.out,
    )
    return 0


def _moved(ctx: Context, code: str, kind: str, move: StockMove) -> int:
    from liyuan_tui.domain.work_orders import format_qty

    unit = ctx.store.stock.material(code).unit
    print(
        ctx.t(
            "cli.stock.moved",
            code=code,
            what=ctx.t(f"cli.stock.{kind}"),
            qty=format_qty(abs(move.delta_milli)),
            unit=unit,
            balance=format_qty(move.balance_milli),
        ),
        file=ctx.out,
    )
    return 0


def cmd_in(ctx: Context, args: argparse.Namespace) -> int:
    code, _ = check.code(args.code), check.quantity_milli(args.qty)
    if args.price is not None:
        check.price_fen(args.price)
    move = ctx.store.stock.receive(code, args.qty, price=args.price, note=args.note)
    return _moved(ctx, code, "in", move)


def cmd_use(ctx: Context, args: argparse.Namespace) -> int:
    code, _ = check.code(args.code), check.quantity_milli(args.qty)
    if args.order is not None:
        check.order_number(args.order)
    move = ctx.store.stock.use(code, args.qty, order=args.order, reason=args.reason or "")
    return _moved(ctx, code, "use", move)


def cmd_count(ctx: Context, args: argparse.Namespace) -> int:
    code, _ = check.code(args.code), check.quantity_milli(args.qty, allow_zero=True)
    move = ctx.store.stock.count(code, args.qty)
    return _moved(ctx, code, "count", move)


def cmd_list(ctx: Context, args: argparse.Namespace) -> int:
    from liyuan_tui.domain.fees import format_yuan
    from liyuan_tui.domain.work_orders import format_qty, qty_number, value_fen

    materials = ctx.store.stock.materials()
    if args.json:
        rows = [
            {
                "code": m.code,
                "name": m.name,
                "unit": m.unit,
                "price": m.price_fen / 100,
                "on_hand": qty_number(m.on_hand_milli),
                "value": value_fen(m.on_hand_milli, m.price_fen) / 100,
            }
            for m in materials
        ]
        print(safe_json(rows, indent=2), file=ctx.out)
        return 0
    from rich.table import Table

    from .requests import cells, console

    t = ctx.t
    table = Table(title=t("cli.stock.title", count=len(materials)), title_justify="left")
    columns: tuple[tuple[str, JustifyMethod], ...] = (
        ("code", "left"),
        ("material", "left"),
        ("measure", "left"),
        ("price", "right"),
        ("on_hand", "right"),
        ("value", "right"),
    )
    for key, justify in columns:
        table.add_column(t(f"column.{key}"), justify=justify, no_wrap=True)
    for m in materials:
        table.add_row(
            m.code,
            *cells(m.name, m.unit),
            format_yuan(m.price_fen),
            format_qty(m.on_hand_milli),
            format_yuan(value_fen(m.on_hand_milli, m.price_fen)),
        )
    console(ctx).print(table)
    return 0


def cmd_report(ctx: Context, args: argparse.Namespace) -> int:
    from liyuan_tui.reports.month import Month
    from liyuan_tui.reports.stock import render_stock, stock_report

    from .reports import check_output_for, emit

    month = Month.parse(args.month)  # checked before the database is opened
    check_output_for(ctx, args)
    # -o: as private as the other exports (0600; 0640 in a group folder)
    emit(ctx, render_stock(stock_report(ctx.store, month), args.format, ctx.t), args.output, args.force)
    return 0

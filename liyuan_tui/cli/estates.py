"""`liyuan estate add CODE --name N` · `estate list [--json]`: the estates one database serves."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from liyuan_tui.domain.safe_text import safe_json

if TYPE_CHECKING:
    from .context import Context


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    estate = sub.add_parser("estate", parents=[common], help="the estates this database serves")
    esub = estate.add_subparsers(
        dest="estate_command", metavar="ACTION", required=True, parser_class=type(estate)
    )
    p = esub.add_parser("add", parents=[common], help="add an estate (supervisors and the manager)")
    p.add_argument("code", metavar="CODE")
    p.add_argument("--name", required=True)
    p.set_defaults(handler=cmd_add)
    p = esub.add_parser("list", parents=[common], help="every estate")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_list)


def cmd_add(ctx: Context, args: argparse.Namespace) -> int:
    estate = ctx.store.estates.add_estate(args.code, args.name)
    print(ctx.t("cli.estate_added", code=estate.code, name=estate.name), file=ctx.out)
    return 0


def cmd_list(ctx: Context, args: argparse.Namespace) -> int:
    estates = ctx.store.estates.list_estates()
    if args.json:
        print(safe_json([{"code": e.code, "name": e.name} for e in estates], indent=2), file=ctx.out)
        return 0
    for e in estates:
        print(f"{e.code}\t{e.name}", file=ctx.out)
    return 0

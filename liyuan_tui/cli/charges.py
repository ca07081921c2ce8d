"""Subcommands for paid services (4.9): `liyuan fees` lists the schedule, `liyuan charge REF ITEM
[--qty N]` adds a charge to a request, priced from the schedule."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from liyuan_tui.domain import validation as check

if TYPE_CHECKING:
    from rich.console import JustifyMethod

    from liyuan_tui.domain.fees import FeeSchedule

    from .context import Context


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    p = sub.add_parser("fees", parents=[common], help="the paid-service fee schedule")
    p.set_defaults(handler=cmd_fees)

    p = sub.add_parser(
        "charge", parents=[common], help="charge a paid service on a request (priced from the schedule)"
    )
    p.add_argument("ref", metavar="REF")
    p.add_argument("item", metavar="ITEM", help="the item's code (see `liyuan fees`) or its name")
    p.add_argument(
        "--qty", default="1", help="how many of the item's unit (default 1; 1.5 for an hour and a half)"
    )
    p.set_defaults(handler=cmd_charge)


def schedule(ctx: Context) -> FeeSchedule:
    """The fee schedule in force: the site's published one (a user's own file only on a personal
    database: store/rules.py)."""
    return ctx.store.charges.fees


def cmd_fees(ctx: Context, args: argparse.Namespace) -> int:
    from rich.table import Table
    from rich.text import Text

    from liyuan_tui.domain.fees import format_yuan
    from liyuan_tui.domain.safe_text import visible

    from .requests import cells, console

    t, lang = ctx.t, ctx.settings.lang
    fees = schedule(ctx)
    if fees.example:
        # Said before the table and again in its caption: nobody should bill from made-up prices.
        print(t("fees.example_notice"), file=ctx.out)
    table = Table(
        title=Text(visible(f"{fees.title(lang)}  ({fees.source})", newlines=False)),
        title_justify="left",
        caption=t("fees.example_caption") if fees.example else None,
        caption_justify="left",
    )
    columns: tuple[tuple[str, JustifyMethod], ...] = (
        ("code", "left"),
        ("item", "left"),
        ("unit", "left"),
        ("price", "right"),
    )
    for key, justify in columns:
        table.add_column(t(f"fees.column_{key}"), justify=justify, no_wrap=True)
    for fee in fees.items:
        table.add_row(*cells(fee.code, fee.name(lang), fee.unit(lang), format_yuan(fee.price_fen)))
    console(ctx).print(table)
    return 0


def cmd_charge(ctx: Context, args: argparse.Namespace) -> int:
    from liyuan_tui.domain.fees import fee_for, format_yuan

    # Every argument is checked before anything is written: bad input writes nothing.
    ref = check.ref(args.ref)
    qty = check.quantity(args.qty)
    store = ctx.store
    fee = fee_for(schedule(ctx), args.item)
    charge = store.charges.add_charge(ref, fee.code, qty)
    lang = ctx.settings.lang
    print(
        ctx.t(
            "fees.charged",
            ref=ref,
            item=fee.name(lang),
            qty=f"{qty:g}",
            unit=fee.unit(lang),
            amount=format_yuan(charge.amount_cents),
            total=format_yuan(store.lookup.charges_total(ref)),
        ),
        file=ctx.out,
    )
    return 0

"""`liyuan order new|list|show|arrive|wait|finish|cancel|sheet|dispatch`: repair work orders (派工单)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from liyuan_tui.domain import validation as check
from liyuan_tui.domain.safe_text import safe_json

if TYPE_CHECKING:
    from .context import Context


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    order = sub.add_parser(
        "order", parents=[common], help="repair work orders: send someone on site for a request"
    )
    osub = order.add_subparsers(
        dest="order_command", metavar="ACTION", required=True, parser_class=type(order)
    )

    p = osub.add_parser(
        "new", parents=[common], help="a work order on a request, to a technician (prints its number)"
    )
    p.add_argument("ref", metavar="REF")
    p.add_argument("--to", required=True, help="the technician's login")
    p.add_argument("--at", default=None, help="the appointment (ISO 8601, or YYYY-MM-DD HH:MM local)")
    p.add_argument("--note", default="", help="what the technician is told")
    p.set_defaults(handler=cmd_new)

    p = osub.add_parser("list", parents=[common], help="work orders, newest first")
    p.add_argument("--mine", action="store_true", help="only the orders given to me")
    p.add_argument("--open", action="store_true", help="only orders not yet finished or cancelled")
    p.add_argument("--late", action="store_true", help="only open orders past their time limit")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_list)

    p = osub.add_parser("show", parents=[common], help="one work order with its events")
    p.add_argument("number", metavar="N")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_show)

    p = osub.add_parser(
        "arrive", parents=[common], help="the technician is on site (also back with the parts)"
    )
    p.add_argument("number", metavar="N")
    p.set_defaults(handler=cmd_arrive)

    for name, helptext, handler in (
        ("wait", "waiting for parts (待料), with what is missing", cmd_wait),
        ("cancel", "cancel the order (作废), kept on record", cmd_cancel),
    ):
        p = osub.add_parser(name, parents=[common], help=helptext)
        p.add_argument("number", metavar="N")
        p.add_argument("--reason", required=True)
        p.set_defaults(handler=handler)

    p = osub.add_parser(
        "finish", parents=[common], help="done: hours, materials used, the resident's sign-off"
    )
    p.add_argument("number", metavar="N")
    p.add_argument("--hours", required=True, help="labour hours (1.5 for an hour and a half)")
    p.add_argument(
        "--material",
        action="append",
        default=[],
        metavar="CODE=QTY",
        help="a material used, taken from stock (repeat for each)",
    )
    sign = p.add_mutually_exclusive_group()
    sign.add_argument("--signed-by", default="", metavar="NAME", help="the resident who signed")
    sign.add_argument("--not-home", action="store_true", help="nobody at home to sign")
    p.add_argument("--note", default="", help="what was done")
    p.set_defaults(handler=cmd_finish)

    p = osub.add_parser(
        "sheet", parents=[common], help="a printable work order (Markdown) for a paper signature"
    )
    p.add_argument("number", metavar="N")
    p.set_defaults(handler=cmd_sheet)

    p = osub.add_parser(
        "dispatch", parents=[common], help="give a waiting order to a technician, or hand it on"
    )
    p.add_argument("number", metavar="N")
    p.add_argument("--to", required=True, help="the technician's login")
    p.set_defaults(handler=cmd_dispatch)


def cmd_new(ctx: Context, args: argparse.Namespace) -> int:
    # Checked before the database is opened: bad input writes nothing.
    ref, to = check.ref(args.ref), check.login(args.to)
    at = check.parse_time(args.at, ctx.settings.tz, "appointment_at") if args.at else None
    check.plain(args.note, "note", newlines=True, max_len=check.MAX_TEXT)
    order = ctx.store.orders.create(ref, to, appointment=at, note=args.note)
    print(order.number, file=ctx.out)
    return 0


def cmd_list(ctx: Context, args: argparse.Namespace) -> int:
    from liyuan_tui.reports.work_orders import order_dict

    views = ctx.store.orders.list_orders(mine=args.mine, open_only=args.open, late=args.late)
    now, tz = ctx.clock.now(), ctx.settings.tz
    if args.json:
        print(safe_json([order_dict(v, now, tz) for v in views], indent=2), file=ctx.out)
        return 0
    from rich.table import Table

    from liyuan_tui.domain.work_orders import format_clock, order_seconds_left, order_urgency

    from .requests import cells, console

    t = ctx.t
    if not views:
        print(t("cli.order.none"), file=ctx.out)
        return 0
    table = Table(title=t("cli.order.title", count=len(views)), title_justify="left")
    for key in ("number", "ref", "unit", "technician", "state", "limit", "appointment"):
        table.add_column(t(f"column.{key}"), no_wrap=True)
    colours = {"warning": "yellow", "late": "bold red"}
    for v in views:
        o = v.order
        urgency = str(order_urgency(o, now))
        table.add_row(
            o.number,
            v.request.ref,
            *cells(v.request.unit),
            o.technician or "",
            t(f"order.state.{o.state}"),
            format_clock(order_seconds_left(o, now)),
            o.appointment_at.astimezone(tz).strftime("%m-%d %H:%M") if o.appointment_at else "",
            style=colours.get(urgency, ""),
        )
    console(ctx).print(table)
    return 0


def cmd_show(ctx: Context, args: argparse.Namespace) -> int:
    from liyuan_tui.reports.work_orders import order_dict

    view = ctx.store.orders.detail(check.order_number(args.number))
    data = order_dict(view, ctx.clock.now(), ctx.settings.tz, events=True)
    if args.json:
        print(safe_json(data, indent=2), file=ctx.out)
        return 0
    t = ctx.t
    lines = [f"{data['number']}  {data['ref']}  {t('order.state.' + data['state'])}  {data['unit']}"]
    for key in ("technician", "appointment_at", "arrived_at", "finished_at", "hours", "signed_by", "note"):
        if data.get(key) not in (None, ""):
            lines.append(f"  {t('field.' + key)}: {data[key]}")
    if data["not_home"]:
        lines.append(f"  {t('sheet.not_home')}")
    for m in data["materials"]:
        lines.append(f"  {t('field.material')}: {m['code']} × {m['qty']}")
    lines.append(t("cli.events"))
    for ev in data["events"]:
        payload = ", ".join(f"{k}={v}" for k, v in ev["payload"].items() if k != "order")
        lines.append(f"  {ev['at'][:19].replace('T', ' ')}  {ev['actor']:<12} {ev['kind']:<16} {payload}")
    from .reports import write_out

    write_out(ctx, "\n".join(_printable(line) for line in lines) + "\n")
    return 0


def _printable(line: str) -> str:
    """What a person or a file typed never reaches the terminal as a control sequence."""
    return "".join(ch if ch.isprintable() or ch == "\t" else "?" for ch in line)


def _said(ctx: Context, key: str, **params: object) -> int:
    print(ctx.t(key, **params), file=ctx.out)
    return 0


def cmd_arrive(ctx: Context, args: argparse.Namespace) -> int:
    order = ctx.store.orders.arrive(check.order_number(args.number))
    return _said(ctx, "cli.order.arrived", number=order.number)


def cmd_wait(ctx: Context, args: argparse.Namespace) -> int:
    number, reason = check.order_number(args.number), check.plain(args.reason, "reason", required=True)
    order = ctx.store.orders.wait(number, reason)
    return _said(ctx, "cli.order.waiting", number=order.number, reason=order.wait_reason)


def cmd_cancel(ctx: Context, args: argparse.Namespace) -> int:
    number, reason = check.order_number(args.number), check.plain(args.reason, "reason", required=True)
    return _said(ctx, "cli.order.cancelled", number=ctx.store.orders.cancel(number, reason).number)


def cmd_finish(ctx: Context, args: argparse.Namespace) -> int:
    number, _ = check.order_number(args.number), check.hours(args.hours)
    used = check.materials(args.material)
    order = ctx.store.orders.finish(
        number, args.hours, materials=used, signed_by=args.signed_by, not_home=args.not_home, note=args.note
    )
    return _said(ctx, "cli.order.finished", number=order.number)


def cmd_dispatch(ctx: Context, args: argparse.Namespace) -> int:
    number, to = check.order_number(args.number), check.login(args.to)
    order = ctx.store.orders.dispatch(number, to)
    return _said(ctx, "cli.order.dispatched", number=order.number, login=order.technician)


def cmd_sheet(ctx: Context, args: argparse.Namespace) -> int:
    from liyuan_tui.reports.work_orders import order_sheet

    from .reports import write_out

    store = ctx.store
    view = store.orders.detail(check.order_number(args.number))
    names = {s.login: s.name for s in store.staff.list_staff()}
    text = order_sheet(view, ctx.t, ctx.settings.tz, store.procedures, ctx.clock.now(), names)
    write_out(ctx, "\n".join(_printable(line) for line in text.splitlines()) + "\n")
    return 0

"""`liyuan staff add|list|deactivate|activate|role`: the staff list (supervisors and the manager);
`staff scorecard|train|assess|records` are in cli/staff_records.py."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from liyuan_tui.domain.safe_text import safe_json

if TYPE_CHECKING:
    from .context import Context


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    staff = sub.add_parser(
        "staff", parents=[common], help="the staff list: who may use the desk, in which role"
    )
    ssub = staff.add_subparsers(
        dest="staff_command", metavar="ACTION", required=True, parser_class=type(staff)
    )
    p = ssub.add_parser("add", parents=[common], help="add a staff member (their OS login)")
    p.add_argument("login", metavar="LOGIN")
    p.add_argument("--name", required=True)
    p.add_argument(
        "--role",
        required=True,
        help="assistant | cs_supervisor | manager | security_lead | guard | dept_staff | technician",
    )
    p.add_argument("--phone", default="")
    p.add_argument("--estate", default="main", help="the estate they work at (default: main)")
    p.set_defaults(handler=cmd_add)

    p = ssub.add_parser("list", parents=[common], help="everyone on the staff list")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_list)

    for name, active in (("deactivate", False), ("activate", True)):
        p = ssub.add_parser(name, parents=[common], help=f"{name} a login")
        p.add_argument("login", metavar="LOGIN")
        p.set_defaults(handler=cmd_set_active, active=active)

    p = ssub.add_parser("role", parents=[common], help="change a staff member's role")
    p.add_argument("login", metavar="LOGIN")
    p.add_argument("role", metavar="ROLE")
    p.set_defaults(handler=cmd_role)

    from .staff_records import register_staff

    register_staff(ssub, common)


def cmd_add(ctx: Context, args: argparse.Namespace) -> int:
    staff = ctx.store.staff.add_staff(args.login, args.name, args.role, args.phone, args.estate)
    print(ctx.t("cli.staff_added", login=staff.login, role=ctx.t("role." + staff.role)), file=ctx.out)
    return 0


def cmd_list(ctx: Context, args: argparse.Namespace) -> int:
    staff = ctx.store.staff.list_staff()
    if args.json:
        rows = [
            {
                "login": s.login,
                "name": s.name,
                "role": s.role,
                "phone": s.phone,
                "active": s.active,
                "estate": s.estate,
            }
            for s in staff
        ]
        print(safe_json(rows, indent=2), file=ctx.out)
        return 0
    from rich.table import Table

    from .requests import cells, console

    t = ctx.t
    table = Table(title_justify="left")
    for key in ("login", "name", "role", "phone", "active"):
        table.add_column(t(f"column.{key}"), no_wrap=True)
    for s in staff:
        table.add_row(*cells(s.login, s.name, t("role." + s.role), s.phone, "✓" if s.active else "—"))
    console(ctx).print(table)
    return 0


def cmd_set_active(ctx: Context, args: argparse.Namespace) -> int:
    staff = ctx.store.staff.update_staff(args.login, active=args.active)
    print(
        ctx.t("cli.staff_active" if staff.active else "cli.staff_inactive", login=staff.login), file=ctx.out
    )
    return 0


def cmd_role(ctx: Context, args: argparse.Namespace) -> int:
    staff = ctx.store.staff.update_staff(args.login, role=args.role)
    print(ctx.t("cli.staff_role", login=staff.login, role=ctx.t("role." + staff.role)), file=ctx.out)
    return 0

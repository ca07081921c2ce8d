"""`liyuan tools add|issue|return|list`: the register of repair tools (维修工具)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from liyuan_tui.domain import validation as check
from liyuan_tui.domain.safe_text import safe_json
from liyuan_tui.domain.vocabulary import TOOL_CONDITIONS

if TYPE_CHECKING:
    from .context import Context


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    tools = sub.add_parser(
        "tools", parents=[common], help="the register of repair tools: issued, held, returned"
    )
    tsub = tools.add_subparsers(
        dest="tools_command", metavar="ACTION", required=True, parser_class=type(tools)
    )

    p = tsub.add_parser("add", parents=[common], help="register a tool")
    p.add_argument("code", metavar="CODE")
    p.add_argument("--name", required=True)
    p.set_defaults(handler=cmd_add)

    p = tsub.add_parser("issue", parents=[common], help="issue a tool to a login (refused if it is out)")
    p.add_argument("code", metavar="CODE")
    p.add_argument("--to", required=True, help="who takes it (a login)")
    p.add_argument("--order", default=None, metavar="N", help="the work order it is for")
    p.add_argument("--due", default=None, help="when it is due back (ISO 8601, or YYYY-MM-DD HH:MM local)")
    p.set_defaults(handler=cmd_issue)

    p = tsub.add_parser(
        "return", parents=[common], help="a tool given back, in the condition it came back in"
    )
    p.add_argument("code", metavar="CODE")
    p.add_argument("--condition", default="ok", help=" | ".join(TOOL_CONDITIONS))
    p.add_argument("--note", default="")
    p.set_defaults(handler=cmd_return)

    p = tsub.add_parser("list", parents=[common], help="every tool, who holds it and until when")
    p.add_argument("--out", action="store_true", help="only tools issued and not yet returned")
    p.add_argument("--overdue", action="store_true", help="only tools out past their due time")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_list)


def cmd_add(ctx: Context, args: argparse.Namespace) -> int:
    tool = ctx.store.tools.add_tool(check.code(args.code), args.name)
    print(ctx.t("cli.tools.added", code=tool.code, name=tool.name), file=ctx.out)
    return 0


def cmd_issue(ctx: Context, args: argparse.Namespace) -> int:
    code, to = check.code(args.code), check.login(args.to)
    order = check.order_number(args.order) if args.order else None
    due = check.parse_time(args.due, ctx.settings.tz, "due_at") if args.due else None
    loan = ctx.store.tools.issue(code, to, order=order, due=due)
    print(ctx.t("cli.tools.issued", code=code, login=loan.holder), file=ctx.out)
    return 0


def cmd_return(ctx: Context, args: argparse.Namespace) -> int:
    code = check.code(args.code)
    condition = check.choice(args.condition, "condition", TOOL_CONDITIONS)
    ctx.store.tools.give_back(code, condition, args.note)
    print(
        ctx.t("cli.tools.returned", code=code, condition=ctx.t(f"tool.condition.{condition}")), file=ctx.out
    )
    return 0


def cmd_list(ctx: Context, args: argparse.Namespace) -> int:
    from liyuan_tui.reports.work_orders import tool_dict

    views = ctx.store.tools.list_tools(out=args.out, overdue=args.overdue)
    now, tz = ctx.clock.now(), ctx.settings.tz
    if args.json:
        print(safe_json([tool_dict(v, now, tz) for v in views], indent=2), file=ctx.out)
        return 0
    from rich.table import Table

    from .requests import cells, console

    t = ctx.t
    table = Table(title=t("cli.tools.title", count=len(views)), title_justify="left")
    for key in ("code", "tool", "condition", "holder", "order", "due"):
        table.add_column(t(f"column.{key}"), no_wrap=True)
    for v in views:
        due = v.loan.due_at.astimezone(tz).strftime("%m-%d %H:%M") if v.loan and v.loan.due_at else ""
        late = v.overdue(now)
        table.add_row(
            v.tool.code,
            *cells(v.tool.name),
            t(f"tool.condition.{v.tool.condition}"),
            v.tool.holder or t("cli.tools.in_store"),
            v.order or "",
            due + (f" {t('cli.tools.overdue')}" if late else ""),
            style="bold red" if late else "",
        )
    console(ctx).print(table)
    return 0

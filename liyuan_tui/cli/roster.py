"""`liyuan roster add|list|now|remove`: the duty roster (值班表) — who is the duty supervisor, the
duty manager and the security duty lead for each shift, each with a backup, in the site's local
time (a night shift crosses midnight as typed)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from liyuan_tui.domain.pager import DUTIES
from liyuan_tui.domain.safe_text import safe_json

if TYPE_CHECKING:
    from liyuan_tui.domain.paging import DutyShift

    from .context import Context


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    roster = sub.add_parser("roster", parents=[common], help="the duty roster: who is on duty, with backups")
    rsub = roster.add_subparsers(
        dest="roster_command", metavar="ACTION", required=True, parser_class=type(roster)
    )

    p = rsub.add_parser("add", parents=[common], help="put someone on duty (or as the backup) for a shift")
    p.add_argument("login", metavar="LOGIN")
    p.add_argument("--as", dest="duty", required=True, help=" | ".join(DUTIES))
    p.add_argument("--from", dest="starts", required=True, help="YYYY-MM-DDTHH:MM, the site's local time")
    p.add_argument("--to", dest="ends", required=True, help="YYYY-MM-DDTHH:MM, the site's local time")
    p.add_argument(
        "--backup", action="store_true", help="the backup, paged when the one on duty does not answer"
    )
    p.set_defaults(handler=cmd_add)

    p = rsub.add_parser("list", parents=[common], help="the shifts under way and to come")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_list)

    p = rsub.add_parser("now", parents=[common], help="who is on duty now (whom a page reaches)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_now)

    p = rsub.add_parser("remove", parents=[common], help="take a shift off the roster (kept on record)")
    p.add_argument("id", metavar="ID")
    p.set_defaults(handler=cmd_remove)


def cmd_add(ctx: Context, args: argparse.Namespace) -> int:
    shift = ctx.store.roster.add(args.login, args.duty, args.starts, args.ends, backup=args.backup)
    tz = ctx.settings.tz
    print(
        ctx.t(
            "cli.roster.added_backup" if shift.backup else "cli.roster.added",
            id=shift.id,
            login=shift.login,
            duty=ctx.t(f"duty.{shift.duty}"),
            starts=f"{shift.starts_at.astimezone(tz):%Y-%m-%d %H:%M}",
            ends=f"{shift.ends_at.astimezone(tz):%Y-%m-%d %H:%M}",
        ),
        file=ctx.out,
    )
    return 0


def cmd_remove(ctx: Context, args: argparse.Namespace) -> int:
    shift = ctx.store.roster.remove(args.id)
    print(ctx.t("cli.roster.removed", id=shift.id, login=shift.login), file=ctx.out)
    return 0


def shift_dict(
    ctx: Context, shift: DutyShift | None, *, duty: str, login: str, name: str, backup: bool
) -> dict[str, Any]:
    """One row of `roster list --json` / `roster now --json`."""
    from liyuan_tui.reports.export import iso

    tz, now = ctx.settings.tz, ctx.clock.now()
    return {
        "id": shift.id if shift is not None else None,
        "duty": duty,
        "login": login,
        "name": name,
        "backup": backup,
        "from": iso(shift.starts_at, tz) if shift is not None else None,
        "to": iso(shift.ends_at, tz) if shift is not None else None,
        "on_duty": shift is None or shift.starts_at <= now < shift.ends_at,
        "rostered": shift is not None,
    }


def cmd_list(ctx: Context, args: argparse.Namespace) -> int:
    names = {s.login: s.name for s in ctx.store.staff.list_staff()}
    rows = [
        shift_dict(ctx, s, duty=s.duty, login=s.login, name=names.get(s.login, ""), backup=s.backup)
        for s in ctx.store.roster.shifts()
    ]
    if args.json:
        print(safe_json(rows, indent=2), file=ctx.out)
        return 0
    if not rows:
        print(ctx.t("cli.roster.empty"), file=ctx.out)
        return 0
    print_rows(ctx, ctx.t("cli.roster.title", count=len(rows)), rows, with_id=True)
    return 0


def cmd_now(ctx: Context, args: argparse.Namespace) -> int:
    rows = [
        shift_dict(ctx, d.shift, duty=d.duty, login=d.login, name=d.name, backup=d.backup)
        for d in ctx.store.roster.now()
    ]
    if args.json:
        print(safe_json(rows, indent=2), file=ctx.out)
        return 0
    at = ctx.clock.now().astimezone(ctx.settings.tz)
    print_rows(ctx, ctx.t("cli.roster.now_title", at=f"{at:%Y-%m-%d %H:%M}"), rows, with_id=False)
    missing = [d for d in DUTIES if not any(r["duty"] == d and not r["backup"] for r in rows)]
    for duty in missing:
        print(ctx.t("cli.roster.nobody", duty=ctx.t(f"duty.{duty}")), file=ctx.out)
    return 0


def print_rows(ctx: Context, title: str, rows: list[dict[str, Any]], *, with_id: bool) -> None:
    from rich.table import Table

    from .requests import cells, console

    t = ctx.t
    table = Table(title=title, title_justify="left")
    keys = (["id"] if with_id else []) + ["duty", "who", "from", "to"]
    for key in keys:
        table.add_column(t(f"cli.roster.column.{key}"), no_wrap=True)
    for r in rows:
        duty = t(f"duty.{r['duty']}") + (f" ({t('cli.roster.backup')})" if r["backup"] else "")
        who = f"{r['name']} ({r['login']})" if r["name"] else r["login"]
        when = [(r[k] or "")[:16].replace("T", " ") for k in ("from", "to")]
        if not r["rostered"]:
            when = [t("cli.roster.without_roster"), ""]
        table.add_row(*cells(*(([r["id"]] if with_id else []) + [duty, who, *when])))
    console(ctx).print(table)

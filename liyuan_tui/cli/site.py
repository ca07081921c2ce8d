"""`liyuan site init`: set a site up once, as its administrator. With `--db postgresql:///…`, the
database (created if missing), its schema, the roles the server enforces and the first supervisor.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from liyuan_tui.domain.errors import ValidationError

if TYPE_CHECKING:
    from .context import Context


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("site", parents=[common], help="set up the desk for a site (administrators)")
    site = p.add_subparsers(dest="site_command", metavar="ACTION", parser_class=type(p))
    init = site.add_parser("init", parents=[common], help="the database, its roles and the first supervisor")
    init.add_argument("--supervisor", required=True, help="the login of the first supervisor")
    init.add_argument("--name", default="", help="the supervisor's name")
    init.set_defaults(handler=cmd_site_init)


def cmd_site_init(ctx: Context, args: argparse.Namespace) -> int:
    from liyuan_tui.store.engine import is_postgres
    from liyuan_tui.store.postgres_site import init_site

    if not is_postgres(ctx.settings.db_url):
        raise ValidationError("error.site_needs_postgres", "db")
    ready = init_site(ctx.settings.db_url, args.supervisor, ctx.clock, ctx.procedures, ctx.settings.tz, args.name)
    t = ctx.t
    if ready.created_database:
        print(t("cli.site_database", database=ready.database), file=ctx.out)
    print(t("cli.site_roles", database=ready.database), file=ctx.out)
    if ready.added_supervisor:
        print(t("cli.site_supervisor", login=ready.supervisor), file=ctx.out)
    return 0

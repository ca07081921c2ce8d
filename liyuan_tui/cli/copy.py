"""`liyuan copy --to URL`: move a SQLite site into an empty PostgreSQL database (administrators)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from liyuan_tui.domain.errors import ValidationError

if TYPE_CHECKING:
    from .context import Context


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    p = sub.add_parser(
        "copy",
        parents=[common],
        help="copy this SQLite database into an empty PostgreSQL one (ids and times kept)",
    )
    p.add_argument(
        "--to", required=True, metavar="URL", help="the PostgreSQL database, e.g. postgresql:///liyuan"
    )
    p.set_defaults(handler=cmd_copy)


def cmd_copy(ctx: Context, args: argparse.Namespace) -> int:
    from liyuan_tui.store.urls import is_postgres, shown_url

    source = ctx.settings.db_path
    if source is None or not source.exists():
        raise ValidationError("error.copy_needs_sqlite", "db")
    if not is_postgres(args.to):
        raise ValidationError("error.copy_needs_postgres", "to")
    if not ctx.settings.os_root:  # root (the administrator) copies any file; others, its supervisors
        ctx.store.ready()  # a supervisor of the site being copied
        me = ctx.me
        if me.role not in ("cs_supervisor", "manager"):
            raise ValidationError("error.copy_not_allowed", "to", role=me.role)
    from .progress import progress

    rows = ctx.store.site.row_counts()
    finished: dict[str, int] = {}

    with progress(ctx, ctx.t("cli.progress.copy"), total=sum(rows.values())) as told:

        def copying(table: str, done: int, of: int) -> None:
            finished[table] = done
            told(sum(finished.values()))

        copied = ctx.store.site.copy_to(args.to, progress=copying)
    t = ctx.t
    for table, count in copied.counts.items():
        print(f"{table:<14} {count}", file=ctx.out)
    print(t("cli.copy_done", target=shown_url(args.to), rows=sum(copied.counts.values())), file=ctx.out)
    return 0

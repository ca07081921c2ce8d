"""`liyuan backup FILE`: an online, consistent copy of the database while terminals keep working."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import TYPE_CHECKING

from liyuan_tui.domain.config import expand
from liyuan_tui.domain.errors import ValidationError

if TYPE_CHECKING:
    from .context import Context


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    p = sub.add_parser("backup", parents=[common], help="copy the database safely while the desk is in use")
    p.add_argument("file", metavar="FILE")
    p.set_defaults(handler=cmd_backup)


def cmd_backup(ctx: Context, args: argparse.Namespace) -> int:
    from liyuan_tui.store.urls import sqlite_path

    source = sqlite_path(ctx.settings.db_url)
    target = expand(args.file)
    if os.path.lexists(target):  # a dangling symlink too: never written through
        raise ValidationError("error.backup_exists", "file", path=target)
    if not target.parent.is_dir():
        raise ValidationError("error.backup_folder", "file", path=target.parent)
    if source is None:
        return dump_server(ctx, target)
    from .progress import progress

    ctx.store.role_in_any_release()  # the user must be on the staff list (of any release's file)
    try:
        with progress(ctx, ctx.t("cli.progress.backup")) as done:
            ok = ctx.store.site.back_up_file(target, done)
    except FileExistsError:
        raise ValidationError("error.backup_exists", "file", path=target) from None
    print(ctx.t("cli.backup_done", path=target, result=ok), file=ctx.out)
    return 0 if ok == "ok" else 1


def dump_server(ctx: Context, target: Path) -> int:
    """PostgreSQL: `pg_dump` in its custom format (restore with `pg_restore`), into a new file."""
    from liyuan_tui.store.urls import is_postgres

    if not is_postgres(ctx.settings.db_url):
        raise ValidationError("error.backup_not_sqlite", "db")
    from .progress import progress

    role = ctx.store.site.backup_role()  # the user must be on the staff list; on a site, a supervisor
    with progress(ctx, ctx.t("cli.progress.backup")):  # pg_dump says nothing of how far it is: time so far
        ctx.store.site.dump(target, role)
    print(ctx.t("cli.backup_dumped", path=target), file=ctx.out)
    return 0

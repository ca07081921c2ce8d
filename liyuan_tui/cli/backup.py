"""`liyuan backup FILE`: an online, consistent copy of the database while terminals keep working."""

from __future__ import annotations

import argparse
import os
from typing import TYPE_CHECKING

from liyuan_tui.domain.config import expand
from liyuan_tui.domain.errors import ValidationError

if TYPE_CHECKING:
    from .context import Context


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("backup", parents=[common], help="copy the database safely while the desk is in use")
    p.add_argument("file", metavar="FILE")
    p.set_defaults(handler=cmd_backup)


def cmd_backup(ctx: Context, args: argparse.Namespace) -> int:
    from liyuan_tui.store.engine import sqlite_path

    source = sqlite_path(ctx.settings.db_url)
    if source is None:
        raise ValidationError("error.backup_not_sqlite", "db")
    target = expand(args.file)
    if os.path.lexists(target):  # a dangling symlink too: never written through
        raise ValidationError("error.backup_exists", "file", path=target)
    if not target.parent.is_dir():
        raise ValidationError("error.backup_folder", "file", path=target.parent)
    from liyuan_tui.store.backup import copy_database

    ctx.store.kernel.role_in_any_release()  # the user must be on the staff list (of any release's file)
    try:
        ok = copy_database(source, target)
    except FileExistsError:
        raise ValidationError("error.backup_exists", "file", path=target) from None
    print(ctx.t("cli.backup_done", path=target, result=ok), file=ctx.out)
    return 0 if ok == "ok" else 1

"""`liyuan migrate`: bring the database up to this release (a copy is made first on SQLite)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .context import Context


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    p = sub.add_parser(
        "migrate",
        parents=[common],
        help="upgrade the database to this release (supervisors; SQLite is copied first)",
    )
    p.set_defaults(handler=cmd_migrate)


def cmd_migrate(ctx: Context, args: argparse.Namespace) -> int:
    from liyuan_tui.store.publishing import RulesFiles

    rules = RulesFiles.read(
        ctx.settings.procedures_dir, ctx.settings.fees_file, ctx.settings.answers_dir
    )  # checked first

    from .progress import progress

    with progress(ctx, ctx.t("cli.progress.migrate")) as told:
        done = ctx.store.site.migrate(progress=told, rules=rules)
    t = ctx.t
    if done.before == done.after:
        print(t("cli.migrate_current", revision=done.after), file=ctx.out)
        return 0
    if done.backup is not None:
        print(t("cli.migrate_backup", path=done.backup), file=ctx.out)
    print(t("cli.migrate_done", before=done.before or "-", after=done.after), file=ctx.out)
    return 0

"""`liyuan` (no subcommand) opens the desk; `liyuan demo` opens it on a fresh demo database."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .context import Context


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    p = sub.add_parser(
        "demo", parents=[common], help="open the desk on a fresh demo database (a night of requests)"
    )
    p.set_defaults(handler=cmd_demo)


def open_desk(ctx: Context, args: argparse.Namespace) -> int:
    from liyuan_tui.app import run_app
    from liyuan_tui.store.opening import OpenedStore

    opened = OpenedStore.of(ctx.store)  # identify the user before the screen takes over the terminal

    return run_app(opened, ctx.settings, ctx.clock)


def cmd_demo(ctx: Context, args: argparse.Namespace) -> int:
    from .demo import build_demo, demo_settings

    settings = demo_settings(ctx.settings)
    build_demo(settings, ctx.clock)
    ctx.use(settings)
    return open_desk(ctx, args)

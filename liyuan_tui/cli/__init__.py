"""The command line: `liyuan` and its subcommands (main.py), one module per command area."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TextIO

from liyuan_tui.domain.clock import Clock, SystemClock


def main(
    argv: Sequence[str] | None = None,
    clock: Clock | None = None,
    *,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """`liyuan ARGV` (main.main). A desk opened on a terminal first draws its queue from what is
    cheap to read (widgets/first_frame.py), before the rest of the desk is imported: the ORM,
    the store and Textual are most of its start-up."""
    if clock is None and out is None and err is None:
        from .options import desk_settings

        settings = desk_settings(argv)
        if settings is not None:  # (a subcommand imports nothing more here)
            from liyuan_tui.widgets import first_frame

            first_frame.show(settings, SystemClock().now())
    from .main import main as run

    globals()["main"] = _main  # (importing the module main.py bound this package's `main` to it)
    return run(argv, clock, out=out, err=err)


_main = main

__all__ = ["main"]

"""The command line: `liyuan` and its subcommands (main.py), one module per command area."""

from __future__ import annotations

import sys
import types
from collections.abc import Sequence
from typing import Any, TextIO

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

    return run(argv, clock, out=out, err=err)


class _Package(types.ModuleType):
    """This package, whose `main` stays the function above: importing the module main.py (which is
    no longer imported with the package, so that a desk can draw its first frame before it) would
    otherwise bind the package's `main` to that module, as Python does for every submodule."""

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "main" and isinstance(value, types.ModuleType):
            return  # (the module is sys.modules["liyuan_tui.cli.main"], as for `from .main import …`)
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package

__all__ = ["main"]

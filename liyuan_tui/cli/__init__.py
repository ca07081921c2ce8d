"""The command line: `liyuan` and its subcommands (main.py), one module per command area."""

from .main import main

__all__ = ["main"]

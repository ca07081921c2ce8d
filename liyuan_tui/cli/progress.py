"""Long work shows its progress: on a terminal, a bar with the count done and the time left
(Rich's progress, on stderr, gone when the work is done); on a pipe, with `--json`, or with
LIYUAN_NO_PROGRESS set, nothing extra at all. ctrl+c stops the work: what it writes is one
transaction or a file written aside and renamed, so nothing is left half-written.

    with progress(ctx, ctx.t("cli.progress.import"), total=lines) as done:
        store.imports.import_history(parsed, progress=done)      # done(n) or done(n, total)

Every long command uses it: import, residents import, backup, report, copy and migrate.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, BinaryIO

if TYPE_CHECKING:
    from .context import Context

Done = Callable[..., None]  # done(completed, total=None)


def shows_progress(ctx: Context, quiet: bool = False) -> bool:
    """Whether a bar goes to this command's terminal (never into a pipe or a file)."""
    stream = ctx.raw_err
    return (
        not quiet
        and not os.environ.get("LIYUAN_NO_PROGRESS")
        and bool(getattr(stream, "isatty", lambda: False)())
    )


@contextmanager
def progress(ctx: Context, label: str, total: int | None = None, *, quiet: bool = False) -> Iterator[Done]:
    """Yields `done(completed, total=None)`: how much of the work is done (a count of `total`,
    which may be given or corrected as the work learns it)."""
    if not shows_progress(ctx, quiet):
        yield lambda completed, total=None: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    # Rich's own escape codes go to the terminal as they are (the escaping stream would print them
    # as text); what the bar shows is the desk's own label and counts.
    console = Console(file=ctx.raw_err, stderr=True)
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn(ctx.t("cli.progress.left")),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task(label, total=total)

        def done(completed: int, total: int | None = None) -> None:
            if total is not None:
                bar.update(task, total=total)
            bar.update(task, completed=completed)

        yield done


def count_lines(source: str | os.PathLike[str] | BinaryIO, chunk: int = 1 << 20) -> int:
    """Lines in a file (a CSV's rows and header), read in chunks: the total a progress bar counts
    to. `source` is a path, or a binary file already open (read to its end)."""
    if isinstance(source, (str, os.PathLike)):
        with open(source, "rb") as f:
            return count_lines(f, chunk)
    lines = 0
    while block := source.read(chunk):
        lines += block.count(b"\n")
    return lines

"""`liyuan import FILE.csv` (history from a paper or Excel logbook) and
`liyuan residents import FILE.csv` (the customer archive). Columns: docs/import.md."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from liyuan_tui.domain.safe_text import visible

if TYPE_CHECKING:
    from liyuan_tui.domain.imports import Parsed, RowProblem

    from .context import Context

EXIT_USAGE = 2


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    p = sub.add_parser(
        "import", parents=[common], help="load history from a logbook CSV (supervisors and the manager)"
    )
    p.add_argument("file", metavar="FILE.csv")
    p.add_argument("--skip-bad", action="store_true", help="import the good rows even if some are bad")
    p.set_defaults(handler=cmd_import_history)

    residents = sub.add_parser("residents", parents=[common], help="the customer archive")
    rsub = residents.add_subparsers(
        dest="residents_command", metavar="ACTION", required=True, parser_class=type(residents)
    )
    p = rsub.add_parser(
        "import", parents=[common], help="load residents from a CSV (unit, name, phones, notes)"
    )
    p.add_argument("file", metavar="FILE.csv")
    p.add_argument("--skip-bad", action="store_true", help="import the good rows even if some are bad")
    p.set_defaults(handler=cmd_import_residents)

    from .households import register_residents

    register_residents(rsub, common)  # residents show | edit: the household file


MAX_IMPORT_MB = 64  # a site's whole logbook is a few MB; /dev/zero or a pipe would never end


def _open(path: str) -> BinaryIO:
    """The file, opened to be read as the import goes (never all of it in memory at once): a
    regular file of at most MAX_IMPORT_MB, refused before anything is read if it is a FIFO or a
    device (which would hang, or never end)."""
    from liyuan_tui.reports.files import open_regular

    return open_regular(path, MAX_IMPORT_MB * 1024 * 1024)


def _report_problems(ctx: Context, prog: str, problems: Iterable[RowProblem]) -> None:
    for p in problems:
        print(f"{prog}: {visible(p.text(ctx.t), newlines=False)}", file=ctx.err)


def _run(
    ctx: Context,
    args: argparse.Namespace,
    prog: str,
    label: str,
    parse: Callable[[BinaryIO], Parsed[Any]],
    action: Callable[..., Any],
) -> int:
    from liyuan_tui.domain.errors import ValidationError

    try:
        return _import(ctx, args, prog, label, parse, action)
    except BrokenPipeError:
        raise  # the reader of our output went away: main() ends quietly
    except OSError as exc:  # a file that fails as it is read (`/proc/self/mem`): named, one line
        raise ValidationError(
            "import.unreadable", "file", path=args.file, reason=exc.strerror or str(exc)
        ) from None


def _import(
    ctx: Context,
    args: argparse.Namespace,
    prog: str,
    label: str,
    parse: Callable[[BinaryIO], Parsed[Any]],
    action: Callable[..., Any],
) -> int:
    from liyuan_tui.store.imports import ImportRejected

    from .progress import count_lines, progress

    with _open(args.file) as stream:
        total = count_lines(stream)
        stream.seek(0)
        parsed = parse(stream)
        try:
            with progress(ctx, ctx.t(label), total) as done:
                result = action(parsed, skip_bad=args.skip_bad, source=Path(args.file).name, progress=done)
        except ImportRejected as exc:
            _report_problems(ctx, prog, exc.problems)
            hint = "import.rejected_fatal" if parsed.fatal else "import.rejected"
            print(f"{prog}: {ctx.t(hint, count=len({p.line for p in exc.problems}))}", file=ctx.err)
            return EXIT_USAGE
    if result.skipped_lines:
        _report_problems(ctx, prog, parsed.problems)
    print(
        ctx.t(
            "import.done", imported=result.imported, updated=result.updated, skipped=len(result.skipped_lines)
        ),
        file=ctx.out,
    )
    if result.refs:
        print(ctx.t("import.refs", first=result.refs[0], last=result.refs[-1]), file=ctx.out)
    return 0


def cmd_import_history(ctx: Context, args: argparse.Namespace) -> int:
    from liyuan_tui.domain.imports import parse_history

    store = ctx.store
    now = ctx.clock.now()
    return _run(
        ctx,
        args,
        "liyuan import",
        "cli.progress.import",
        lambda data: parse_history(data, store.procedures, ctx.settings.tz, now),
        store.imports.import_history,
    )


def cmd_import_residents(ctx: Context, args: argparse.Namespace) -> int:
    from liyuan_tui.domain.imports import parse_residents

    return _run(
        ctx,
        args,
        "liyuan residents import",
        "cli.progress.residents",
        parse_residents,
        ctx.store.imports.import_residents,
    )

"""`liyuan report --month YYYY-MM [--format md|csv|json]` and `liyuan analysis`; `liyuan handover`
is in cli/handover.py."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from liyuan_tui.domain import validation as check
from liyuan_tui.reports.files import write_export

if TYPE_CHECKING:
    from .context import Context

EXPORT_FORMATS = ("md", "csv", "json", "xlsx")  # the month report, the scorecard, the stock report


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    p = sub.add_parser(
        "report",
        parents=[common],
        help="month-end statistics, analysis and summary (supervisors and the manager)",
    )
    p.add_argument("--month", required=True, help="the month, YYYY-MM (local time)")
    p.add_argument(
        "--format",
        choices=EXPORT_FORMATS,
        default="md",
        help="md (prints well), csv (opens in Excel), xlsx (a spreadsheet: give -o FILE), "
        "json (every figure, for programs)",
    )
    add_output(p)
    p.add_argument(
        "--estate",
        default=None,
        help="one estate's requests, or `all` for every estate side by side (default: every estate together)",
    )
    p.set_defaults(handler=cmd_report)

    from .handover import register_handover

    register_handover(sub, common)
    register_analysis(sub, common)


def cmd_report(ctx: Context, args: argparse.Namespace) -> int:
    from liyuan_tui.reports.month import Month, month_report
    from liyuan_tui.reports.month_render import render

    from .progress import progress

    month = Month.parse(args.month)  # checked before the database is opened
    estate = (
        None if args.estate is None else (args.estate if args.estate == "all" else check.estate(args.estate))
    )
    check_output_for(ctx, args)
    with progress(ctx, ctx.t("cli.progress.report"), quiet=args.format == "json" and not args.output) as done:
        report = month_report(ctx.store, month, estate=estate, progress=done)
    emit(ctx, render(report, args.format, ctx.t, ctx.store.procedures), args.output, args.force)
    return 0


def add_output(p: argparse.ArgumentParser) -> None:
    p.add_argument("--output", "-o", default=None, help="write to this file instead of the screen")
    p.add_argument("--force", action="store_true", help="replace the --output file if it exists")


def emit(ctx: Context, text: str | bytes, output: str | None, force: bool = False) -> None:
    """A report's text to the file named by -o (an existing one replaced only with --force, by a
    new private file renamed over it), or to the screen (a workbook's bytes: to a pipe or a
    redirect only, see check_output_for)."""
    if output:
        # As private as the database (0600; 0640 in a group folder); the CSV keeps its CRLF and BOM.
        written = write_export(Path(output), text, overwrite=force, field="output")
        print(ctx.t("report.written_to", path=str(written)), file=ctx.err)
    elif isinstance(text, bytes):
        ctx.raw_out.flush()
        ctx.raw_out.buffer.write(text)
        ctx.raw_out.buffer.flush()
    else:
        write_out(ctx, text if text.endswith("\n") else text + "\n")


def check_output_for(ctx: Context, args: argparse.Namespace) -> None:
    """-o checked (below), and a workbook is never poured onto a terminal: it needs -o FILE or a
    redirect. Said before the work."""
    from liyuan_tui.domain.errors import DeskError

    if args.output:
        check_output(Path(args.output), args.force)
    elif args.format == "xlsx" and (
        getattr(ctx.raw_out, "buffer", None) is None or getattr(ctx.raw_out, "isatty", lambda: False)()
    ):
        raise DeskError("error.xlsx_needs_file", "output")


def check_output(path: Path, force: bool = False) -> None:
    """`-o` must name a file in a folder that exists, and one that does not exist yet unless
    --force; never a FIFO or a device (said before the report is computed)."""
    import os
    import stat

    from liyuan_tui.domain.errors import DeskError

    if path.is_dir():
        raise DeskError("screens.export.is_folder", "output", path=str(path))
    if not (path.parent if str(path.parent) else Path(".")).is_dir():
        raise DeskError("screens.export.no_folder", "output", path=str(path.parent))
    if os.path.lexists(path):
        if not force:
            raise DeskError("error.output_exists", "output", path=str(path))
        mode = os.lstat(path).st_mode
        if not (stat.S_ISREG(mode) or stat.S_ISLNK(mode)):
            raise DeskError("error.special_file", "output", path=str(path))


def write_out(ctx: Context, text: str) -> None:
    """UTF-8 whatever the locale says, so Chinese and the CSV's BOM survive a pipe or redirect."""
    out = ctx.raw_out  # the document's cells are already safe (tables.py): CRLF and BOM stay as they are
    buffer = getattr(out, "buffer", None)
    if buffer is not None:
        out.flush()
        buffer.write(text.encode("utf-8", errors="surrogateescape"))
        buffer.flush()
    else:
        out.write(text)


def register_analysis(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    p = sub.add_parser(
        "analysis",
        parents=[common],
        help="write the supervisor's own analysis of a month (added to its report, with who and when)",
    )
    p.add_argument("--month", required=True, help="the month, YYYY-MM (local time)")
    text = p.add_mutually_exclusive_group(required=True)
    text.add_argument("--text", help="the analysis (an empty text withdraws it)")
    text.add_argument("--file", help="read the analysis from this UTF-8 file ('-' for standard input)")
    p.set_defaults(handler=cmd_analysis)


def cmd_analysis(ctx: Context, args: argparse.Namespace) -> int:
    import sys

    from liyuan_tui.domain.errors import ValidationError

    if args.file is not None:
        # Never more than an analysis may hold (a device such as /dev/full would never end).
        limit = check.MAX_ANALYSIS * 4 + 1  # bytes: UTF-8 takes at most four a character
        try:
            if args.file == "-":
                stream = getattr(sys.stdin, "buffer", None)
                data = stream.read(limit) if stream is not None else sys.stdin.read(limit).encode("utf-8")
            else:
                from liyuan_tui.reports.files import open_regular

                with open_regular(args.file, 1 << 30) as f:  # (never a FIFO or a device)
                    data = f.read(limit)
            if len(data) >= limit:
                raise ValidationError("error.too_long", "analysis", max=check.MAX_ANALYSIS)
            text = data.decode("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ValidationError(
                "import.unreadable", "file", path=args.file, reason=getattr(exc, "strerror", None) or str(exc)
            ) from None
    else:
        text = args.text
    written = ctx.store.analyses.write(args.month, text)
    print(ctx.t("cli.analysis_written", month=written.month), file=ctx.out)
    return 0

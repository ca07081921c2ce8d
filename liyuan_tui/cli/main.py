"""`liyuan`: opens the desk, or runs a scriptable subcommand (the entry point and its parser).

Subcommands never import textual. Bad input gets one line naming the field and exit code 2, and
nothing is written; the user never sees a traceback.
"""

from __future__ import annotations

import argparse
import functools
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any, TextIO

from liyuan_tui.domain.clock import Clock, SystemClock
from liyuan_tui.domain.config import ConfigError
from liyuan_tui.domain.i18n import Translator
from liyuan_tui.domain.safe_text import visible

from . import (
    backup,
    charges,
    check,
    copy,
    desk,
    desk_records,
    estates,
    followups,
    imports,
    migrate,
    orders,
    pager,
    reception,
    reports,
    requests,
    roster,
    rules,
    site,
    staff,
    stock,
    tools,
)
from .context import Context
from .options import common_options, settings_from

EXIT_OK = 0
EXIT_PROBLEM = 1  # `check` found something wrong
EXIT_USAGE = 2  # bad input, refused, unknown user: nothing written

# Modules that add subcommands; each has register(subparsers, common_parent). Imported here, not
# by name at run time: the import contracts see every one (they import no textual at the top).
COMMANDS = (
    requests,
    staff,
    check,
    backup,
    desk,
    charges,
    reports,
    imports,
    migrate,
    site,
    copy,
    estates,
    orders,
    stock,
    tools,
    followups,
    rules,
    desk_records,
    reception,
    roster,
    pager,
)
EXIT_PIPE = 141  # the reader went away (`liyuan show REF | head -1`), as a shell reports SIGPIPE


class OneLineParser(argparse.ArgumentParser):
    """argparse, but a usage error is one line (naming the argument) and exit code 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        # argparse quotes what was typed: shown on one line, cut short, controls as escapes.
        self.exit(EXIT_USAGE, f"{self.prog}: {visible(message, newlines=False, limit=300)}\n")

    def _get_values(self, action: argparse.Action, arg_strings: list[str]) -> Any:
        # Python 3.11's argparse drops a value of "--" (`--limit=--`) and gives the option an empty
        # list, which a command then compared with a number; "--" is the value typed, checked as any.
        if arg_strings == ["--"] and action.option_strings and action.nargs is None:
            return self._get_value(action, "--")
        return super()._get_values(action, arg_strings)


def build_parser() -> argparse.ArgumentParser:
    common = common_options()
    parser = OneLineParser(
        prog="liyuan",
        description="Liyuan duty desk. Without a subcommand, opens the desk.",
        parents=[common],
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=OneLineParser)
    for command in COMMANDS:
        command.register(sub, common)
    return parser


@functools.lru_cache(maxsize=2)
def parser_in(lang: str) -> argparse.ArgumentParser:
    """The parser, built once per language in a process: a script's process parses once, but the
    tests call main() in-process a thousand times and each build is some 300 parsers. (argparse's
    titles and help lines take the language that speaks as the parser is built; its refusals, the
    one spoken as it parses.)"""
    return build_parser()


def main(
    argv: Sequence[str] | None = None,
    clock: Clock | None = None,
    *,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """Run `liyuan ARGV`; the tests call it in-process with their own clock and streams."""
    out = out if out is not None else sys.stdout
    err = err if err is not None else sys.stderr
    from .argparse_words import language_of, speak

    lang = language_of(list(sys.argv[1:] if argv is None else argv), os.environ.get("LIYUAN_LANG"))
    speak(lang)
    parser = parser_in(lang)
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse's own refusals (and --help): already printed
        return int(exc.code or 0)
    try:
        settings = settings_from(args)
    except ConfigError as exc:
        print(f"liyuan: {visible(config_refusal(exc, args), newlines=False)}", file=err)
        return EXIT_USAGE
    ctx = Context(settings, clock or SystemClock(), out=out, err=err)
    handler: Callable[[Context, argparse.Namespace], int | None] | None = getattr(args, "handler", None)
    if handler is None:
        from .desk import open_desk

        handler = open_desk
        ctx.may_create = True  # the desk's first run on a machine of one's own makes its database
    try:
        code = run(ctx, handler, args)
        out.flush()  # a reader that went away is met here, not at the interpreter's exit
        return code
    except BrokenPipeError:
        _quiet_stdout(out)
        return EXIT_PIPE
    finally:
        ctx.close()


def config_refusal(exc: ConfigError, args: argparse.Namespace) -> str:
    """A setting the desk cannot use, in the user's language where it has words for it (the
    language itself comes from the flag or the environment: the config may be what is unreadable)."""
    if exc.key is None:
        return str(exc)
    from liyuan_tui.domain.i18n import Translator

    lang = getattr(args, "lang", None) or os.environ.get("LIYUAN_LANG") or "zh"
    return Translator(lang if lang in ("zh", "en") else "zh")(exc.key, **exc.params)


def _quiet_stdout(out: TextIO) -> None:
    """The reader of our output has gone: point stdout at /dev/null so the interpreter's last
    flush does not complain (Python's own advice for SIGPIPE)."""
    try:
        fd = out.fileno()
    except (OSError, ValueError, AttributeError):
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, fd)
    os.close(devnull)


def run(
    ctx: Context, handler: Callable[[Context, argparse.Namespace], int | None], args: argparse.Namespace
) -> int:
    """Run a subcommand, turning every refusal into one line on stderr and exit code 2."""
    from liyuan_tui.domain.answers import AnswersError
    from liyuan_tui.domain.errors import DeskError
    from liyuan_tui.domain.fees import FeeScheduleError
    from liyuan_tui.domain.procedures import ProcedureError

    prog = f"liyuan {args.command}" if getattr(args, "command", None) else "liyuan"

    def refuse(text: str) -> int:
        """One line, whatever the refusal quotes (a path with a newline in it …)."""
        print(f"{prog}: {visible(text, newlines=False)}", file=ctx.err)
        return EXIT_USAGE

    try:
        return handler(ctx, args) or EXIT_OK
    except DeskError as exc:
        # A flag names the field as the command line knows it (--unit: …); otherwise the message
        # itself says what it is about, with no field's name as a tag in front of it.
        flag = _FIELD_FLAGS.get(exc.field or "")
        return refuse(f"{flag}: {exc.text(ctx.t)}" if flag else exc.message(ctx.t))
    except ProcedureError as exc:
        return refuse(f"{ctx.t('cli.procedure_error')}: {exc}")
    except FeeScheduleError as exc:
        return refuse(f"{ctx.t('fees.file_error')}: {exc}")
    except AnswersError as exc:
        return refuse(f"{ctx.t('check.answers_error')}: {exc}")
    except BrokenPipeError:
        raise  # the reader went away: main() ends quietly
    except OSError as exc:  # a file the command needed (the database's folder, a file named …)
        reason = exc.strerror or str(exc)
        db = ctx.settings.db_path
        if exc.filename is not None and db is not None and str(exc.filename).startswith(str(db.parent)):
            return refuse(ctx.t("error.database", path=exc.filename, reason=reason))
        if exc.filename is not None:  # another file: named as itself, never as "the database"
            return refuse(ctx.t("error.file_failed", path=exc.filename, reason=reason))
        if getattr(args, "file", None):  # the file the command was reading (`import /proc/self/mem`)
            return refuse(ctx.t("import.unreadable", path=args.file, reason=reason))
        return refuse(ctx.t("error.os_error", reason=reason))
    except KeyboardInterrupt:  # ctrl+c: the work's transaction was rolled back, its file removed
        print(f"{prog}: {ctx.t('cli.progress.interrupted')}", file=ctx.err)
        return 130


# The store names fields as the data model does; the command line names them as its flags (a
# positional argument, by its name in the user's language: never REF or STEP_KEY).
_FIELD_FLAGS = {
    "category": "--category",
    "channel": "--channel",
    "unit": "--unit",
    "phone": "--phone",
    "requester_name": "--name",
    "name": "--name",
    "description": "--text",
    "received_at": "--received-at",
    "outcome": "--outcome",
    "handed_to": "--handed-to",
    "note": "--note",
    "value": "--value",
    "role": "--role",
    "reason": "--reason",
    "qty": "--qty",
    "month": "--month",
    "since": "--since",
    "db": "--db",
    "analysis": "--text",
    "to": "--to",
    "estate": "--estate",
    "output": "-o",
    "user": "--user",
    "group": "--group",
    "dir": "--dir",
    "supervisor": "--supervisor",
    "config": "$LIYUAN_CONFIG",
    # the back office (order, stock, tools)
    "technician": "--to",
    "appointment_at": "--at",
    "hours": "--hours",
    "material": "--material",
    "signed_by": "--signed-by",
    "price": "--price",
    "order": "--order",
    "due_at": "--due",
    "condition": "--condition",
    "holder": "--to",
    "material_name": "--name",
    "material_unit": "--unit",
    "tool_name": "--name",
    # the back office: follow-up calls, the household file, staff records
    "reached": "--reached",
    "score": "--score",
    "solved": "--solved",
    "fault_kind": "--fault-kind",
    "course": "--course",
    "date": "--date",
    "result": "--result",
    "person": "--person",
    "relation": "--relation",
    "phones": "--phones",
    "remove_person": "--remove-person",
    "notes": "--notes",
    "language": "--language",
    "elderly_alone": "--elderly-alone",
    "disability": "--disability",
    "emergency_name": "--emergency-name",
    "emergency_phone": "--emergency-phone",
    "emergency_relation": "--emergency-relation",
    # the desk's own records (issue 22)
    "reply_text": "--text",
    "answer": "--answer",
    "method": "--method",
    "purpose": "--purpose",
    "kind": "--kind",
    "for": "--for",
    "handover_to": "--to",
    "link_to": "--to",
    # the duty roster and the pager
    "duty": "--as",
    "starts_at": "--from",
    "ends_at": "--to",
    "limit": "--limit",
    "wait": "--wait",
}


def cli_field(name: str | None, t: Translator | None = None) -> str:
    if not name:
        return ""
    if name in _FIELD_FLAGS:
        return _FIELD_FLAGS[name]
    said = t(f"field.{name}") if t is not None else name
    return name if said == f"field.{name}" else said

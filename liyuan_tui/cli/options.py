"""The options every command takes, and the settings they make: what `liyuan` reads before it
imports any command (cli/__init__.py: a desk on a terminal draws its first frame first)."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from liyuan_tui.domain.config import ConfigError, Settings, load_settings


def common_options() -> argparse.ArgumentParser:
    """Options every subcommand accepts, before or after its name."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--db",
        default=argparse.SUPPRESS,
        help="database file or URL (else $LIYUAN_DB, else the user data folder)",
    )
    common.add_argument(
        "--lang",
        choices=("zh", "en"),
        default=argparse.SUPPRESS,
        help="interface language (else $LIYUAN_LANG, else zh)",
    )
    common.add_argument(
        "--tz", default=argparse.SUPPRESS, help="time zone (else $LIYUAN_TZ, else Asia/Shanghai)"
    )
    common.add_argument(
        "--procedures",
        default=argparse.SUPPRESS,
        help="your procedure folder (else $LIYUAN_PROCEDURES): in force on a personal database; "
        "on a site, what `rules publish` publishes",
    )
    common.add_argument(
        "--fees",
        default=argparse.SUPPRESS,
        help="your fee schedule file (else $LIYUAN_FEES): as --procedures",
    )
    common.add_argument(
        "--answers",
        default=argparse.SUPPRESS,
        help="your canned-answers folder (else $LIYUAN_ANSWERS): as --procedures",
    )
    common.add_argument(
        "--user",
        default=argparse.SUPPRESS,
        help="act as this staff login (root, supervisors and the manager only; "
        "events also record the real login)",
    )
    return common


def settings_from(args: argparse.Namespace) -> Settings:
    flags = {
        name: getattr(args, name, None)
        for name in ("db", "lang", "tz", "procedures", "fees", "answers", "user")
    }
    return load_settings(flags)


def desk_settings(argv: Sequence[str] | None) -> Settings | None:
    """The settings of the desk `argv` opens (no subcommand, no --help), or None."""
    parser = common_options()
    parser.exit_on_error = False  # (a refusal is said by the parser of every command, right after)
    try:
        args, rest = parser.parse_known_args(argv)
        return None if rest else settings_from(args)
    except (argparse.ArgumentError, ConfigError):
        return None

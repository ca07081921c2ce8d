"""`liyuan rules publish|list`: the rules in force at a site are the ones published into its
database (store/rules.py). `publish` (supervisors, the manager, root) checks the procedure folder
(`--procedures`, $LIYUAN_PROCEDURES, over the shipped files), the fee schedule (`--fees`,
$LIYUAN_FEES, else the shipped example) and the canned answers (`--answers`, $LIYUAN_ANSWERS, over
the shipped files), then makes a new version of each that changed; `list`
shows every version, who published it and when, and which is in force."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from liyuan_tui.domain.safe_text import safe_json

if TYPE_CHECKING:
    from collections.abc import Callable

    from liyuan_tui.domain.i18n import Translator
    from liyuan_tui.store.server_finding import Finding

    from .context import Context


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    rules = sub.add_parser(
        "rules",
        parents=[common],
        help="the site's procedures, fee schedule and canned answers, as published in the database",
    )
    rsub = rules.add_subparsers(
        dest="rules_command", metavar="ACTION", required=True, parser_class=type(rules)
    )
    p = rsub.add_parser(
        "publish",
        parents=[common],
        help="publish --procedures DIR, --fees FILE and --answers DIR (else the shipped ones) as the "
        "site's rules (supervisors, the manager, root)",
    )
    p.set_defaults(handler=cmd_publish)
    p = rsub.add_parser("list", parents=[common], help="every version published, and the one in force")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_list)


def cmd_publish(ctx: Context, args: argparse.Namespace) -> int:
    from liyuan_tui.store.publishing import RulesFiles

    s = ctx.settings
    files = RulesFiles.read(
        s.procedures_dir, s.fees_file, s.answers_dir
    )  # checked before the database is opened
    made = ctx.store.rules.publish_files(files)
    t = ctx.t
    if not made:
        print(t("rules.unchanged"), file=ctx.out)
    for p in made:
        print(
            t(
                "rules.published",
                kind=t(f"rules.kind.{p.kind}"),
                version=p.version,
                source=files.sources[p.kind],
            ),
            file=ctx.out,
        )
    return 0


def cmd_list(ctx: Context, args: argparse.Namespace) -> int:
    rules = ctx.store.rules
    versions = rules.versions()
    in_force = {k: (p.version if p else None) for k, p in rules.in_force().items()}
    tz, t = ctx.settings.tz, ctx.t
    if args.json:
        rows = [
            {
                "kind": p.kind,
                "version": p.version,
                "digest": p.digest,
                "published_by": p.published_by,
                "published_at": p.published_at.isoformat(),
                "in_force": in_force.get(p.kind) == p.version,
            }
            for p in versions
        ]
        print(safe_json(rows, indent=2), file=ctx.out)
        return 0
    if not versions:
        print(t("rules.none"), file=ctx.out)
    for p in versions:
        mark = "*" if in_force.get(p.kind) == p.version else " "
        when = p.published_at.astimezone(tz).strftime("%Y-%m-%d %H:%M")
        print(
            f"{mark} {t(f'rules.kind.{p.kind}')} v{p.version}  {when}  {p.published_by}  {p.digest[:12]}",
            file=ctx.out,
        )
    for kind, version in in_force.items():
        if version is None:
            print(t("rules.fallback", kind=t(f"rules.kind.{kind}")), file=ctx.out)
    return 0


def rules_problems(ctx: Context, line: Callable[..., None]) -> list[str]:
    """`check`: the rules in force (which published version, by whom, when), and a user's own
    files that are not (they are for publishing)."""
    from liyuan_tui.domain.errors import DeskError
    from liyuan_tui.domain.procedures import DataFileError

    from .check import Warning_

    t, s = ctx.t, ctx.settings
    try:
        in_force = ctx.store.rules.in_force()
    except (DeskError, DataFileError, OSError):
        return []  # (already said: no database, a file that is none, an unknown login, a failure …)
    for kind, p in in_force.items():
        label = t(f"rules.label.{kind}")
        if p is not None:
            when = p.published_at.astimezone(s.tz).strftime("%Y-%m-%d %H:%M")
            line(label, t("rules.in_force", version=p.version, by=p.published_by, at=when))
        elif ctx.store.rules.own_files:
            line(label, t("rules.own_in_force"))
        else:
            line(label, t("rules.shipped_in_force"))
    if not s.db_is_personal_default and (s.procedures_dir or s.fees_file or s.answers_dir):
        return [Warning_(t("rules.own_not_in_force"))]
    return []


def finding_text(t: Translator, finding: Finding, url: str) -> str:
    """One ✗ line of the server check: what differs, and how to put it right."""
    from liyuan_tui.store.urls import shown_url

    problem = t(finding.problem, **{k: str(v) for k, v in finding.params.items()})
    fix = t(f"check.server.fix_{finding.fix}", db=shown_url(url))
    return f"{finding.subject}: {problem} — {fix}"

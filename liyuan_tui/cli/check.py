"""`liyuan check`: where each setting came from, and whether the database is healthy and safe."""

from __future__ import annotations

import argparse
import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from .rules import finding_text, rules_problems

if TYPE_CHECKING:
    from liyuan_tui.domain.i18n import Translator

    from .context import Context

Line = Callable[..., None]  # line(label, value, source=None): one line of the report


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    p = sub.add_parser(
        "check", parents=[common], help="settings, procedures, database integrity and permissions"
    )
    p.set_defaults(handler=cmd_check)


def cmd_check(ctx: Context, args: argparse.Namespace) -> int:
    from liyuan_tui.store.urls import sqlite_path

    t, s = ctx.t, ctx.settings
    problems: list[str] = []
    out = ctx.out

    def line(label: str, value: object, source: str | None = None) -> None:
        if source == "default":  # said in the user's language (默认), the other sources are names
            source = t("check.default")
        print(f"{pad(label, 14)} {value}" + (f"   ({source})" if source else ""), file=out)

    line(t("check.database"), s.db_url, s.sources.get("db"))
    line(t("check.language"), s.lang, s.sources.get("lang"))
    line(t("check.timezone"), s.tz_name, s.sources.get("tz"))
    line(t("check.site_timezone"), s.site_tz_name, s.sources.get("site_tz"))
    line(
        t("check.user"),
        s.login + (f" (OS: {s.os_login})" if s.os_login != s.login else ""),
        s.sources.get("user"),
    )
    line(t("check.procedures"), s.procedures_dir or t("check.shipped"), s.sources.get("procedures"))

    try:
        procs = ctx.procedures
        line("", t("check.procedures_ok", count=len(procs), keys=", ".join(procs)))
    except Exception as exc:  # a malformed site file: report it, keep checking (with the shipped ones)
        problems.append(f"{t('cli.procedure_error')}: {exc}")
        from liyuan_tui.domain.procedure_files import load_procedures

        ctx.use_procedures(load_procedures())
    problems += fee_problems(ctx, line)
    problems += answer_problems(ctx, line)

    path = sqlite_path(s.db_url)
    if path is not None and not path.exists():
        # Never made here: a database appears only when asked for (or on a lone user's first run).
        if s.db_is_personal_default:
            problems.append(Warning_(t("check.trust.personal_not_yet", path=path)))
        else:
            problems.append(t("check.trust.no_database", path=path))
        problems += file_problems(path, t)
    else:
        if path is not None:
            problems += file_problems(path, t)
        problems += database_problems(ctx)
        problems += rules_problems(ctx, line)
        problems += pager_problems(ctx, line)
        if path is not None:
            problems += trust_problems(ctx, path, line)

    warnings = [p for p in problems if isinstance(p, Warning_)]
    problems = [p for p in problems if not isinstance(p, Warning_)]
    for w in warnings:
        print(f"! {w}", file=out)
    for p in problems:
        print(f"✗ {p}", file=out)
    if problems:
        return 1
    print("✓ " + t("check.all_ok"), file=out)
    return 0


def pager_problems(ctx: Context, line: Line) -> list[str]:
    """Whether pages reach people off the desk: a pager down (no sender alive for two minutes) fails
    the check."""
    t = ctx.t
    try:
        health = ctx.store.pager.health()
    except Exception:  # the database's own problem is already said above
        return []
    at = (
        health.heartbeat_at.astimezone(ctx.settings.tz).strftime("%Y-%m-%d %H:%M:%S")
        if health.heartbeat_at
        else None
    )
    if health.state == "ok":
        line(t("check.pager"), t("check.pager_ok", at=at))
        return []
    if health.state == "unused":  # a desk without a pager: said, not failed (pages waiting: warned)
        line(t("check.pager"), t("check.pager_unused"))
        return [Warning_(t("check.pager_never", waiting=health.stuck))] if health.stuck else []
    return [t("check.pager_down", at=at, waiting=health.waiting)]


LOW_SPACE = 200 * 1024 * 1024  # less free than this on the database's disk is a problem


def trust_problems(ctx: Context, path: Path, line: Line) -> list[str]:
    """A journal a desk found removed or replaced (its note beside the database, or a process still
    writing to a removed copy), and the space left on the disk."""
    from liyuan_tui.store import dbfiles

    t = ctx.t
    problems: list[str] = []
    notes = dbfiles.lost_notes(path)
    if notes:
        problems.append(
            t("check.trust.journal_note", path=dbfiles.side(path, dbfiles.LOST_NOTE), last=notes[-1])
        )
    still = dbfiles.removed_but_open(path)
    if still:
        problems.append(t("check.trust.journal_open", who="; ".join(still)))
    free = dbfiles.free_bytes(path.parent)
    if free is not None:
        line(t("check.trust.space"), megabytes(free))
        if free < LOW_SPACE:
            problems.append(t("check.trust.space_low", free=megabytes(free), need=megabytes(LOW_SPACE)))
    return problems


def megabytes(n: int) -> str:
    return f"{n / 1024 / 1024:,.0f} MB"


def fee_problems(ctx: Context, line: Line) -> list[str]:
    """Where the fee schedule comes from, and whether it loads (the shipped one is an example)."""
    from liyuan_tui.domain.fees import FeeScheduleError, load_fees

    t, s = ctx.t, ctx.settings
    line(t("check.fees"), s.fees_file or t("check.shipped"), s.sources.get("fees"))
    try:
        fees = load_fees(s.fees_file)
    except FeeScheduleError as exc:
        return [f"{t('fees.file_error')}: {exc}"]
    line(
        "",
        t("check.fees_ok", count=len(fees.items)) + (" " + t("fees.example_short") if fees.example else ""),
    )
    return []


def answer_problems(ctx: Context, line: Line) -> list[str]:
    """Where the canned answers come from, and whether they load (the shipped ones are examples)."""
    from liyuan_tui.domain.answers import AnswersError, load_answers

    t, s = ctx.t, ctx.settings
    line(t("check.answers"), s.answers_dir or t("check.shipped"), s.sources.get("answers"))
    try:
        answers = load_answers(s.answers_dir, ctx.procedures)
    except AnswersError as exc:
        return [f"{t('check.answers_error')}: {exc}"]
    line(
        "",
        t("check.answers_ok", count=len(answers))
        + (" " + t("check.answers_shipped") if answers.example else ""),
    )
    return []


class Warning_(str):
    """Worth fixing, but the desk works: reported without failing the check."""


def pad(text: str, width: int) -> str:
    """Left-justify by terminal cells, so Chinese labels line up with English ones."""
    from rich.cells import cell_len

    return text + " " * max(0, width - cell_len(text))


def file_problems(path: Path, t: Translator) -> list[str]:
    """Permissions of the database file and its folder for a shared multi-user set-up."""
    problems = []
    folder = path.parent
    if not path.exists():
        if folder.exists() and not os.access(folder, os.W_OK | os.X_OK):
            problems.append(t("check.folder_not_writable", path=folder))
        return problems
    mode = path.stat().st_mode
    if mode & (stat.S_IROTH | stat.S_IWOTH):
        problems.append(t("check.world_readable", path=path, mode=oct(stat.S_IMODE(mode))))
    if not os.access(path, os.R_OK):
        problems.append(t("check.unreadable", path=path))
    elif not os.access(path, os.W_OK):
        problems.append(t("check.not_writable", path=path))
    if not os.access(folder, os.W_OK | os.X_OK):
        # SQLite creates the -wal and -shm files beside the database: the folder must be writable.
        problems.append(t("check.folder_not_writable", path=folder))
    fmode = folder.stat().st_mode
    if fmode & (stat.S_IROTH | stat.S_IWOTH | stat.S_IXOTH):
        problems.append(Warning_(t("check.folder_open", path=folder, mode=oct(stat.S_IMODE(fmode)))))
    if fmode & stat.S_IWGRP and not fmode & stat.S_ISVTX:  # a member could move desk.db away
        problems.append(Warning_(t("check.folder_not_sticky", path=folder)))
    for suffix in ("-wal", "-shm"):
        side = Path(str(path) + suffix)
        if side.exists() and not os.access(side, os.R_OK | os.W_OK):
            problems.append(t("check.side_file", path=side))
    return problems


def database_problems(ctx: Context) -> list[str]:
    """SQLite's own integrity check, the journal mode, a lock held too long; then what the desk
    relies on that someone with write access could change (store.integrity); then who you are."""
    from liyuan_tui.domain.errors import DeskError
    from liyuan_tui.domain.procedures import ProcedureError
    from liyuan_tui.store import DatabaseBusy
    from liyuan_tui.store.urls import is_postgres

    t = ctx.t
    try:
        if is_postgres(ctx.settings.db_url):
            return server_problems(ctx)
        health = ctx.store.integrity.health()
        trust: list[str] = []
        if health.triggers:
            trust.append(t("check.trust.triggers", names=", ".join(health.triggers)))
        if health.schema:
            trust.append(t("check.trust.schema", changes="; ".join(health.schema[:8])))
        if health.staff:
            trust.append(t("check.trust.staff", changes="; ".join(health.staff[:8])))
        if not ctx.store.integrity.write_lock_free():
            return [t("check.locked", path=ctx.settings.db_url)]
        result, mode = health.integrity, health.journal_mode
        problems = [] if health.sound else [t("check.integrity", result="; ".join(result[:5]))]
        if mode.lower() != "wal":
            problems.append(t("check.journal_mode", mode=mode))
        print(
            f"{pad(t('check.integrity_label'), 14)} {'; '.join(result[:1])}  ({t('check.journal')}: {mode})",
            file=ctx.out,
        )
        print(f"{pad(t('check.schema'), 14)} {health.revision}", file=ctx.out)
        problems += trust
        try:
            me = ctx.me
        except DeskError as exc:
            return [*problems, exc.message(t)]
        print(f"{pad(t('check.you'), 14)} {me.login} — {me.name}, {t('role.' + me.role)}", file=ctx.out)
        return problems
    except DatabaseBusy:
        return [t("check.locked", path=ctx.settings.db_url)]
    except DeskError as exc:
        return [exc.message(t)]
    except ProcedureError:  # already said above
        return []
    except OSError as exc:
        return [t("error.database", path=ctx.settings.db_url, reason=exc.strerror or str(exc))]


def server_problems(ctx: Context) -> list[str]:
    """PostgreSQL: the server, the schema's revision, whether the database enforces the desk's
    roles (`liyuan site init`), and who you are to it."""
    t, me = ctx.t, ctx.me
    facts = ctx.store.integrity.server()
    print(f"{pad(t('check.server'), 14)} {facts.version}", file=ctx.out)
    print(f"{pad(t('check.schema'), 14)} {facts.revision}", file=ctx.out)
    roles = t("check.db_roles_on" if facts.roles_enforced else "check.db_roles_off")
    print(f"{pad(t('check.db_roles'), 14)} {roles}", file=ctx.out)
    print(
        f"{pad(t('check.you'), 14)} {me.login} — {me.name}, {t('role.' + me.role)}"
        f"  ({t('check.db_user')}: {facts.session_user})",
        file=ctx.out,
    )
    problems: list[str] = []
    if not facts.roles_enforced:
        problems.append(Warning_(t("check.db_roles_hint")))
    problems += [finding_text(t, f, ctx.settings.db_url) for f in ctx.store.integrity.server_findings()]
    return problems

"""`liyuan site init`: set the desk up once for a site, as its administrator.

SQLite (`--group G --dir D --supervisor LOGIN`, as root): the group folder (2770), the database in
it with its first supervisor, and the shared config (/etc/liyuan/config.toml, or the file
$LIYUAN_CONFIG names) that tells every login, through a login shell or not, where the database is.
PostgreSQL (`--db postgresql:///… --supervisor LOGIN`): the database (created if missing), its
schema, the roles the server enforces and the first supervisor (store/postgres_site.py).

`liyuan init [--supervisor LOGIN]`: make the database that --db, $LIYUAN_DB or the config names (a
database named there is never made implicitly).

Everything is checked before anything is made; a refusal is one line and changes nothing.
"""

from __future__ import annotations

import argparse
import grp
import os
import pwd
import stat
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from liyuan_tui.domain import validation as check
from liyuan_tui.domain.config import db_url_from, expand, system_config_path
from liyuan_tui.domain.errors import DeskError, ValidationError

if TYPE_CHECKING:
    from .context import Context

DB_NAME = "desk.db"
# Group-owned, setgid (new files keep the group), sticky (a member cannot rename or remove a file
# another made: desk.db stays root's, nobody moves it away to `init` a new one there), nothing
# for others.
FOLDER_MODE = 0o3770


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    site = sub.add_parser("site", parents=[common], help="set up the desk for a site (administrators, once)")
    ssub = site.add_subparsers(dest="site_command", metavar="ACTION", required=True, parser_class=type(site))
    p = ssub.add_parser(
        "init",
        parents=[common],
        help="SQLite: the group folder (2770), the database, its first supervisor and "
        "/etc/liyuan/config.toml; PostgreSQL (--db postgresql:///…): the database, its "
        "roles and the first supervisor",
    )
    p.add_argument("--group", default=None, help="SQLite: the desk's group (every desk login is a member)")
    p.add_argument("--dir", default=None, help="SQLite: the folder for the database, e.g. /srv/liyuan")
    p.add_argument("--supervisor", required=True, help="the login of the first customer-service supervisor")
    p.add_argument("--name", default="", help="the supervisor's name as the desk shows it")
    p.set_defaults(handler=cmd_site_init)
    p = ssub.add_parser(
        "repair",
        parents=[common],
        help="PostgreSQL: put back every definition this release installs, as the cluster's "
        "administrator (what `liyuan check` found is fixed and put on record)",
    )
    p.set_defaults(handler=cmd_site_repair)

    p = sub.add_parser(
        "init",
        parents=[common],
        help="make the database --db / $LIYUAN_DB / the config names, with its first supervisor",
    )
    p.add_argument(
        "--supervisor", default=None, help="its first supervisor (default: you; another login: root only)"
    )
    p.add_argument("--name", default="", help="the supervisor's name as the desk shows it")
    p.set_defaults(handler=cmd_init)


def cmd_init(ctx: Context, args: argparse.Namespace) -> int:
    from liyuan_tui.store.publishing import RulesFiles
    from liyuan_tui.store.site import create_database

    s = ctx.settings
    if not s.os_root and s.db_path is not None and is_site_database(s.db_path):
        raise ValidationError("site.init_site_path", "db", path=str(s.db_path))
    supervisor = args.supervisor if args.supervisor is not None else s.login
    rules = RulesFiles.read(s.procedures_dir, s.fees_file, s.answers_dir)  # checked before anything is made
    me = create_database(
        s.db_url,
        ctx.clock,
        supervisor,
        procedures=ctx.procedures,
        tz=s.tz,
        os_login=s.os_login,
        os_root=s.os_root,
        name=args.name,
        rules=rules,
    )
    print(ctx.t("site.created", path=s.db_path or s.db_url, login=me.login), file=ctx.out)
    return 0


@dataclass(frozen=True)
class SitePlan:
    group: grp.struct_group
    folder: Path
    db: Path
    supervisor: str
    config: Path
    config_text: str | None  # None: the config already names this database


def cmd_site_init(ctx: Context, args: argparse.Namespace) -> int:
    from liyuan_tui.store.urls import is_postgres

    if is_postgres(ctx.settings.db_url):
        return init_postgres(ctx, args)
    return init_sqlite(ctx, args)


def cmd_site_repair(ctx: Context, args: argparse.Namespace) -> int:
    from liyuan_tui.store.server_repair import repair_site
    from liyuan_tui.store.urls import is_postgres

    from .rules import finding_text

    if not is_postgres(ctx.settings.db_url):
        raise ValidationError("site.repair_needs_postgres", "db")
    done = repair_site(ctx.settings.db_url, ctx.clock.now())
    t = ctx.t
    for change in done.staff_restored:
        print(t("site.staff_restored", change=change), file=ctx.out)
    print(
        t("site.repaired", database=done.database, before=len(done.before), after=len(done.after)),
        file=ctx.out,
    )
    for finding in done.after:
        print(f"✗ {finding_text(t, finding, ctx.settings.db_url)}", file=ctx.out)
    return 1 if done.after else 0


def init_postgres(ctx: Context, args: argparse.Namespace) -> int:
    from liyuan_tui.store.postgres_site import init_site
    from liyuan_tui.store.publishing import RulesFiles

    s = ctx.settings
    rules = RulesFiles.read(s.procedures_dir, s.fees_file, s.answers_dir)  # checked before anything is made
    ready = init_site(s.db_url, args.supervisor, ctx.clock, ctx.procedures, s.tz, args.name, rules)
    t = ctx.t
    if ready.created_database:
        print(t("cli.site_database", database=ready.database), file=ctx.out)
    print(t("cli.site_roles", database=ready.database), file=ctx.out)
    if ready.added_supervisor:
        print(t("cli.site_supervisor", login=ready.supervisor), file=ctx.out)
    return 0


def init_sqlite(ctx: Context, args: argparse.Namespace) -> int:
    from liyuan_tui.store.publishing import RulesFiles
    from liyuan_tui.store.site import create_database

    plan = site_plan(args)
    s = ctx.settings
    rules = RulesFiles.read(s.procedures_dir, s.fees_file, s.answers_dir)
    make_folder(plan.folder, plan.group.gr_gid)
    me = create_database(
        db_url_from(str(plan.db)),
        ctx.clock,
        plan.supervisor,
        procedures=ctx.procedures,
        tz=s.tz,
        os_login=s.os_login,
        os_root=s.os_root,
        name=args.name,
        group=plan.group.gr_gid,
        rules=rules,
    )
    if plan.config_text is not None:
        write_config(plan.config, plan.config_text)
    t = ctx.t
    print(
        t(
            "site.ready",
            folder=plan.folder,
            group=plan.group.gr_name,
            db=plan.db,
            login=me.login,
            config=plan.config,
        ),
        file=ctx.out,
    )
    if not in_group(plan.supervisor, plan.group):
        print(t("site.not_in_group", login=plan.supervisor, group=plan.group.gr_name), file=ctx.out)
    print(t("site.next", group=plan.group.gr_name), file=ctx.out)
    return 0


def is_site_database(path: Path) -> bool:
    """Whether `path` is the database the shared config names (a site's, made by root)."""
    try:
        named = tomllib.loads(system_config_path().read_text(encoding="utf-8")).get("db")
    except (OSError, tomllib.TOMLDecodeError):
        return False
    if not isinstance(named, str) or "://" in named:
        return False
    return expand(named).resolve() == path.resolve()


def site_plan(args: argparse.Namespace) -> SitePlan:
    """Every check, before anything is made."""
    for flag, value in (("group", args.group), ("dir", args.dir)):
        if value is None:
            raise ValidationError("site.needs", flag)
    name = check.line(args.group, "group", 32, required=True)
    try:
        group = grp.getgrnam(name)
    except KeyError:
        raise ValidationError("site.no_group", "group", group=name) from None
    supervisor = check.login(args.supervisor, "supervisor")
    try:
        pwd.getpwnam(supervisor)
    except KeyError:
        raise ValidationError("site.no_login", "supervisor", login=supervisor) from None
    raw = check.line(args.dir, "dir", 4096, required=True)
    folder = expand(raw)
    if not folder.is_absolute():
        raise ValidationError("site.dir_relative", "dir", path=raw)
    if folder.exists() and not folder.is_dir():
        raise ValidationError("site.dir_not_folder", "dir", path=str(folder))
    if folder.is_dir() and any(folder.iterdir()):
        raise ValidationError("site.dir_not_empty", "dir", path=str(folder))
    blocked = unreachable_parent(folder, group.gr_gid)
    if blocked is not None:
        raise ValidationError("site.dir_unreachable", "dir", path=str(blocked), group=group.gr_name)
    db = folder / DB_NAME
    config = system_config_path()
    text = config_text(config, db)
    if text is not None and not writable(config):
        raise DeskError("site.config_unwritable", "config", path=str(config))
    return SitePlan(group, folder, db, supervisor, config, text)


def writable(path: Path) -> bool:
    """Can this process write `path` (or make it in the nearest folder that exists)?"""
    if path.exists():
        return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)
    for parent in path.parents:
        if parent.exists():
            return os.access(parent, os.W_OK | os.X_OK)
    return False


def unreachable_parent(folder: Path, gid: int) -> Path | None:
    """The first existing folder above `folder` the group's members cannot pass through."""
    for parent in reversed(folder.parents):
        if not parent.exists():
            break
        st = parent.stat()
        if not (st.st_mode & stat.S_IXOTH or (st.st_gid == gid and st.st_mode & stat.S_IXGRP)):
            return parent
    return None


def config_text(path: Path, db: Path) -> str | None:
    """The shared config with `db` naming the database (the file's other settings kept), None if
    it already does; refused if it names another database."""
    try:
        old = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        old = None
    except OSError as exc:
        raise DeskError(
            "site.config_unreadable", "config", path=str(path), reason=exc.strerror or str(exc)
        ) from None
    line = f'db = "{_toml_string(str(db))}"\n'
    if old is None:
        return (
            '# The duty desk\'s shared settings, for every login (README "Configuration").\n'
            "# Written by `liyuan site init`.\n" + line
        )
    try:
        current = tomllib.loads(old).get("db")
    except tomllib.TOMLDecodeError as exc:
        raise DeskError("site.config_unreadable", "config", path=str(path), reason=str(exc)) from None
    if current is not None:
        if Path(str(current)) == db:
            return None
        raise DeskError("site.config_other_db", "config", path=str(path), db=str(current))
    return line + old  # top-level keys come before any table


def _toml_string(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def make_folder(folder: Path, gid: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    os.chown(folder, -1, gid)
    os.chmod(folder, FOLDER_MODE)


def write_config(path: Path, text: str) -> None:
    """Readable by every login (it only says where the database is; the folder keeps others out)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o755)
    tmp = path.with_name(path.name + ".new")
    tmp.write_text(text, encoding="utf-8")
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)


def in_group(login: str, group: grp.struct_group) -> bool:
    try:
        primary = pwd.getpwnam(login).pw_gid
    except KeyError:
        return False
    return primary == group.gr_gid or login in group.gr_mem

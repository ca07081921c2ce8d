"""Making a new database on purpose (`liyuan init`, `liyuan site init`): the schema and its first
supervisor, in one go, refused if a database is already there. The only other way a database is
ever made is the personal default of one user trying the desk (kernel.py, `create`)."""

from __future__ import annotations

import os
from datetime import tzinfo
from pathlib import Path

from liyuan_tui.domain import validation as check
from liyuan_tui.domain.clock import Clock
from liyuan_tui.domain.errors import DeskError, PermissionDenied, ValidationError
from liyuan_tui.domain.models import Staff
from liyuan_tui.domain.procedures import Procedures

from . import Store, faults
from .dbfiles import SIDE_FILES, side
from .publishing import RulesFiles
from .urls import sqlite_path


def create_database(
    url: str,
    clock: Clock,
    supervisor: str,
    *,
    procedures: Procedures,
    tz: tzinfo | str,
    os_login: str,
    os_root: bool,
    name: str = "",
    group: int | None = None,
    rules: RulesFiles | None = None,
) -> Staff:
    """Make the database at `url` with `supervisor` as its first customer-service supervisor,
    who publishes `rules` (read and checked before: the shipped files, or those the admin named)
    as the site's first version. Naming someone else than oneself is for root (as acting for
    another login is). On SQLite the file is 0660 and, given `group` (a gid), owned by that group."""
    supervisor = check.login(supervisor, "supervisor")
    name = check.name(name)
    if supervisor != os_login and not os_root:
        raise PermissionDenied(
            "error.act_as_refused", "supervisor", login=supervisor, os_login=os_login or "?"
        )
    path = sqlite_path(url)
    if path is not None and path.exists():
        raise ValidationError("error.db_exists", "db", path=str(path))
    store = Store(
        url, clock, supervisor, procedures=procedures, tz=tz, os_login=os_login, os_root=os_root, create=True
    )
    try:
        me, _first = store.staff.ensure_identity()
        if name and name != me.name:
            me = store.staff.update_staff(supervisor, name=name)
        store.rules.publish_files(rules or RulesFiles.read(None, None), first=True)
    finally:
        store.close()
    if path is not None:
        _share(path, group)
    return me


def file_has_staff(path: Path, login: str, name: str) -> bool:
    """Whether the SQLite file at `path`, read only, has this staff member (`liyuan demo` replaces
    only a file of its own making); a file that is no desk's database has nobody."""
    import sqlite3

    try:
        url = f"sqlite:///{path}"
        with faults.said(url, path), sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
            row = conn.execute(
                "SELECT count(*) FROM staff WHERE login = ? AND name = ?", (login, name)
            ).fetchone()
    except DeskError:
        return False
    return bool(row and row[0])


def _share(path: Path, group: int | None) -> None:
    """The database (and any journal SQLite left beside it) 0660, in the desk's group."""
    for suffix in ("", *SIDE_FILES):
        f = side(path, suffix)
        if not f.exists():
            continue
        if group is not None:
            os.chown(f, -1, group)
        os.chmod(f, 0o660)

"""`liyuan migrate`: bring a database made by an older release up to this one, in place.

On SQLite the file is copied first (beside it, named for the revision it had); then every
revision after the database's own is applied in one write transaction, which also records the
`migrated` event. A database at this release's head is left alone; one newer is refused.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlmodel import Session

from liyuan_tui.domain.errors import PermissionDenied
from liyuan_tui.domain.events import EventKind
from liyuan_tui.domain.permissions import Action, allowed

from .backup import copy_database
from .engine import WRITE
from .kernel import Kernel, Tx
from .publishing import RulesFiles, publish_in
from .schema import HEAD, check_revision, known_revisions, revision_of, upgrade


@dataclass(frozen=True)
class Migrated:
    before: str | None  # None: the database was empty and has been made at the head
    after: str
    backup: Path | None  # the copy made first (SQLite)


def migrate(
    kernel: Kernel,
    now: datetime | None = None,
    progress: Callable[[int, int], None] | None = None,
    rules: RulesFiles | None = None,
) -> Migrated:
    """`progress(done, of)`: told after the backup and after each revision applied. A database of
    a release before published rules gets its first version: `rules` (the migrating
    supervisor's files, read and checked before), else the shipped ones."""
    with kernel.said():
        return _migrate(kernel, now, progress, rules)


def _migrate(
    kernel: Kernel,
    now: datetime | None,
    progress: Callable[[int, int], None] | None,
    rules: RulesFiles | None,
) -> Migrated:
    told = progress or (lambda done, of: None)
    if kernel.path is not None and not kernel.path.exists() and not kernel.create:
        raise kernel.no_database()  # (connecting would make an empty file)
    with kernel.engine.connect() as conn:
        before = revision_of(conn)
    if before is None:  # a new database: made at the head, as any first use would
        kernel.ready()
        return Migrated(None, HEAD, None)
    if before not in known_revisions():
        check_revision(before)  # refused: made by a newer release
    role = kernel.role_in_any_release()
    if not allowed(role, Action.MIGRATE):
        raise PermissionDenied("error.not_allowed", role=role, action=str(Action.MIGRATE))
    if before == HEAD:
        return Migrated(before, HEAD, None)
    steps = [r for r in known_revisions() if r > before]
    total = len(steps) + 1
    backup = None
    if kernel.path is not None:
        stamp = (now or kernel.clock.now()).astimezone(kernel.tz).strftime("%Y%m%d-%H%M%S")
        backup = kernel.path.with_name(
            f"{kernel.path.stem}.before-migrate-{before}-{stamp}{kernel.path.suffix}"
        )
        copy_database(kernel.path, backup)
    told(1, total)
    with kernel.engine.connect().execution_options(**{WRITE: True}) as conn:
        for i, revision in enumerate(steps, 2):  # one revision at a time, in the one transaction
            upgrade(conn, revision)
            told(i, total)
        if conn.dialect.name == "postgresql":
            from .postgres import install_security, roles_enforced
            from .schema import install_notify

            install_notify(conn)
            if roles_enforced(conn):  # the new tables get the same grants and policies
                # The site's audit triggers are deferred to commit: fired now, or altering a table
                # they have written to (alembic_version, stamped above) is refused.
                conn.exec_driver_sql("SET CONSTRAINTS ALL IMMEDIATE")
                install_security(conn)
        with Session(bind=conn) as s:
            tx = Tx(kernel, conn, s)
            tx.record(
                None,
                EventKind.MIGRATED,
                {"from": before, "to": HEAD, "backup": str(backup) if backup else None},
            )
            publish_in(tx, rules or RulesFiles.read(None, None), first=True)
            s.flush()
        conn.commit()
    return Migrated(before, HEAD, backup)

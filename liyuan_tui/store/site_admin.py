"""`store.site`: the database as a whole, for the commands that look after a site — a backup
while terminals keep working, a copy of a SQLite site into a PostgreSQL server, a migration to
this release. Each checks who asks first and says a database error as the desk's refusal."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import func, inspect, select

from liyuan_tui.domain.errors import ValidationError

from .backup import copy_database, dump_postgres
from .migrate import Migrated, migrate
from .postgres_site import Copied, copy_site
from .publishing import RulesFiles
from .schema import desk_tables
from .server_check import backup_role

if TYPE_CHECKING:
    from .kernel import Kernel


class SiteAdmin:
    def __init__(self, kernel: Kernel) -> None:
        self.k = kernel

    def back_up_file(self, target: Path, progress: Callable[[int, int], None] | None = None) -> str:
        """SQLite: an online copy into the new file `target`; returns the copy's integrity check
        ("ok" when sound). The user must be on the staff list (of any release's database)."""
        if self.k.path is None:
            raise ValidationError("error.backup_not_sqlite", "db")
        self.k.role_in_any_release()
        with self.k.said():
            return copy_database(self.k.path, target, progress)

    def backup_role(self) -> str | None:
        """The role a PostgreSQL backup dumps as (a site's `liyuan_backup`, for its supervisors and
        the manager; None where the roles are not enforced). The user must be on the staff list."""
        with self.k.said():
            return backup_role(self.k)

    def dump(self, target: Path, role: str | None = None) -> None:
        """PostgreSQL: `pg_dump` in its custom format into the new file `target`, as `role` (see
        `backup_role`; the user must be on the staff list)."""
        self.k.ready()
        dump_postgres(self.k.url, target, role)

    def row_counts(self) -> dict[str, int]:
        """Each desk table's rows (what a copy's progress counts to)."""
        with self.k.said(), self.k.engine.connect() as conn:
            present = set(inspect(conn).get_table_names())
            return {
                t.name: conn.execute(select(func.count()).select_from(t)).scalar() or 0
                for t in desk_tables().sorted_tables
                if t.name in present
            }

    def copy_to(self, url: str, progress: Callable[[str, int, int], None] | None = None) -> Copied:
        """Every row of this (SQLite) site into the empty PostgreSQL database `url`."""
        return copy_site(self.k.engine, url, progress=progress)

    def migrate(
        self,
        now: datetime | None = None,
        progress: Callable[[int, int], None] | None = None,
        rules: RulesFiles | None = None,
    ) -> Migrated:
        """Bring the database up to this release (a copy first on SQLite); supervisors only. A
        database of a release before published rules gets `rules` as its first version."""
        return migrate(self.k, now, progress, rules)

"""The desk's tables on a database: created on a new one, recognised on one already made, and
brought up to date by `liyuan migrate` (Alembic revisions in migrations/versions/).

Opening a database reads its revision (one row of `alembic_version`) and refuses one older or
newer than this release understands, with one line saying what to run. Alembic itself is only
imported to migrate: a new database is made with `create_all` and stamped with the head revision
(what `alembic stamp head` writes), which tests/store/test_migrations.py proves is the same schema
the revisions build.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from sqlalchemy import Connection, MetaData, inspect, text

from liyuan_tui.domain.errors import DeskError

HEAD = "0009"  # the newest revision in migrations/versions (a test keeps the two in step)
LEGACY = "0001"  # a database made before revisions (release 0.1.0, PRAGMA user_version = 1) is at this one
LEGACY_USER_VERSION = 1

# The audit log is append-only, also for anyone who opens the file with another SQLite client.
APPEND_ONLY_TRIGGERS = (
    "CREATE TRIGGER IF NOT EXISTS event_append_only_update BEFORE UPDATE ON event "
    "BEGIN SELECT RAISE(ABORT, 'events are append-only'); END",
    "CREATE TRIGGER IF NOT EXISTS event_append_only_delete BEFORE DELETE ON event "
    "BEGIN SELECT RAISE(ABORT, 'events are append-only'); END",
)


class SchemaMismatch(DeskError):
    """The database was made by another release of the desk: nothing was read or written."""


def revision_of(conn: Connection) -> str | None:
    """The database's revision; None for an empty database (no desk tables yet)."""
    names = set(inspect(conn).get_table_names())
    if "alembic_version" in names:
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    if "request" not in names:
        return None
    if (
        conn.dialect.name == "sqlite"
        and conn.exec_driver_sql("PRAGMA user_version").scalar() == LEGACY_USER_VERSION
    ):
        return LEGACY
    return "unknown"


def check_revision(revision: str | None) -> None:
    """Refuse a database this release cannot use, saying what to run."""
    if revision is None or revision == HEAD:
        return
    if revision in known_revisions():
        raise SchemaMismatch("error.schema_older", revision=revision, head=HEAD)
    raise SchemaMismatch("error.schema_newer", revision=revision, head=HEAD)


def known_revisions() -> list[str]:
    """Every revision this release ships, oldest first (read from the file names: no Alembic)."""
    folder = resources.files("liyuan_tui.store") / "migrations" / "versions"
    return sorted(
        entry.name.split("_", 1)[0]
        for entry in folder.iterdir()
        if entry.name.endswith(".py") and entry.name[:4].isdigit()
    )


def desk_tables() -> MetaData:
    """Every table of this release, their modules imported. Opening a database imports none of
    them: each area imports the tables it reads and writes (a call of `liyuan queue --json` pays
    for the requests' tables, not for the work orders', the pager's or the desk's records'). The
    tables have no relationships between their classes, so a module registered later changes no
    mapper configured before it."""
    from sqlmodel import SQLModel

    from liyuan_tui.domain import desk_records, models, paging, records, workshop  # noqa: F401  (they register themselves)

    return SQLModel.metadata


def create_schema(conn: Connection) -> None:
    """A new database: every table, the SQLite triggers, stamped with the head revision."""
    desk_tables().create_all(conn)
    if conn.dialect.name == "sqlite":
        for statement in APPEND_ONLY_TRIGGERS:
            conn.exec_driver_sql(statement)
    elif conn.dialect.name == "postgresql":
        install_notify(conn)
    conn.execute(
        text(
            "CREATE TABLE IF NOT EXISTS alembic_version "
            "(version_num VARCHAR(32) NOT NULL, CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))"
        )
    )
    conn.execute(text("DELETE FROM alembic_version"))
    conn.execute(text("INSERT INTO alembic_version (version_num) VALUES (:v)"), {"v": HEAD})


def migrations_folder() -> Path:
    return Path(str(resources.files("liyuan_tui.store") / "migrations"))


def upgrade(conn: Connection, target: str = "head") -> None:
    """Apply the revisions after the database's own, in this connection's transaction."""
    from alembic import command
    from alembic.config import Config

    revision = revision_of(conn)
    config = Config()
    config.set_main_option("script_location", str(migrations_folder()))
    config.attributes["connection"] = conn
    if revision == LEGACY and not inspect(conn).has_table("alembic_version"):
        command.stamp(config, LEGACY)
    command.upgrade(config, target)


# PostgreSQL: every new event is announced to the desks that LISTEN (store/watch.py).
def install_notify(conn: Connection) -> None:
    from .postgres_sql import FUNCTIONS

    notify = next(f for f in FUNCTIONS if f.name == "liyuan_event_notify")
    for statement in (
        notify.create(),
        "DROP TRIGGER IF EXISTS event_notify ON public.event",
        "CREATE TRIGGER event_notify AFTER INSERT ON public.event FOR EACH ROW "
        "EXECUTE FUNCTION public.liyuan_event_notify()",
    ):
        conn.exec_driver_sql(statement.replace("%", "%%"))

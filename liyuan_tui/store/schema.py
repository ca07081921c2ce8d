"""The desk's tables on a database: created on a new one, recognised on one already made."""

from __future__ import annotations

from sqlalchemy import Connection
from sqlmodel import SQLModel

from liyuan_tui.domain import models  # noqa: F401  (the tables register themselves on import)

SCHEMA_VERSION = 1

# The audit log is append-only, also for anyone who opens the file with another SQLite client.
APPEND_ONLY_TRIGGERS = (
    "CREATE TRIGGER IF NOT EXISTS event_append_only_update BEFORE UPDATE ON event "
    "BEGIN SELECT RAISE(ABORT, 'events are append-only'); END",
    "CREATE TRIGGER IF NOT EXISTS event_append_only_delete BEFORE DELETE ON event "
    "BEGIN SELECT RAISE(ABORT, 'events are append-only'); END",
)


def schema_is_current(conn: Connection) -> bool:
    """SQLite only: whether the file already holds this version's tables."""
    return conn.exec_driver_sql("PRAGMA user_version").scalar() == SCHEMA_VERSION


def create_schema(conn: Connection) -> None:
    SQLModel.metadata.create_all(conn)
    if conn.dialect.name == "sqlite":
        for statement in APPEND_ONLY_TRIGGERS:
            conn.exec_driver_sql(statement)
        conn.exec_driver_sql(f"PRAGMA user_version = {SCHEMA_VERSION}")

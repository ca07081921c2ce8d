"""What `liyuan check` asks of the database, as `store.integrity` (`Integrity`): SQLite's own
integrity check and journal mode, whether a writer gets the lock, the schema's revision, and what
SQLite's integrity_check cannot see — someone with write access to the file (every member of the
desk group can write it in SQLite mode) changing what the desk relies on: the audit log's
triggers, the schema, the staff list behind the log's back. On PostgreSQL: the server's facts.

The comparisons take an open connection and return short descriptions of what differs (empty:
nothing found). The expected schema is the one this release makes (schema.create_schema).
"""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, create_engine, inspect, text

from liyuan_tui.domain.events import EventKind

from . import faults
from .postgres import ServerFacts, server_facts
from .schema import APPEND_ONLY_TRIGGERS, HEAD, create_schema, revision_of

if TYPE_CHECKING:
    from .kernel import Kernel
    from .server_finding import Finding


@dataclass(frozen=True)
class Health:
    """A SQLite database as `liyuan check` reports it."""

    integrity: list[str]  # PRAGMA integrity_check's lines: ["ok"] when sound
    journal_mode: str
    revision: str | None
    triggers: list[str]  # the audit log's triggers dropped or changed (at this release's revision)
    schema: list[str]  # tables, columns, indexes, triggers that differ from this release's
    staff: list[str]  # staff whose role or state the audit log does not account for

    @property
    def sound(self) -> bool:
        return self.integrity == ["ok"]


class Integrity:
    """The checks `liyuan check` runs; nothing here writes, and the database is not opened for a
    user (an unknown login still learns what is wrong with the file)."""

    def __init__(self, kernel: Kernel) -> None:
        self.k = kernel

    def health(self) -> Health:
        """SQLite: the integrity check, the journal mode, the revision and, at this release's
        revision, what was changed behind the desk's back."""
        with self.k.said(), self.k.engine.connect() as conn:
            result = [str(line) for line in conn.exec_driver_sql("PRAGMA integrity_check").scalars()]
            mode = str(conn.exec_driver_sql("PRAGMA journal_mode").scalar())
            revision = revision_of(conn)
            current = revision == HEAD and conn.dialect.name == "sqlite"
            return Health(
                result,
                mode,
                revision,
                trigger_problems(conn) if current else [],
                schema_problems(conn) if current else [],
                staff_problems(conn) if current else [],
            )

    def write_lock_free(self, wait_seconds: float = 3.0) -> bool:
        """Can a writer get the lock within a few seconds? (A terminal holding it longer is stuck.)"""
        path = self.k.path
        if path is None:
            return True
        try:
            with self.k.said():
                conn = sqlite3.connect(path, timeout=wait_seconds, isolation_level=None)
                try:
                    conn.execute("BEGIN IMMEDIATE")
                    conn.execute("ROLLBACK")
                finally:
                    conn.close()
        except faults.DatabaseBusy:
            return False
        return True

    def server(self) -> ServerFacts:
        """PostgreSQL: the server's version, the schema's revision, whether the database enforces
        the desk's roles (`liyuan site init`) and who the server says you are."""
        with self.k.said():
            return server_facts(self.k)

    def server_findings(self) -> list[Finding]:
        """PostgreSQL: how the live server differs from what this release installs (grants, row
        security, policies, triggers, functions, roles, memberships, the events' ids), each a
        finding with its fix (server_check.py); none where the roles are not enforced."""
        from .server_check import check_server  # (it reads the staff list's checks from here)

        with self.k.said():
            return check_server(self.k)


_TRIGGER_NAME = re.compile(r"CREATE TRIGGER (?:IF NOT EXISTS )?(\w+)", re.IGNORECASE)


def _normal(sql: str | None) -> str:
    return " ".join((sql or "").replace("IF NOT EXISTS ", "").split()).lower()


def expected_triggers() -> dict[str, str]:
    return {_TRIGGER_NAME.match(sql).group(1): _normal(sql) for sql in APPEND_ONLY_TRIGGERS}  # type: ignore[union-attr]


def trigger_problems(conn: Connection) -> list[str]:
    """The audit log's append-only triggers, each missing or changed."""
    have = {
        name: _normal(sql)
        for name, sql in conn.exec_driver_sql("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
    }
    out = []
    for name, sql in expected_triggers().items():
        if name not in have:
            out.append(f"{name} dropped")
        elif have[name] != sql:
            out.append(f"{name} changed")
    return out


def shape(conn: Connection) -> dict[str, Any]:
    """Tables with their columns (name, nullable), indexes and triggers: what a schema change shows in."""
    insp = inspect(conn)
    tables = {}
    for table in insp.get_table_names():
        tables[table] = {
            "columns": sorted((c["name"], bool(c["nullable"])) for c in insp.get_columns(table)),
            "indexes": sorted((i["name"] or "", bool(i.get("unique"))) for i in insp.get_indexes(table)),
        }
    triggers = {
        name: _normal(sql)
        for name, sql in conn.exec_driver_sql("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
    }
    return {"tables": tables, "triggers": triggers}


def release_shape() -> dict[str, Any]:
    """The shape of a database this release makes (built in memory)."""
    engine = create_engine("sqlite://")
    try:
        with engine.begin() as conn:
            create_schema(conn)
            return shape(conn)
    finally:
        engine.dispose()


def schema_problems(conn: Connection) -> list[str]:
    """Tables, columns, indexes and triggers that differ from what this release makes."""
    want, have = release_shape(), shape(conn)
    out: list[str] = []
    for table in sorted(set(want["tables"]) | set(have["tables"])):
        if table not in have["tables"]:
            out.append(f"table {table} missing")
            continue
        if table not in want["tables"]:
            out.append(f"table {table} added")
            continue
        for part, word in (("columns", "column"), ("indexes", "index")):
            w, h = dict(want["tables"][table][part]), dict(have["tables"][table][part])
            for name in sorted(set(w) | set(h)):
                if name not in h:
                    out.append(f"{table}: {word} {name} missing")
                elif name not in w:
                    out.append(f"{table}: {word} {name} added")
                elif w[name] != h[name]:
                    out.append(f"{table}: {word} {name} changed")
    for name in sorted(set(have["triggers"]) - set(want["triggers"])):
        out.append(f"trigger {name} added")
    return out


def staff_problems(conn: Connection) -> list[str]:
    """Staff whose role or state is not what the audit log's staff events add up to (a role given
    by writing the file directly, not through the desk)."""
    expected = logged_staff(conn)
    out = []
    on_file = {}
    for login, role, active in conn.execute(text("SELECT login, role, active FROM staff ORDER BY login")):
        on_file[login] = role
        was = expected.get(login)
        if was is None:
            out.append(f"{login} ({role}) was added without an event")
        elif was["role"] != role:
            out.append(f"{login} is {role}, the log says {was['role']}")
        elif bool(was["active"]) != bool(active):
            out.append(f"{login} is {'active' if active else 'deactivated'}, the log says otherwise")
    for login in sorted(set(expected) - set(on_file)):
        out.append(f"{login} was removed")
    return out


def logged_staff(conn: Connection) -> dict[str, dict[str, Any]]:
    """login → {"role", "active"} as the audit log's staff events add up to."""
    expected: dict[str, dict[str, Any]] = {}
    rows = conn.execute(
        text("SELECT kind, payload FROM event WHERE kind IN (:added, :changed) ORDER BY id"),
        {"added": str(EventKind.STAFF_ADDED), "changed": str(EventKind.STAFF_CHANGED)},
    )
    for kind, payload in rows:
        try:
            data = json.loads(payload or "{}")
        except ValueError:
            continue
        login = data.get("login")
        if not isinstance(login, str):
            continue
        if kind == EventKind.STAFF_ADDED:
            expected[login] = {"role": data.get("role"), "active": True}
            continue
        known = expected.setdefault(login, {"role": None, "active": True})
        for field in ("role", "active"):
            change = data.get(field)
            if isinstance(change, list) and len(change) == 2:
                known[field] = change[1]
    return expected

"""The throwaway PostgreSQL cluster the tests may use (.ci/postgres.sh starts one and sets
LIYUAN_TEST_PG to its socket folder). Without it the PostgreSQL variants are skipped, saying why;
with LIYUAN_TEST_PG_REQUIRED=1 (CI) a missing cluster fails them instead."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

SOCKET = os.environ.get("LIYUAN_TEST_PG", "")
REQUIRED = os.environ.get("LIYUAN_TEST_PG_REQUIRED") == "1"
ADMIN = "postgres"  # root's peer login maps to the superuser (see .ci/postgres.sh)


def need_cluster() -> None:
    if SOCKET and os.path.isdir(SOCKET):
        return
    if REQUIRED:
        pytest.fail("LIYUAN_TEST_PG_REQUIRED=1 but no PostgreSQL cluster (LIYUAN_TEST_PG) is running")
    pytest.skip("no PostgreSQL cluster: start one with .ci/postgres.sh and set LIYUAN_TEST_PG")


def url(database: str, user: str = ADMIN) -> str:
    return f"postgresql+psycopg://{user}@/{database}?host={SOCKET}"


def admin_connection():
    import psycopg

    return psycopg.connect(dbname="postgres", user=ADMIN, host=SOCKET, autocommit=True)


def create_database(template: str | None = None) -> str:
    name = f"t_{uuid.uuid4().hex[:12]}"
    with admin_connection() as conn:
        conn.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
    return name


def drop_database(name: str) -> None:
    with admin_connection() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def scratch_database() -> Iterator[str]:
    """A new, empty database for one test (the cluster needed, else skipped), dropped after it."""
    need_cluster()
    name = create_database()
    try:
        yield name
    finally:
        drop_database(name)


# Databases from templates (tests/db_templates.py).
def database_of(address: str) -> str | None:
    """The database a URL of `url()` names."""
    from urllib.parse import urlsplit

    name = urlsplit(address).path.lstrip("/")
    return name or None


def marks(name: str) -> tuple:
    """What a desk database holds, in short: its tables, staff and events (every desk write records
    one). A copy of a template that was written to no longer has its template's marks."""
    import psycopg

    with psycopg.connect(dbname=name, user=ADMIN, host=SOCKET, autocommit=True) as conn:
        tables = conn.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").fetchone()[0]
        if not tables:
            return (0,)
        rows = conn.execute(
            "SELECT (SELECT count(*) FROM staff), (SELECT count(*) FROM event), "
            "(SELECT coalesce(max(id), 0) FROM event), (SELECT count(*) FROM request)"
        ).fetchone()
    return (tables, *rows)


def connections_to(conn, name: str) -> int:
    return conn.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = %s", (name,)).fetchone()[0]


def close_to_connections(name: str) -> None:
    """A template: nobody may connect to it any more, and those who did have gone (a backend
    leaves a moment after its client closed; CREATE DATABASE … TEMPLATE needs it gone)."""
    import time

    with admin_connection() as conn:
        conn.execute(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS false')
        deadline = time.monotonic() + 30
        while connections_to(conn, name):
            assert time.monotonic() < deadline, f"connections to the template {name} did not end"
            time.sleep(0.01)


def replace_from_template(name: str, template: str) -> None:
    """The database `name` (untouched) made again as a copy of `template`, under the same name."""
    with admin_connection() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')  # (the check's own backend may linger)
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')

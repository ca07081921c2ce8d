"""The throwaway PostgreSQL cluster the tests may use (.ci/postgres.sh starts one and sets
LIYUAN_TEST_PG to its socket folder). Without it the PostgreSQL variants are skipped, saying why;
with LIYUAN_TEST_PG_REQUIRED=1 (CI) a missing cluster fails them instead."""

from __future__ import annotations

import os
import uuid

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

"""The desk on PostgreSQL: eight writers at once, moving a SQLite site over with `liyuan copy`,
backups with pg_dump, a release-0.1.0 database upgraded in place, and one clear line when the
server cannot be reached."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pg
import pytest
from cli_runner import run_liyuan
from sqlalchemy import MetaData, create_engine, insert, select, text

from liyuan_tui.store import schema

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]
WRITER = ROOT / "tests" / "store" / "writer.py"
FIXTURE = ROOT / "tests" / "fixtures" / "release-0.1.0.db"


@pytest.fixture
def database():
    with pg.scratch_database() as name:
        yield name


def env_for(url: str, tmp_path: Path, **extra: str) -> dict[str, str]:
    return dict(
        os.environ,
        LIYUAN_DB=url,
        LIYUAN_LANG="en",
        XDG_CONFIG_HOME=str(tmp_path / "cfg"),
        XDG_DATA_HOME=str(tmp_path / "data"),
        **extra,
    )


def test_eight_writers_at_once_lose_and_repeat_nothing(database, tmp_path):
    url = pg.url(database)
    env = env_for(url, tmp_path, LIYUAN_USER="sup")
    assert run_liyuan(env, "init").returncode == 0  # made on purpose, `sup` its first supervisor
    for n in range(8):
        assert (
            run_liyuan(env, "staff", "add", f"w{n}", "--name", f"W{n}", "--role", "assistant").returncode == 0
        )
    spawn_env = dict(os.environ, PYTHONPATH=str(ROOT))
    procs = [
        subprocess.Popen(
            [sys.executable, str(WRITER), url, f"w{n}", "60"],
            env=spawn_env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(8)
    ]
    outputs = [p.communicate(timeout=300) for p in procs]
    for p, (_out, err) in zip(procs, outputs, strict=True):
        assert p.returncode == 0, err
    printed = [line for out, _ in outputs for line in out.split()]
    engine = create_engine(url)
    with engine.connect() as conn:
        refs = list(conn.execute(text("SELECT ref FROM request")).scalars())
        created = conn.execute(text("SELECT count(*) FROM event WHERE kind = 'created'")).scalar()
    engine.dispose()
    assert len(printed) == len(refs) == len(set(refs)) == created == 480
    assert sorted(printed) == sorted(refs)


def _sqlite_site(tmp_path: Path) -> Path:
    """A SQLite site with a night of requests (the demo's, on a real clock of the past)."""
    path = tmp_path / "site.db"
    shutil.copy(FIXTURE, path)
    env = env_for(str(path), tmp_path, LIYUAN_USER="zhou.min")
    assert run_liyuan(env, "migrate").returncode == 0
    return path


def test_copy_moves_every_row_with_its_id_and_time_and_refuses_a_full_target(database, tmp_path):
    source = _sqlite_site(tmp_path)
    url = pg.url(database)
    env = env_for(str(source), tmp_path, LIYUAN_USER="zhou.min")
    done = run_liyuan(env, "copy", "--to", url)
    assert done.returncode == 0, done.stderr
    src, dst = create_engine(f"sqlite:///{source}"), create_engine(url)
    tables = MetaData()
    tables.reflect(src)
    with src.connect() as a, dst.connect() as b:
        for table in tables.sorted_tables:
            if table.name == "alembic_version":
                continue
            key = [c.name for c in table.primary_key.columns]
            mine = [tuple(r) for r in a.execute(select(table).order_by(*key))]
            theirs = [
                tuple(r)
                for r in b.execute(
                    select(*[text(f'"{c.name}"') for c in table.columns])
                    .select_from(text(table.name))
                    .order_by(*[text(k) for k in key])
                )
            ]
            assert [tuple(str(v) for v in r) for r in theirs] == [tuple(str(v) for v in r) for r in mine], (
                table.name
            )
        assert b.execute(text("SELECT version_num FROM alembic_version")).scalar() == schema.HEAD
    src.dispose()
    dst.dispose()
    again = run_liyuan(env, "copy", "--to", url)
    assert again.returncode == 2 and "empty" in again.stderr and len(again.stderr.splitlines()) == 1
    # the desk works on the copy, and numbers on after the copied requests
    queue = run_liyuan(env_for(url, tmp_path, LIYUAN_USER="zhou.min"), "queue", "--json", "--estate", "all")
    assert queue.returncode == 0, queue.stderr
    logged = run_liyuan(
        env_for(url, tmp_path, LIYUAN_USER="zhou.min"),
        "log",
        "--category",
        "B",
        "--unit",
        "1",
        "--phone",
        "13800000000",
    )
    assert logged.returncode == 0, logged.stderr


def test_backup_on_postgresql_is_a_pg_dump(database, tmp_path):
    env = env_for(pg.url(database), tmp_path, LIYUAN_USER="sup")
    assert run_liyuan(env, "init").returncode == 0
    assert run_liyuan(env, "log", "--category", "B", "--unit", "1", "--phone", "123").returncode == 0
    target = tmp_path / "desk.dump"
    done = run_liyuan(env, "backup", str(target))
    assert done.returncode == 0, done.stderr
    assert "pg_dump" in done.stdout and target.stat().st_mode & 0o077 == 0
    listed = subprocess.run(
        [shutil.which("pg_restore") or "/usr/lib/postgresql/15/bin/pg_restore", "--list", str(target)],
        capture_output=True,
        text=True,
    )
    assert listed.returncode == 0 and "TABLE DATA public request" in listed.stdout
    again = run_liyuan(env, "backup", str(target))
    assert again.returncode == 2 and "never overwritten" in again.stderr  # no "file:" tag (issue 20)


def test_a_release_database_on_postgresql_is_upgraded_in_place(database, tmp_path):
    """The release-0.1.0 fixture's rows, laid out at revision 0001 on the server, then `migrate`."""
    url = pg.url(database)
    engine = create_engine(url)
    old = create_engine(f"sqlite:///{FIXTURE}")
    tables = MetaData()
    tables.reflect(old)
    with engine.begin() as conn:
        schema.upgrade(conn, "0001")
        with old.connect() as src:
            for table in tables.sorted_tables:
                rows = [dict(r) for r in src.execute(select(table)).mappings()]
                if rows:
                    conn.execute(insert(table), rows)
        conn.execute(text("SELECT setval('request_id_seq', (SELECT max(id) FROM request))"))
        conn.execute(text("SELECT setval('event_id_seq', (SELECT max(id) FROM event))"))
    counts = {t: _count(engine, t) for t in ("request", "event", "steprecord", "staff", "charge")}
    env = env_for(url, tmp_path, LIYUAN_USER="zhou.min")
    refused = run_liyuan(env, "queue")
    assert refused.returncode == 2 and "liyuan migrate" in refused.stderr
    done = run_liyuan(env, "migrate")
    assert done.returncode == 0, done.stderr
    after = {t: _count(engine, t) for t in counts}
    assert after == {**counts, "event": counts["event"] + 2}  # migrated, and the first rules published
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == schema.HEAD
        assert set(conn.execute(text("SELECT DISTINCT estate FROM request")).scalars()) == {"main"}
    assert run_liyuan(env, "queue", "--json").returncode == 0
    engine.dispose()
    old.dispose()


def _count(engine, table: str) -> int:
    with engine.connect() as conn:
        return conn.execute(text(f"SELECT count(*) FROM {table}")).scalar()


@pytest.mark.parametrize(
    "url, said",
    [
        ("postgresql:///liyuan?host=/nonexistent-socket-folder", "cannot reach the database server"),
        ("postgresql://nobody_at_all@/postgres?host={socket}", "nobody_at_all"),
        ("postgresql:///no_such_database_here?host={socket}&user=postgres", "no_such_database_here"),
    ],
)
def test_a_server_that_cannot_be_reached_is_one_line(url, said, tmp_path):
    pg.need_cluster()
    url = url.format(socket=pg.SOCKET)
    for command in (("queue",), ("log", "--category", "B", "--unit", "1", "--phone", "123")):
        done = run_liyuan(env_for(url, tmp_path), *command)
        assert done.returncode == 2, done.stderr
        assert len(done.stderr.strip().splitlines()) == 1 and said in done.stderr
        assert "Traceback" not in done.stderr and "password" not in done.stderr.lower()

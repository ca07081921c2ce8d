"""The schema's history: a database written by release 0.1.0 (kept as a fixture) is upgraded in
place by `liyuan migrate`, which copies it first; the desk refuses a database older or newer than
it understands, with one line saying what to run; the revisions build the same schema as a new
database gets."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from alembic.config import Config
from alembic.script import ScriptDirectory
from cli_runner import run_liyuan
from sqlalchemy import create_engine, inspect

from liyuan_tui.store import schema

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "release-0.1.0.db"


def test_the_head_constant_is_alembics_head():
    config = Config()
    config.set_main_option("script_location", str(schema.migrations_folder()))
    script = ScriptDirectory.from_config(config)
    assert script.get_current_head() == schema.HEAD
    assert [r.revision for r in reversed(list(script.walk_revisions()))] == schema.known_revisions()


def columns(url: str) -> dict[str, set[tuple[str, bool]]]:
    insp = inspect(create_engine(url))
    return {t: {(c["name"], c["nullable"]) for c in insp.get_columns(t)} for t in insp.get_table_names()}


def indexes(url: str) -> dict[str, set[str]]:
    insp = inspect(create_engine(url))
    return {t: {i["name"] for i in insp.get_indexes(t)} for t in insp.get_table_names()}


def test_the_revisions_build_the_schema_a_new_database_gets(tmp_path):
    fresh, stepped = f"sqlite:///{tmp_path / 'fresh.db'}", f"sqlite:///{tmp_path / 'stepped.db'}"
    with create_engine(fresh).begin() as conn:
        schema.create_schema(conn)
    with create_engine(stepped).begin() as conn:
        schema.upgrade(conn)
    assert columns(stepped) == columns(fresh)
    assert indexes(stepped) == indexes(fresh)


@pytest.fixture
def old_db(tmp_path) -> Path:
    path = tmp_path / "desk.db"
    shutil.copy(FIXTURE, path)
    return path


def test_a_release_0_1_0_database_is_refused_until_migrated_then_keeps_everything(old_db, cli_env):
    env = dict(cli_env, LIYUAN_DB=str(old_db), LIYUAN_USER="zhou.min")  # the release's supervisor
    refused = run_liyuan(env, "queue")
    assert (
        refused.returncode == 2
        and "liyuan migrate" in refused.stderr
        and len(refused.stderr.splitlines()) == 1
    )
    with sqlite3.connect(old_db) as conn:
        before = {
            t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("request", "event", "steprecord", "staff", "resident", "charge")
        }
        refs = conn.execute("SELECT ref, status, version FROM request ORDER BY id").fetchall()
    done = run_liyuan(env, "migrate")
    assert done.returncode == 0, done.stderr
    copies = list(old_db.parent.glob("desk.before-migrate-0001-*.db"))
    assert len(copies) == 1 and copies[0].stat().st_mode & 0o077 == 0
    assert str(copies[0]) in done.stdout
    with sqlite3.connect(copies[0]) as conn:  # the copy is the file as it was
        assert conn.execute("SELECT count(*) FROM event").fetchone()[0] == before["event"]
    with sqlite3.connect(old_db) as conn:
        after = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in before}
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == schema.HEAD
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT ref, status, version FROM request ORDER BY id").fetchall() == refs
        last = conn.execute("SELECT kind, actor FROM event ORDER BY id DESC LIMIT 2").fetchall()
        published = conn.execute(
            "SELECT kind, version, published_by FROM site_rules ORDER BY kind"
        ).fetchall()
    assert after == {**before, "event": before["event"] + 2}
    # migrated, then the site's first published rules (what was in force: the shipped files)
    assert last == [("rules_published", "zhou.min"), ("migrated", "zhou.min")]
    assert published == [("answers", 1, "zhou.min"), ("fees", 1, "zhou.min"), ("procedures", 1, "zhou.min")]
    queue = run_liyuan(env, "queue", "--json")
    assert queue.returncode == 0, queue.stderr
    again = run_liyuan(env, "migrate")
    assert again.returncode == 0 and "nothing to do" in again.stdout
    checked = run_liyuan(env, "check")  # the migrated file is what this release makes: nothing reported
    assert "structure differs" not in checked.stdout and "triggers" not in checked.stdout, checked.stdout
    assert "without a recorded event" not in checked.stdout


def test_a_newer_database_is_refused_with_what_to_do(tmp_path, cli_env):
    path = tmp_path / "desk.db"
    env = dict(cli_env, LIYUAN_DB=str(path))
    assert run_liyuan(env, "init").returncode == 0
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    for args in (("queue",), ("migrate",)):
        refused = run_liyuan(env, *args)
        assert refused.returncode == 2 and "newer release" in refused.stderr, refused.stderr
        assert len(refused.stderr.strip().splitlines()) == 1


def test_an_assistant_may_not_migrate(old_db, cli_env):
    env = dict(cli_env, LIYUAN_DB=str(old_db), LIYUAN_USER="sup")  # an assistant in that file
    refused = run_liyuan(env, "migrate")
    assert refused.returncode == 2 and "assistant" in refused.stderr
    assert not list(old_db.parent.glob("desk.before-migrate-*"))  # refused before any copy

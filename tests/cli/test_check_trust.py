"""`liyuan check` finds what someone with write access to the SQLite file could change behind the
desk's back: the audit log's triggers, the schema, a staff role given without its event; and the
space left on the disk. (A journal removed under an open desk: tests/store/test_journal.py.)"""

from __future__ import annotations

import sqlite3

import pytest
from cli_runner import run_liyuan

pytestmark = (
    pytest.mark.sqlite_only
)  # a file's triggers, schema and disk: PostgreSQL's own checks are server_problems


def check(cli_env):
    return run_liyuan(dict(cli_env, LIYUAN_USER="sup"), "check")


def tamper(db_path, *statements: str) -> None:
    with sqlite3.connect(db_path) as conn:
        for sql in statements:
            conn.execute(sql)


def test_a_fresh_desk_checks_clean_and_says_the_space_left(staff, cli_env):
    done = check(cli_env)
    assert done.returncode == 0, done.stdout
    assert "disk space" in done.stdout and "all good" in done.stdout


@pytest.mark.parametrize(
    "statements,said",
    [
        (["DROP TRIGGER event_append_only_delete"], "event_append_only_delete dropped"),
        (
            [
                "DROP TRIGGER event_append_only_update",
                "CREATE TRIGGER event_append_only_update BEFORE UPDATE ON event BEGIN SELECT 1; END",
            ],
            "event_append_only_update changed",
        ),
    ],
)
def test_audit_triggers_dropped_or_changed(staff, cli_env, db_path, statements, said):
    tamper(db_path, *statements)
    done = check(cli_env)
    assert done.returncode == 1 and said in done.stdout and "events may have been rewritten" in done.stdout


@pytest.mark.parametrize(
    "statements,said",
    [
        (["ALTER TABLE request ADD COLUMN secret_copy TEXT"], "request: column secret_copy added"),
        (["DROP INDEX ix_event_kind"], "event: index ix_event_kind missing"),
        (["CREATE TABLE shadow (x)"], "table shadow added"),
        (
            ["CREATE TRIGGER sneaky AFTER INSERT ON request BEGIN UPDATE request SET unit = 'x'; END"],
            "trigger sneaky added",
        ),
    ],
)
def test_a_schema_changed_from_what_this_release_makes(staff, cli_env, db_path, statements, said):
    tamper(db_path, *statements)
    done = check(cli_env)
    assert done.returncode == 1 and said in done.stdout, done.stdout


def test_a_staff_role_changed_without_its_event(staff, cli_env, db_path):
    tamper(
        db_path,
        "UPDATE staff SET role = 'cs_supervisor' WHERE login = 'ann'",
        "INSERT INTO staff (login, name, role, phone, active, estate) VALUES ('mole', 'M', 'manager', '', 1, 'main')",
    )
    done = check(cli_env)
    assert done.returncode == 1
    assert "ann is cs_supervisor, the log says assistant" in done.stdout
    assert "mole (manager) was added without an event" in done.stdout


def test_a_role_changed_through_the_desk_is_not_reported(staff, cli_env):
    staff["cs_supervisor"].staff.update_staff("ann", role="cs_supervisor")
    staff["cs_supervisor"].staff.update_staff("gd", active=False)
    assert check(cli_env).returncode == 0


def test_space_running_out_is_reported(staff, cli_env, monkeypatch):
    monkeypatch.setattr("liyuan_tui.store.dbfiles.free_bytes", lambda folder: 50 * 1024 * 1024)
    done = check(cli_env)
    assert done.returncode == 1 and "only 50 MB free on the disk holding the database" in done.stdout


def test_check_never_makes_the_database_it_names(cli_env, db_path):
    done = check(cli_env)
    assert done.returncode == 1 and "there is no database at" in done.stdout
    assert not db_path.exists()

"""The site administrator's path as the README writes it: a SQLite site copied by root (no
--user) into an empty database, `site init` on it (the copied staff keep their roles and get their
logins), another socket and port in the URL; and every failure on the way one plain line naming
what failed — a database the login may not create, a target already set up, a server that is not
there, a deactivated login."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pg
import pytest
from cli_runner import run_liyuan
from os_logins import run_as

pytestmark = pytest.mark.e2e


def one_line(done) -> str:
    assert done.returncode == 2, done.stdout + done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr, done.stderr
    return done.stderr


@pytest.fixture
def sqlite_site(site):
    """A SQLite desk with the site's supervisor and assistant, in a folder every login reaches."""
    import tempfile

    folder = Path(tempfile.mkdtemp(dir=site.home, prefix="sqlite-"))
    os.chmod(folder, 0o777)
    db = folder / "desk.db"
    env = dict(site.env, LIYUAN_DB=str(db))
    sup, ann = site.login("cs_supervisor"), site.login("assistant")
    assert run_liyuan(env, "init", "--supervisor", sup).returncode == 0
    added = run_liyuan(
        dict(env, LIYUAN_USER=sup), "staff", "add", ann, "--name", "Ann", "--role", "assistant"
    )
    assert added.returncode == 0, added.stderr
    logged = run_liyuan(
        dict(env, LIYUAN_USER=ann), "log", "--category", "B", "--unit", "1", "--phone", "13800000001"
    )
    assert logged.returncode == 0, logged.stderr
    for path in folder.iterdir():
        os.chmod(path, 0o666)
    return env


def test_root_copies_a_sqlite_site_then_sets_it_up_as_the_readme_says(site, sqlite_site):
    name = f"{site.db}_moved"
    target = f"postgresql://postgres@/{name}?host={pg.SOCKET}&port=5432"  # another socket, a port
    try:
        copied = run_liyuan(sqlite_site, "copy", "--to", target)  # root, no --user
        assert copied.returncode == 0, copied.stderr
        made = run_liyuan(
            sqlite_site, "site", "init", "--db", target, "--supervisor", site.login("cs_supervisor")
        )
        assert made.returncode == 0, made.stderr
        ann = site.login("assistant")
        groups = [
            r[0]
            for r in pg_rows(
                name,
                f"SELECT r.rolname FROM pg_auth_members m JOIN pg_roles r ON "
                f"r.oid = m.roleid JOIN pg_roles u ON u.oid = m.member WHERE u.rolname = '{ann}'",
            )
        ]
        assert groups == ["liyuan_assistant"]  # the copied staff list made her login
        env = dict(sqlite_site, LIYUAN_DB=target, LIYUAN_USER=site.login("cs_supervisor"))
        queue = json.loads(run_liyuan(env, "queue", "--json").stdout)
        assert len(queue) == 1
        checked = run_liyuan(env, "check")
        assert checked.returncode == 0, checked.stdout
        again = one_line(run_liyuan(sqlite_site, "copy", "--to", target))
        assert "copy into an empty database first" in again
    finally:
        pg.drop_database(name)


def test_copy_names_the_target_the_login_may_not_create(site, sqlite_site, installed):
    sup = site.login("cs_supervisor")
    os.chown(sqlite_site["LIYUAN_DB"], pwd_uid(sup), -1)
    done = run_as(
        sup, str(installed), "copy", "--to", f"postgresql:///{site.db}_nope?host={pg.SOCKET}", env=sqlite_site
    )
    said = one_line(done)
    assert f"{site.db}_nope" in said and "may not" in said and "sqlite" not in said.lower()


def test_a_server_that_is_not_there_and_a_deactivated_login_are_one_plain_line(site, installed):
    nowhere = site.home / "no-server"
    nowhere.mkdir()
    said = one_line(run_liyuan(dict(site.env, LIYUAN_DB=f"postgresql:///liyuan?host={nowhere}"), "queue"))
    assert "cannot reach the database server" in said and "http" not in said
    sup, gd = site.login("cs_supervisor"), site.login("guard")
    assert run_liyuan(dict(site.admin_env, LIYUAN_USER=sup), "staff", "deactivate", gd).returncode == 0
    try:
        said = one_line(run_as(gd, str(installed), "queue", env=site.env))
        assert "deactivated" in said
    finally:
        run_liyuan(dict(site.admin_env, LIYUAN_USER=sup), "staff", "activate", gd)


def pwd_uid(login: str) -> int:
    import pwd

    return pwd.getpwnam(login).pw_uid


def pg_rows(database: str, sql: str):
    import psycopg

    with psycopg.connect(dbname=database, user=pg.ADMIN, host=pg.SOCKET) as conn:
        return conn.execute(sql).fetchall()

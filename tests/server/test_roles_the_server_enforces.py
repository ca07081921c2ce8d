"""PostgreSQL mode as a site runs it: two throwaway OS logins, peer authentication over the Unix
socket, the desk installed for every login. What the desk allows works through `liyuan`; what
their role may not do is refused by the server itself when they try it with `psql`."""

from __future__ import annotations

import os
import shutil

import pg
import pytest
from cli_runner import run_liyuan
from os_logins import open_folder, run_as, shared_install, throwaway_logins

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def installed():
    pg.need_cluster()
    with open_folder("liyuan-desk-") as folder:
        yield shared_install(folder)


@pytest.fixture
def site(installed):
    """A database set up by `site init` (as the administrator), its first supervisor and an
    assistant added by that supervisor with `liyuan staff add`."""
    with throwaway_logins("sup", "ann") as (sup, ann), open_folder("liyuan-home-") as home:
        name = pg.create_database()
        url = f"postgresql:///{name}?host={pg.SOCKET}"
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "LIYUAN_DB": url,
            "LIYUAN_LANG": "en",
            "XDG_CONFIG_HOME": str(home / "config"),
            "XDG_DATA_HOME": str(home / "data"),
            "HOME": str(home),
        }
        admin = run_liyuan(dict(env, LIYUAN_DB=url + "&user=postgres"), "site", "init", "--supervisor", sup)
        assert admin.returncode == 0, admin.stderr
        added = run_as(
            sup, str(installed), "staff", "add", ann, "--name", "Ann", "--role", "assistant", env=env
        )
        assert added.returncode == 0, added.stderr
        try:
            yield {"sup": sup, "ann": ann, "db": name, "env": env, "liyuan": str(installed)}
        finally:
            pg.drop_database(name)


def psql(site, login: str, sql: str):
    command = [
        shutil.which("psql") or "psql",
        "-X",
        "-A",
        "-t",
        "-v",
        "ON_ERROR_STOP=1",
        "-h",
        pg.SOCKET,
        "-d",
        site["db"],
        "-c",
        sql,
    ]
    return run_as(login, *command, env=site["env"])


def test_an_assistant_works_through_the_desk_but_the_server_refuses_her_psql(site):
    sup, ann, liyuan, env = site["sup"], site["ann"], site["liyuan"], site["env"]
    secret = run_as(
        sup,
        liyuan,
        "log",
        "--category",
        "D",
        "--unit",
        "1-101",
        "--phone",
        "13800000001",
        "--text",
        "TOP-SECRET-PLAN",
        "--confidential",
        env=env,
    )
    assert secret.returncode == 0, secret.stderr
    mine = run_as(
        ann,
        liyuan,
        "log",
        "--category",
        "B",
        "--unit",
        "2-202",
        "--phone",
        "13800000002",
        "--text",
        "tap leaking",
        env=env,
    )
    assert mine.returncode == 0, mine.stderr
    ref = mine.stdout.strip()
    assert run_as(ann, liyuan, "reply", ref, env=env).returncode == 0

    promoted = psql(site, ann, f"UPDATE staff SET role = 'cs_supervisor' WHERE login = '{ann}'")
    assert promoted.returncode != 0 and "permission denied" in promoted.stderr
    erased = psql(site, ann, "DELETE FROM event")
    assert erased.returncode != 0 and "permission denied" in erased.stderr
    rewritten = psql(site, ann, "UPDATE event SET actor = 'nobody'")
    assert rewritten.returncode != 0 and "permission denied" in rewritten.stderr
    looked = psql(site, ann, "SELECT description FROM request WHERE confidential")
    assert looked.returncode == 0 and "TOP-SECRET-PLAN" not in looked.stdout
    looked_events = psql(site, ann, "SELECT payload FROM event")
    assert "TOP-SECRET-PLAN" not in looked_events.stdout
    seen_by_sup = psql(site, sup, "SELECT description FROM request WHERE confidential")
    assert "TOP-SECRET-PLAN" in seen_by_sup.stdout  # the same rule as the desk's: supervisors see it
    own_roles = psql(site, ann, f"SELECT liyuan_staff_role('{ann}', 'manager', true)")
    assert own_roles.returncode != 0


def test_a_change_made_by_hand_leaves_an_event_naming_who_made_it(site):
    ann, liyuan, env = site["ann"], site["liyuan"], site["env"]
    ref = run_as(
        ann, liyuan, "log", "--category", "B", "--unit", "3-303", "--phone", "13800000003", env=env
    ).stdout.strip()
    changed = psql(site, ann, f"UPDATE request SET unit = '9-999' WHERE ref = '{ref}'")
    assert changed.returncode == 0, changed.stderr
    events = psql(
        site,
        site["sup"],
        f"SELECT e.kind, e.actor, e.db_user FROM event e JOIN request r "
        f"ON r.id = e.request_id WHERE r.ref = '{ref}' ORDER BY e.id",
    )
    rows = [line.split("|") for line in events.stdout.split()]
    assert rows[0] == ["created", ann, ann]  # the desk's own event, and the server's name for who wrote it
    assert rows[-1] == ["db_change", ann, ann]
    shown = run_as(site["sup"], liyuan, "show", ref, "--json", env=env)
    assert shown.returncode == 0 and '"db_change"' in shown.stdout


def test_acting_as_another_login_is_recorded_with_the_real_one(site):
    sup, ann, liyuan, env = site["sup"], site["ann"], site["liyuan"], site["env"]
    ref = run_as(
        sup,
        liyuan,
        "log",
        "--user",
        ann,
        "--category",
        "B",
        "--unit",
        "4-404",
        "--phone",
        "13800000004",
        env=env,
    )
    if ref.returncode != 0:  # a site may forbid acting as another login altogether: then it is refused
        assert len(ref.stderr.strip().splitlines()) == 1
        return
    events = psql(
        site,
        sup,
        f"SELECT actor, db_user FROM event e JOIN request r ON r.id = e.request_id "
        f"WHERE r.ref = '{ref.stdout.strip()}'",
    )
    _actor, db_user = events.stdout.split()[0].split("|")
    assert db_user == sup


def test_a_deactivated_login_may_no_longer_reach_the_database(site):
    sup, ann, liyuan, env = site["sup"], site["ann"], site["liyuan"], site["env"]
    assert psql(site, ann, "SELECT 1").returncode == 0
    moved = run_as(sup, liyuan, "staff", "role", ann, "guard", env=env)
    assert moved.returncode == 0, moved.stderr
    groups = psql(
        site,
        sup,
        f"SELECT r.rolname FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid "
        f"JOIN pg_roles u ON u.oid = m.member WHERE u.rolname = '{ann}'",
    )
    assert groups.stdout.split() == ["liyuan_guard"]
    gone = run_as(sup, liyuan, "staff", "deactivate", ann, env=env)
    assert gone.returncode == 0, gone.stderr
    refused = psql(site, ann, "SELECT 1")
    assert refused.returncode != 0 and "not permitted to log in" in refused.stderr

"""The desk works on a site for every role, through the desk installed for every login, with the
server enforcing the matrix: a repair from the first call to the follow-up, the store room, the
tools, the household file, staff records, the month's analysis and report, the ladder. Nothing
the desk does leaves a `db_change` (each of its writes has its own event); `check` stays clean;
the supervisor's `liyuan backup` works and restores into a database that checks clean."""

from __future__ import annotations

import json
import subprocess

import pg
import pytest
from os_logins import run_as

pytestmark = pytest.mark.e2e


def desk(site, installed, role: str, *args: str, ok: bool = True, **env: str) -> subprocess.CompletedProcess:
    done = run_as(site.login(role), str(installed), *args, env=dict(site.env, **env))
    if ok:
        assert done.returncode == 0, f"{role} {' '.join(args)}: {done.stderr}{done.stdout}"
    return done


def test_every_role_works_through_the_desk_and_leaves_no_db_change(site, installed):
    ann, tech = site.login("assistant"), site.login("technician")

    def run(role, *a, **k):
        return desk(site, installed, role, *a, **k)

    ref = run(
        "assistant", "log", "--category", "B", "--unit", "3-301", "--phone", "13800000009"
    ).stdout.strip()
    run("assistant", "reply", ref)
    run("assistant", "step", ref, "fault", "--value", "water pipe")
    run("assistant", "step", ref, "dispatch", "--value", tech)
    run("assistant", "charge", ref, "drain")
    number = run("assistant", "order", "new", ref, "--to", tech).stdout.split()[0]
    run("dept_staff", "stock", "add", "PIPE", "--name", "pipe", "--unit", "m", "--price", "10")
    run("dept_staff", "stock", "in", "PIPE", "10")
    run("dept_staff", "tools", "add", "WR", "--name", "wrench")
    run("assistant", "tools", "issue", "WR", "--to", tech, "--order", number)
    run("technician", "order", "arrive", number)
    run(
        "technician", "order", "finish", number, "--hours", "1", "--material", "PIPE=1", "--signed-by", "Wang"
    )
    listed = json.loads(run("technician", "order", "list", "--json").stdout)
    assert [o["number"] for o in listed] == [number]  # their own orders
    run("assistant", "tools", "return", "WR")
    run("assistant", "step", ref, "record")
    run("assistant", "close", ref, "--outcome", "fixed")
    run("assistant", "followup", ref, "--reached", "yes", "--score", "5", "--solved", "yes")
    run(
        "assistant",
        "residents",
        "edit",
        "3-301",
        "--notes",
        "PRIVATE-NOTE",
        "--elderly-alone",
        "yes",
        "--emergency-name",
        "Son",
        "--emergency-phone",
        "13900000000",
    )
    for role in ("guard", "technician"):
        shown = run(role, "residents", "show", "3-301", "--json").stdout
        assert "PRIVATE-NOTE" not in shown and "elderly_alone" in shown
    assert "PRIVATE-NOTE" in run("cs_supervisor", "residents", "show", "3-301", "--json").stdout
    run("cs_supervisor", "staff", "train", ann, "--course", "first aid", "--date", "2026-11-01")
    run("cs_supervisor", "staff", "assess", ann, "--month", "2026-10", "--score", "90", "--note", "good")
    run("cs_supervisor", "analysis", "--month", "2026-11", "--text", "a quiet month")
    run("cs_supervisor", "report", "--month", "2026-11", "--format", "json")
    run("security_lead", "log", "--category", "E", "--unit", "5-501", "--phone", "13800000008")
    run("guard", "alerts")
    run("cs_supervisor", "rules", "publish")
    shown = run("cs_supervisor", "show", ref).stdout
    assert "v1" in shown  # the procedures the request was logged under
    changes = site.admin_sql(
        "SELECT payload FROM event WHERE kind = 'db_change' AND db_user NOT IN ('postgres')"
    )
    assert changes == [], changes
    checked = run("cs_supervisor", "check", ok=False)
    assert checked.returncode == 0, checked.stdout


def test_the_supervisor_backs_up_and_the_copy_restores_clean(site, installed, tmp_path):
    import os
    import shutil

    folder = site.home / "backups"
    folder.mkdir(exist_ok=True)
    os.chmod(folder, 0o777)
    target = folder / "desk.dump"
    done = desk(site, installed, "cs_supervisor", "backup", str(target))
    assert target.exists() and (target.stat().st_mode & 0o077) == 0  # private
    assert "row-level security" not in done.stderr
    again = desk(site, installed, "cs_supervisor", "backup", str(target), ok=False)
    assert again.returncode == 2 and len(again.stderr.strip().splitlines()) == 1  # never overwritten
    refused = desk(site, installed, "assistant", "backup", str(folder / "mine.dump"), ok=False)
    assert refused.returncode == 2 and not (folder / "mine.dump").exists()

    restored = pg.create_database()
    try:
        pg_restore = shutil.which("pg_restore") or "pg_restore"
        loaded = subprocess.run(
            [
                pg_restore,
                "--no-owner",
                "--role=postgres",
                "-h",
                pg.SOCKET,
                "-U",
                "postgres",
                "-d",
                restored,
                str(target),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        assert loaded.returncode == 0, loaded.stderr
        url = f"postgresql:///{restored}?host={pg.SOCKET}"
        repaired = site.liyuan_admin("site", "repair", LIYUAN_DB=url + "&user=postgres")
        assert repaired.returncode == 0, repaired.stdout + repaired.stderr
        counts = "SELECT (SELECT count(*) FROM request), (SELECT count(*) FROM event WHERE kind <> 'site_repaired')"
        assert site.admin_sql(counts) == _count(restored, counts)
        checked = site.liyuan_admin(
            "check", LIYUAN_DB=url + "&user=postgres", LIYUAN_USER=site.login("cs_supervisor")
        )
        assert checked.returncode == 0, checked.stdout
    finally:
        pg.drop_database(restored)


def _count(database: str, sql: str):
    import psycopg

    with psycopg.connect(dbname=database, user=pg.ADMIN, host=pg.SOCKET) as conn:
        return conn.execute(sql).fetchall()

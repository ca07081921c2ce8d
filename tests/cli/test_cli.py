"""The scriptable commands, run as a script or a phone system would (in-process: cli_runner.py)."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta

import pytest
from cli_runner import run_liyuan


def liyuan(env, *args, check=True):
    proc = run_liyuan(env, *args)
    if check and proc.returncode != 0:
        raise AssertionError(f"liyuan {' '.join(args)} → {proc.returncode}\n{proc.stderr}")
    return proc


def rows(db_path, sql):
    with sqlite3.connect(db_path) as conn:
        return conn.execute(sql).fetchall()


def test_log_then_queue_shows_the_request_counting_down(cli_desk):
    cli_env = cli_desk
    first = liyuan(
        cli_env,
        "log",
        "--category",
        "medical",
        "--unit",
        "3-1201",
        "--phone",
        "13800000000",
        "--name",
        "王先生",
        "--text",
        "胸口疼",
    )
    ref = first.stdout.strip()
    assert ref.endswith("-0001")
    late = (datetime.now(UTC) - timedelta(minutes=15)).isoformat()
    late_ref = liyuan(
        cli_env,
        "log",
        "--category",
        "B",
        "--unit",
        "5-302",
        "--phone",
        "139 0000 0000",
        "--received-at",
        late,
    ).stdout.strip()
    queue = json.loads(liyuan(cli_env, "queue", "--json").stdout)
    assert [q["ref"] for q in queue] == [late_ref, ref]  # the overdue one first
    fresh, overdue = queue[1], queue[0]
    for key in (
        "ref",
        "category",
        "status",
        "unit",
        "received_at",
        "reply_due_at",
        "seconds_left",
        "state",
        "major",
        "assignee",
    ):
        assert key in fresh
    assert fresh["category"] == "medical" and fresh["state"] == "ok" and 540 < fresh["seconds_left"] <= 600
    assert overdue["state"] == "overdue" and -330 < overdue["seconds_left"] <= -295
    assert overdue["phone"] == "13900000000"
    text = liyuan(cli_env, "queue").stdout
    assert ref in text and late_ref in text and "overdue" in text


def test_the_request_life_from_the_command_line(cli_desk):
    cli_env = cli_desk
    ref = liyuan(
        cli_env, "log", "--category", "A", "--unit", "3-1201", "--phone", "13800000000"
    ).stdout.strip()
    liyuan(cli_env, "reply", ref)
    liyuan(cli_env, "escalate", ref)
    liyuan(cli_env, "step", ref, "patient_address", "--value", "3栋1201")
    refused = liyuan(cli_env, "close", ref, "--outcome", "done", check=False)
    assert refused.returncode == 2 and "branch" in refused.stderr
    shown = json.loads(liyuan(cli_env, "show", ref, "--json").stdout)
    assert shown["status"] == "replied" and shown["escalated_to"] == "cs_supervisor"
    steps = {s["key"]: s for s in shown["checklist"]}
    assert steps["patient_address"]["state"] == "done" and steps["patient_address"]["value"] == "3栋1201"
    assert steps["contact_phone"]["state"] == "pending"
    assert [e["kind"] for e in shown["events"]] == ["created", "replied", "escalated", "step"]
    human = liyuan(cli_env, "show", ref).stdout
    assert "patient_address" in human and "escalated" in human


BAD = [
    (["log", "--category", "Z", "--unit", "1", "--phone", "123"], "--category"),
    (["log", "--category", "A", "--unit", " ", "--phone", "123"], "--unit"),
    (["log", "--category", "A", "--unit", "1", "--phone", "12ab"], "--phone"),
    (
        ["log", "--category", "A", "--unit", "1", "--phone", "123", "--received-at", "last night"],
        "--received-at",
    ),
    (["log", "--category", "A", "--unit", "1", "--phone", "123", "--channel", "fax"], "--channel"),
    (["show", "202611-0999"], "no request with ref"),  # the message names it: no "ref:" tag
    (["reply", "garbage"], "is not a ref"),
    (["staff", "add", "bob", "--name", "Bob", "--role", "boss"], "--role"),
]


@pytest.mark.parametrize("args,field", BAD, ids=[f for _, f in BAD])
def test_bad_input_is_one_line_naming_the_field_and_writes_nothing(cli_desk, db_path, args, field):
    cli_env = cli_desk
    liyuan(cli_env, "staff", "list")  # the database exists, with its first user
    before = rows(db_path, "SELECT count(*) FROM event")
    proc = liyuan(cli_env, *args, check=False)
    assert proc.returncode == 2
    assert proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and field in lines[0] and "Traceback" not in proc.stderr
    assert rows(db_path, "SELECT count(*) FROM event") == before


def test_bad_input_on_a_new_database_creates_nothing(cli_env, db_path):
    proc = liyuan(cli_env, "log", "--category", "A", "--unit", "1", "--phone", "x", check=False)
    assert proc.returncode == 2 and not db_path.exists()


def test_a_database_named_but_missing_is_an_error_saying_how_to_make_it(cli_env, db_path):
    """No implicit database: LIYUAN_DB (or --db, or the config) naming a file that is not there —
    a vanished database, a typo — is refused; nothing is created, nobody becomes a supervisor."""
    for args in (
        ("staff", "list"),
        ("log", "--category", "A", "--unit", "1", "--phone", "123"),
        ("migrate",),
        ("backup", str(db_path.parent / "copy.db")),
        ("queue",),
    ):
        proc = liyuan(cli_env, *args, check=False)
        assert proc.returncode == 2, args
        assert proc.stderr.count("\n") == 1 and f"liyuan init --db {db_path}" in proc.stderr, proc.stderr
        assert not db_path.exists() and not (db_path.parent / "copy.db").exists()


def test_an_empty_file_is_not_made_into_a_database(cli_env, db_path):
    db_path.touch()
    proc = liyuan(cli_env, "staff", "list", check=False)
    assert proc.returncode == 2 and "empty" in proc.stderr
    assert db_path.stat().st_size == 0


def test_init_makes_the_named_database_once_with_you_as_its_supervisor(cli_env, db_path):
    made = liyuan(cli_env, "init")
    assert db_path.exists() and "first customer-service supervisor" in made.stdout
    listed = json.loads(liyuan(cli_env, "staff", "list", "--json").stdout)
    assert [(s["login"], s["role"]) for s in listed] == [(_me(), "cs_supervisor")]
    again = liyuan(cli_env, "init", check=False)
    assert again.returncode == 2 and "already a database" in again.stderr
    assert rows(db_path, "SELECT count(*) FROM staff") == [(1,)]


def _me() -> str:
    import os
    import pwd

    return pwd.getpwuid(os.getuid()).pw_name


def test_an_unknown_login_is_refused_with_how_to_be_added(cli_desk):
    cli_env = cli_desk
    liyuan(cli_env, "staff", "list")
    proc = liyuan(dict(cli_env, LIYUAN_USER="stranger"), "queue", check=False)
    assert proc.returncode == 2 and "liyuan staff add stranger" in proc.stderr


def test_a_wrong_role_is_refused(cli_desk):
    cli_env = cli_desk
    liyuan(cli_env, "staff", "add", "gd", "--name", "Guard", "--role", "guard")
    proc = liyuan(
        dict(cli_env, LIYUAN_USER="gd"), "staff", "add", "x", "--name", "X", "--role", "guard", check=False
    )
    assert proc.returncode == 2 and "guard" in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
    listed = json.loads(liyuan(cli_env, "staff", "list", "--json").stdout)
    assert {s["login"]: s["role"] for s in listed}["gd"] == "guard"


def test_chinese_messages_by_default(cli_env):
    env = dict(cli_env)
    env.pop("LIYUAN_LANG")
    proc = liyuan(env, "log", "--category", "A", "--unit", "1", "--phone", "x", check=False)
    assert "电话号码" in proc.stderr


@pytest.mark.sqlite_only
def test_database_from_flag_env_or_user_data_dir(cli_env, tmp_path):
    flagged = tmp_path / "flag.db"
    liyuan(cli_env, "--db", str(flagged), "init")
    liyuan(cli_env, "--db", str(flagged), "staff", "list")
    assert flagged.exists()
    env = dict(cli_env)
    env.pop("LIYUAN_DB")
    personal = tmp_path / "xdg-data" / "liyuan" / "liyuan.db"
    check = liyuan(env, "check")
    assert "not made yet" in check.stdout and not personal.exists()  # check never makes one
    listed = liyuan(env, "staff", "list", check=False)  # a command never makes one (issue 20)
    assert listed.returncode == 2 and "no database" in listed.stderr and not personal.exists()
    first = liyuan(env, "init")  # (or `liyuan`, the desk itself: its first run on one's own machine)
    assert personal.exists() and "supervisor" in first.stdout
    liyuan(cli_env, "init")
    check = liyuan(cli_env, "check").stdout
    assert "$LIYUAN_DB" in check and "ok" in check


def test_check_reports_a_world_readable_database(cli_desk, db_path):
    cli_env = cli_desk
    liyuan(cli_env, "staff", "list")
    db_path.chmod(0o666)
    proc = liyuan(cli_env, "check", check=False)
    assert proc.returncode == 1 and "chmod 660" in proc.stdout


@pytest.mark.sqlite_only
def test_backup_is_consistent_and_never_overwrites(cli_desk, tmp_path):
    cli_env = cli_desk
    ref = liyuan(cli_env, "log", "--category", "B", "--unit", "1", "--phone", "123").stdout.strip()
    target = tmp_path / "copy.db"
    liyuan(cli_env, "backup", str(target))
    assert target.stat().st_mode & 0o077 == 0
    assert rows(target, "SELECT ref FROM request") == [(ref,)]
    again = liyuan(cli_env, "backup", str(target), check=False)
    assert again.returncode == 2 and "never overwritten" in again.stderr


def test_alerts_records_the_ladder_for_cron(cli_desk):
    cli_env = cli_desk
    late = (datetime.now(UTC) - timedelta(minutes=11)).isoformat()
    ref = liyuan(
        cli_env, "log", "--category", "B", "--unit", "1", "--phone", "123", "--received-at", late
    ).stdout.strip()
    out = liyuan(cli_env, "alerts").stdout
    assert out.startswith(f"request {ref}: ") and "escalated" in out.lower()  # a sentence, not a key
    assert "auto_escalated" not in out and "overdue:1:" not in out, out
    assert liyuan(cli_env, "alerts").stdout == ""  # recorded once
    shown = json.loads(liyuan(cli_env, "show", ref, "--json").stdout)
    assert shown["escalated_to"] == "cs_supervisor" and shown["events"][-1]["actor"] == "system"

"""The rules in force are the site's: an assistant's own procedure folder and fee file change
nothing on a site (PostgreSQL, through the desk installed for her login; SQLite too), while a
supervisor publishes new versions that every desk follows, each request recording the version
it was logged under."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from cli_runner import run_liyuan
from os_logins import run_as

pytestmark = pytest.mark.e2e

NO_STEPS_MEDICAL = """
key = "medical"
letter = "A"
name = { zh = "急救", en = "Medical" }

[[steps]]
key = "manager_informed"
when = "major"
zh = "重大事件:马上报告公司经理"
en = "Major case: inform the company manager at once"
role = "assistant"
required = true
input = "value"
prompt = { zh = "经理知悉的时间与方式", en = "When and how the manager was informed" }
"""
CHEAP_FEES = """
[[items]]
code = "drain"
zh = "疏通下水道"
en = "Clear a drain"
unit = { zh = "次", en = "job" }
price = 0.01
"""
OWN_ANSWER = """
[[answers]]
key = "all-free"
title = { zh = "全部免费", en = "All free" }
text = { zh = "本次服务全部免费。", en = "This service is free of charge." }
"""


def own_files(folder: Path) -> dict[str, str]:
    """An assistant's own rules: a medical emergency with no step at all, a drain at 0.01, and a
    canned answer of her own saying the service is free."""
    procedures = folder / "my-procedures"
    procedures.mkdir(parents=True)
    (procedures / "medical.toml").write_text(NO_STEPS_MEDICAL, encoding="utf-8")
    fees = folder / "my-fees.toml"
    fees.write_text(CHEAP_FEES, encoding="utf-8")
    answers = folder / "my-answers"
    answers.mkdir()
    (answers / "mine.toml").write_text(OWN_ANSWER, encoding="utf-8")
    for path in (folder, procedures, procedures / "medical.toml", fees, answers, answers / "mine.toml"):
        os.chmod(path, 0o755 if path.is_dir() else 0o644)
    return {"LIYUAN_PROCEDURES": str(procedures), "LIYUAN_FEES": str(fees), "LIYUAN_ANSWERS": str(answers)}


def try_own_rules(liyuan) -> None:
    """What the assistant tries with her own files: each refused or priced by the site's rules."""
    ref = liyuan("log", "--category", "A", "--unit", "1-101", "--phone", "13800000001").stdout.strip()
    assert re.fullmatch(r"\d{6}-\d{4}", ref), ref
    own_answer = liyuan("reply", ref, "--answer", "all-free")  # (not the site's: nothing recorded)
    assert own_answer.returncode == 2 and "all-free" in own_answer.stderr, own_answer.stderr
    assert "all-free" not in liyuan("answers", "--json").stdout
    assert liyuan("reply", ref).returncode == 0
    branch = liyuan("branch", ref, "ambulance")  # (her own file has no branch: the site's has)
    assert branch.returncode == 0, branch.stderr
    closed = liyuan("close", ref, "--outcome", "sent home")
    assert closed.returncode == 2 and "steps" in closed.stderr, closed.stderr  # the site's steps stand
    charged = liyuan("charge", ref, "drain")
    assert charged.returncode == 0, charged.stderr
    assert "= 0.01" not in charged.stdout and "0.01 yuan" not in charged.stdout
    data = json.loads(liyuan("show", ref, "--json").stdout)
    assert data["charges"][0]["unit_price"] > 0.01
    assert data["procedures_version"] == 1
    published = liyuan("rules", "publish")
    assert published.returncode == 2 and len(published.stderr.strip().splitlines()) == 1


def test_an_assistants_own_files_change_nothing_on_a_postgres_site(site, installed):
    files = own_files(site.home / "ann")  # (a folder of her own)

    def liyuan(*args):
        return run_as(site.login("assistant"), str(installed), *args, env=dict(site.env, **files))

    try_own_rules(liyuan)
    checked = liyuan("check")
    assert "not in force on this site" in checked.stdout


def test_a_supervisor_publishes_and_every_desk_follows(site, installed, tmp_path):
    sup = site.login("cs_supervisor")
    folder = site.home / "site-rules"
    folder.mkdir()
    os.chmod(folder, 0o755)
    fees = folder / "fees.toml"
    fees.write_text(CHEAP_FEES.replace("0.01", "45"), encoding="utf-8")
    os.chmod(fees, 0o644)
    done = run_as(sup, str(installed), "rules", "publish", env=dict(site.env, LIYUAN_FEES=str(fees)))
    assert done.returncode == 0 and "fee schedule v2" in done.stdout, done.stderr + done.stdout
    listed = json.loads(run_as(sup, str(installed), "rules", "list", "--json", env=site.env).stdout)
    assert [(r["kind"], r["version"], r["in_force"]) for r in listed if r["kind"] == "fees"] == [
        ("fees", 1, False),
        ("fees", 2, True),
    ]
    assert {r["published_by"] for r in listed if r["version"] == 2} == {sup}
    ann = site.login("assistant")
    ref = run_as(
        ann, str(installed), "log", "--category", "B", "--unit", "2-1", "--phone", "13800000002", env=site.env
    ).stdout.strip()
    charged = run_as(ann, str(installed), "charge", ref, "drain", env=site.env)
    assert "45.00" in charged.stdout, charged.stdout + charged.stderr


def test_an_assistants_own_files_change_nothing_on_a_sqlite_site(tmp_path, cli_env):
    """The same on a SQLite site: the rules come from the database, whatever the user's files."""
    db = tmp_path / "desk.db"
    env = dict(cli_env, LIYUAN_DB=str(db))
    assert run_liyuan(dict(env, LIYUAN_USER="sup"), "init", "--supervisor", "sup").returncode == 0
    assert (
        run_liyuan(
            dict(env, LIYUAN_USER="sup"), "staff", "add", "ann", "--name", "Ann", "--role", "assistant"
        ).returncode
        == 0
    )
    files = own_files(tmp_path / "ann")

    def liyuan(*args):
        return run_liyuan(dict(env, LIYUAN_USER="ann", **files), *args)

    try_own_rules(liyuan)


def test_on_a_personal_database_your_own_files_are_in_force(tmp_path, cli_env):
    """Trying a folder out: the personal default database (named by no flag, environment or config)."""
    env = {k: v for k, v in cli_env.items() if k != "LIYUAN_DB"}
    files = own_files(tmp_path / "mine")
    made = run_liyuan(dict(env, **files), "init")  # the personal database, made on purpose
    assert made.returncode == 0, made.stderr
    ref = run_liyuan(
        dict(env, **files), "log", "--category", "A", "--unit", "1", "--phone", "13800000001"
    ).stdout.strip()
    assert run_liyuan(dict(env, **files), "reply", ref, "--answer", "all-free").returncode == 0
    said = json.loads(run_liyuan(dict(env, **files), "show", ref, "--json").stdout)
    assert said["reply_answer"] == "all-free"  # her own answers too
    closed = run_liyuan(dict(env, **files), "close", ref, "--outcome", "ok")
    assert closed.returncode == 0, closed.stderr  # her medical procedure has no required step

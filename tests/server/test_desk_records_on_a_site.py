"""Issue 22's records on a site, through the desk installed for every login and against `psql`:
what was said (the site's published canned answers, never a user's own file), receipts charged and
paid (department staff on their own calls), linked calls, the duty log and the signed handover,
the reception log, commendations and recommendations. The desk leaves no `db_change`; a guard with
psql forges or rewrites none of it, and money taken or a shift taken is never taken again."""

from __future__ import annotations

import json
import os

import pytest
from os_logins import run_as

pytestmark = pytest.mark.e2e

# An assistant's own answers: the shipped "water-off" saying repairs are free, and one of her own.
OWN_ANSWERS = """
[[answers]]
key = "water-off"
title = { zh = "免费", en = "Free" }
text = { zh = "维修全部免费。", en = "Every repair is free of charge." }
categories = ["repair"]

[[answers]]
key = "free-repair"
title = { zh = "免费", en = "Free" }
text = { zh = "维修全部免费。", en = "Every repair is free of charge." }
"""


def desk(site, installed, role: str, *args: str, ok: bool = True, **env: str):
    done = run_as(site.login(role), str(installed), *args, env=dict(site.env, **env))
    if ok:
        assert done.returncode == 0, f"{role} {' '.join(args)}: {done.stderr}{done.stdout}"
    return done


def refused(site, role: str, sql: str) -> str:
    done = site.psql(site.login(role), sql)
    assert done.returncode != 0, f"{role}: {sql!r} was allowed: {done.stdout}"
    return done.stderr


def rows(site, role: str, sql: str) -> str:
    done = site.psql(site.login(role), sql)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def own_answers(site) -> dict[str, str]:
    folder = site.home / "ann-answers"
    folder.mkdir(exist_ok=True)
    (folder / "repair.toml").write_text(OWN_ANSWERS, encoding="utf-8")
    os.chmod(folder, 0o755)
    os.chmod(folder / "repair.toml", 0o644)
    return {"LIYUAN_ANSWERS": str(folder)}


def test_the_desks_records_on_a_site_leave_no_db_change(site, installed):
    def run(role, *a, **k):
        return desk(site, installed, role, *a, **k)

    def log(role: str) -> str:
        return run(role, "log", "--category", "B", "--unit", "6-601", "--phone", "13800000006").stdout.strip()

    first, second = log("assistant"), log("assistant")
    mine = own_answers(site)
    # what was said is the site's answer, whatever the assistant's own file says
    run("assistant", "reply", first, "--answer", "water-off", **mine)
    said = json.loads(run("assistant", "show", first, "--json").stdout)
    assert "main water valve" in said["reply_text"] and "free" not in said["reply_text"]
    assert said["reply_answer"] == "water-off"
    unknown = run("assistant", "reply", second, "--answer", "free-repair", ok=False, **mine)
    assert unknown.returncode == 2 and len(unknown.stderr.strip().splitlines()) == 1
    assert "free-repair" not in run("assistant", "answers", "--json", **mine).stdout
    assert "not in force on this site" in run("assistant", "check", ok=False, **mine).stdout
    run("assistant", "link", second, "--to", first)
    run("assistant", "charge", first, "drain")
    receipt = json.loads(run("assistant", "show", first, "--json").stdout)["charges"][0]["receipt"]
    assert receipt.startswith("S")
    run("assistant", "pay", receipt, "--method", "wechat")
    assert "wechat" in run("assistant", "receipt", receipt, "--json").stdout
    # department staff work the call they logged, and charge and take money on it
    own = log("dept_staff")
    run("dept_staff", "reply", own, "--text", "on our way")
    run("dept_staff", "charge", own, "drain")
    theirs = json.loads(run("dept_staff", "show", own, "--json").stdout)["charges"][0]["receipt"]
    run("dept_staff", "pay", theirs, "--method", "cash")
    assert run("dept_staff", "charge", first, "drain", ok=False).returncode == 2  # not theirs
    # the night shift
    run("guard", "handover", "note", "patrol: gate 2 locked")
    run("guard", "handover", "sign", "--to", site.login("security_lead"))
    run("security_lead", "handover", "accept")
    run("assistant", "reception", "add", "--name", "Wang", "--purpose", "a key", "--ref", first)
    run("dept_staff", "reception", "add", "--name", "Li", "--purpose", "a parcel")
    ann = site.login("assistant")
    run("cs_supervisor", "staff", "commend", ann, "--kind", "reward", "--note", "calm")
    run("cs_supervisor", "staff", "recommend", ann, "--for", "promotion", "--note", "ready")
    run(
        "cs_supervisor",
        "staff",
        "train",
        ann,
        site.login("guard"),
        "--course",
        "ethics",
        "--date",
        "2026-11-02",
    )
    records = json.loads(run("assistant", "staff", "records", ann, "--json").stdout)
    assert records["commendations"] and records["recommendations"]
    run("cs_supervisor", "report", "--month", "2026-11", "--format", "json")
    changes = site.admin_sql("SELECT payload FROM event WHERE kind = 'db_change' AND db_user <> 'postgres'")
    assert changes == [], changes
    assert run("cs_supervisor", "check", ok=False).returncode == 0


def test_a_guard_with_psql_forges_and_rewrites_none_of_the_desks_records(site, installed):
    """After the desk made each kind of record (the test above, same site), a guard's psql."""
    gd, lead = site.login("guard"), site.login("security_lead")
    if not site.admin_sql("SELECT 1 FROM receipt WHERE paid_at IS NOT NULL"):
        pytest.skip("needs the records the test above makes")
    for sql in (
        "INSERT INTO receipt (number, ref_month, ref_seq, charge_id, request_id, amount_cents, created_at, "
        "created_by, method, version) SELECT 'S209912-0001', '209912', 1, id, request_id, 1, now(), "
        f"'{gd}', '', 1 FROM charge LIMIT 1",
        f"UPDATE receipt SET paid_at = now(), paid_by = '{gd}', method = 'cash'",
        "UPDATE receipt SET amount_cents = 1",
        "DELETE FROM receipt",
        "UPDATE duty_note SET text = 'nothing happened'",
        "DELETE FROM duty_note",
        f"UPDATE handover SET signed_by = '{gd}'",
        "DELETE FROM handover",
        "SELECT count(*) FROM reception",
        "UPDATE reception SET outcome = 'x'",
        "INSERT INTO commendation (login, kind, note, by, at) "
        f"VALUES ('{gd}', 'reward', 'me', '{gd}', now())",
        "UPDATE training SET session = NULL",
    ):
        assert "permission denied" in refused(site, "guard", sql), sql
    # in another's name: a duty-log line, a handover signed by the lead
    assert "row-level security" in refused(
        site, "guard", f"INSERT INTO duty_note (estate, at, by, text) VALUES ('main', now(), '{lead}', 'x')"
    )
    assert "row-level security" in refused(
        site,
        "guard",
        "INSERT INTO handover (estate, since, signed_at, signed_by, to_login, note, sheet, version) "
        f"VALUES ('main', now(), now(), '{lead}', '{gd}', '', '{{}}', 1)",
    )
    # the kinds of the desk's records are not a guard's to say
    assert "may not record" in refused(
        site,
        "guard",
        "INSERT INTO event (request_id, at, actor, kind, payload) "
        f"SELECT request_id, now(), '{gd}', 'paid', '{{}}' FROM receipt LIMIT 1",
    )
    # another's handover, or one accepted already, is taken by nobody
    assert rows(site, "guard", "UPDATE handover SET accepted_at = now()") == ""
    assert site.admin_sql(
        f"SELECT count(*) FROM handover WHERE accepted_at IS NULL AND to_login = '{gd}'"
    ) == [(0,)]
    # money taken is taken once: the assistant rewrites no paid receipt, the supervisor neither
    for role in ("assistant", "cs_supervisor"):
        login = site.login(role)
        done = site.psql(
            login, f"UPDATE receipt SET paid_by = '{login}', method = 'alipay' WHERE paid_at IS NOT NULL"
        )
        assert done.returncode == 0 and site.admin_sql(
            "SELECT count(*) FROM receipt WHERE method = 'alipay'"
        ) == [(0,)]
    assert desk(site, installed, "cs_supervisor", "check", ok=False).returncode == 0  # nothing changed

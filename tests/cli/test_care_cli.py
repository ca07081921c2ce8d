"""The back office from the command line: `followup`, `residents show|edit`, `staff
scorecard|train|assess|records`, `log --fault-kind`, `show --json` — the JSON contracts kept
exactly, and every bad input one line naming the flag, exit code 2, nothing written."""

from __future__ import annotations

import json
import sqlite3

import pytest
from backoffice_helpers import close_repair, log_repair
from cli_runner import run_liyuan


def liyuan(env, clock, *args, user="ann", lang="en"):
    return run_liyuan(dict(env, LIYUAN_USER=user, LIYUAN_LANG=lang), *args, clock=clock)


def ok(proc):
    assert proc.returncode == 0, proc.stderr
    return proc


def table_counts(db_path) -> dict[str, int]:
    tables = ("request", "event", "followup", "household", "resident", "training", "assessment")
    with sqlite3.connect(db_path) as conn:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}


@pytest.fixture
def closed(desk):
    """A repair closed tonight: a follow-up call is owed."""
    return close_repair(desk, log_repair(desk).ref).ref


def test_followup_due_json_keeps_its_contract(cli_env, clock, closed):
    clock.advance(86400 * 4)
    rows = json.loads(ok(liyuan(cli_env, clock, "followup", "due", "--json")).stdout)
    assert [r["ref"] for r in rows] == [closed]
    assert {"ref", "category", "unit", "closed_at", "due_at", "overdue"} <= set(rows[0])
    assert rows[0]["category"] == "repair" and rows[0]["unit"] == "5栋0803" and rows[0]["overdue"] is True
    assert rows[0]["due_at"].endswith("+08:00")
    text = ok(liyuan(cli_env, clock, "followup", "due")).stdout
    assert closed in text and "overdue" in text


def test_a_call_that_finds_it_not_solved_reopens_it_and_show_json_has_the_calls(cli_env, clock, closed):
    ok(liyuan(cli_env, clock, "followup", closed, "--reached", "no"))
    out = ok(
        liyuan(
            cli_env,
            clock,
            "followup",
            closed,
            "--reached",
            "yes",
            "--score",
            "2",
            "--solved",
            "no",
            "--note",
            "还在漏水",
        )
    ).stdout
    assert "reopened" in out
    data = json.loads(ok(liyuan(cli_env, clock, "show", closed, "--json")).stdout)
    assert data["status"] == "replied" and data["repeat_of"] is None
    assert [(f["reached"], f["score"], f["solved"], f["note"], f["by"]) for f in data["followups"]] == [
        (False, None, None, "", "ann"),
        (True, 2, False, "还在漏水", "ann"),
    ]
    assert set(data["followups"][0]) >= {"at", "by", "reached", "score", "solved", "note"}
    assert json.loads(ok(liyuan(cli_env, clock, "followup", "due", "--json")).stdout) == []


def test_log_with_a_kind_of_fault_says_it_is_a_repeat_and_show_names_the_earlier_one(cli_env, clock, closed):
    clock.advance(86400)
    proc = ok(
        liyuan(
            cli_env,
            clock,
            "log",
            "--category",
            "B",
            "--unit",
            "5栋0803",
            "--phone",
            "139",
            "--fault-kind",
            "water",
        )
    )
    ref = proc.stdout.strip()
    assert closed in proc.stderr  # the script sees the earlier request
    assert json.loads(ok(liyuan(cli_env, clock, "show", ref, "--json")).stdout)["repeat_of"] == closed
    assert closed in ok(liyuan(cli_env, clock, "show", ref)).stdout


def test_residents_show_json_keeps_its_contract(cli_env, clock, closed):
    ok(
        liyuan(
            cli_env,
            clock,
            "residents",
            "edit",
            "5栋0803",
            "--elderly-alone",
            "yes",
            "--language",
            "粤语",
            "--emergency-name",
            "吴先生",
            "--emergency-phone",
            "13900000000",
            "--emergency-relation",
            "儿子",
            "--notes",
            "行动不便,敲门要大声",
        )
    )
    ok(
        liyuan(
            cli_env,
            clock,
            "residents",
            "edit",
            "5栋0803",
            "--person",
            "吴太太",
            "--relation",
            "户主",
            "--phones",
            "13911110803",
        )
    )
    data = json.loads(ok(liyuan(cli_env, clock, "residents", "show", "5栋0803", "--json")).stdout)
    assert {"unit", "people", "emergency_contact", "flags", "notes", "history"} <= set(data)
    assert data["unit"] == "5栋0803"
    assert data["people"] == [{"name": "吴太太", "relation": "户主", "phones": ["13911110803"]}]
    assert data["emergency_contact"] == {"name": "吴先生", "phone": "13900000000", "relation": "儿子"}
    assert data["flags"] == ["elderly_alone", "language"] and data["language"] == "粤语"
    assert data["notes"] == "行动不便,敲门要大声"
    assert [(h["kind"], h["ref"]) for h in data["history"]] == [("request", closed)]
    assert all({"kind", "at", "summary"} <= set(h) for h in data["history"])
    text = ok(liyuan(cli_env, clock, "residents", "show", "5栋0803", "--lang", "zh")).stdout
    assert "独居老人" in text and "吴太太 (户主)" in text


def test_a_guard_sees_the_flags_and_whom_to_call_only(cli_env, clock, closed):
    ok(
        liyuan(
            cli_env,
            clock,
            "residents",
            "edit",
            "5栋0803",
            "--elderly-alone",
            "yes",
            "--notes",
            "钥匙在物业",
            "--person",
            "吴太太",
            "--phones",
            "13911110803",
        )
    )
    data = json.loads(ok(liyuan(cli_env, clock, "residents", "show", "5栋0803", "--json", user="gd")).stdout)
    assert data["flags"] == ["elderly_alone"] and data["notes"] is None and data["history"] == []
    assert data["people"] == [{"name": "吴太太", "relation": "", "phones": []}]
    assert set(data["hidden"]) == {"phones", "notes", "history"}


def test_staff_scorecard_json_keeps_its_contract(cli_env, clock, closed, staff):
    staff["assistant"].followups.record(closed, reached="yes", score=4, solved="yes")
    ok(
        liyuan(
            cli_env,
            clock,
            "staff",
            "assess",
            "ann",
            "--month",
            "2026-11",
            "--score",
            "90",
            "--note",
            "好",
            user="sup",
        )
    )
    data = json.loads(
        ok(
            liyuan(cli_env, clock, "staff", "scorecard", "--month", "2026-11", "--format", "json", user="sup")
        ).stdout
    )
    assert {"month", "staff", "team", "previous"} <= set(data) and data["month"] == "2026-11"
    keys = {
        "login",
        "name",
        "requests",
        "median_reply_seconds",
        "within_limit_share",
        "overdue",
        "escalations",
        "orders_finished",
        "orders_on_time_share",
        "satisfaction_mean",
        "repeat_repairs",
    }
    ann = next(p for p in data["staff"] if p["login"] == "ann")
    assert keys <= set(ann)
    assert ann["requests"] == 1 and ann["satisfaction_mean"] == 4 and ann["assessment_score"] == 90
    assert keys - {"login", "name"} <= set(data["team"]) and data["previous"]["month"] == "2026-10"
    md = ok(liyuan(cli_env, clock, "staff", "scorecard", "--month", "2026-11", user="sup")).stdout
    assert md.startswith("# Staff scorecard, 2026-11") and "| ANN (ann)" in md
    csv = ok(
        liyuan(cli_env, clock, "staff", "scorecard", "--month", "2026-11", "--format", "csv", user="sup")
    ).stdout
    assert csv.startswith("\ufeff") and "Staff scorecard, 2026-11" in csv.splitlines()[0]


def test_training_and_assessments_are_read_by_their_owner(cli_env, clock, staff):
    ok(
        liyuan(
            cli_env,
            clock,
            "staff",
            "train",
            "ann",
            "--course",
            "消防安全",
            "--date",
            "2026-11-02",
            "--hours",
            "3",
            "--result",
            "合格",
            user="sup",
        )
    )
    mine = json.loads(ok(liyuan(cli_env, clock, "staff", "records", "--json")).stdout)
    assert mine["login"] == "ann" and mine["trainings"][0]["course"] == "消防安全"
    refused = liyuan(cli_env, clock, "staff", "records", "sup")
    assert refused.returncode == 2 and len(refused.stderr.splitlines()) == 1


# Each: the command, who runs it, and the flag the one-line refusal must name.
BAD = [
    (("followup", "REF", "--reached", "maybe"), "ann", "--reached"),
    (("followup", "REF"), "ann", "--reached"),
    (("followup", "REF", "--reached", "yes", "--score", "6"), "ann", "--score"),
    (("followup", "REF", "--reached", "no", "--score", "3"), "ann", "--score"),
    (("followup", "REF", "--reached", "yes", "--solved", "kind of"), "ann", "--solved"),
    (("followup", "REF", "--reached", "yes", "--note", "\x1b]0;pwned\x07"), "ann", "--note"),
    (("followup", "2026-0001", "--reached", "yes"), "ann", "ref"),
    (("followup", "REF", "--reached", "yes"), "gd", "followup"),
    (("followup", "due"), "gd", "followup"),
    (("residents", "show", ""), "ann", "unit"),
    (("residents", "edit", "5栋0803"), "ann", "nothing to change"),
    (("residents", "edit", "5栋0803", "--elderly-alone", "sometimes"), "ann", "--elderly-alone"),
    (("residents", "edit", "5栋0803", "--emergency-phone", "call me"), "ann", "--emergency-phone"),
    (("residents", "edit", "5栋0803", "--notes", "[/bold]\x1b[2J"), "ann", "--notes"),
    (("residents", "edit", "5栋0803", "--relation", "户主"), "ann", "--person"),
    (("residents", "edit", "5栋0803", "--remove-person", "nobody"), "ann", "--remove-person"),
    (("residents", "edit", "5栋0803", "--language", "x" * 300), "ann", "--language"),
    (("residents", "edit", "5栋0803", "--notes", "x"), "gd", "guard"),
    (("staff", "scorecard", "--month", "2026-13"), "sup", "--month"),
    (("staff", "scorecard", "--month", "2026-11"), "ann", "assistant"),
    (("staff", "train", "ann", "--course", "x", "--date", "2026-02-30"), "sup", "--date"),
    (("staff", "train", "ann", "--course", "x", "--date", "2026-11-02", "--hours", "lots"), "sup", "--hours"),
    (("staff", "train", "nobody", "--course", "x", "--date", "2026-11-02"), "sup", "staff list"),
    (("staff", "train", "ann", "--course", "x", "--date", "2026-11-02"), "ann", "assistant"),
    (("staff", "assess", "ann", "--month", "2026-11", "--score", "101", "--note", "x"), "sup", "--score"),
    (("staff", "assess", "ann", "--month", "2026-11", "--score", "80", "--note", ""), "sup", "--note"),
    (
        ("log", "--category", "B", "--unit", "1-1", "--phone", "139", "--fault-kind", "plumbing"),
        "ann",
        "--fault-kind",
    ),
    (
        ("log", "--category", "C", "--unit", "1-1", "--phone", "139", "--fault-kind", "water"),
        "ann",
        "--fault-kind",
    ),
]


@pytest.mark.parametrize(
    "args, user, names", BAD, ids=[" ".join(a[:3]) + f"-{i}" for i, (a, _u, _n) in enumerate(BAD)]
)
def test_bad_input_is_one_line_exit_2_and_nothing_written(cli_env, clock, closed, db_path, args, user, names):
    args = tuple(closed if a == "REF" else a for a in args)
    before = table_counts(db_path)
    proc = liyuan(cli_env, clock, *args, user=user)
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    assert len(proc.stderr.strip().splitlines()) == 1 and "Traceback" not in proc.stderr
    assert names in proc.stderr, proc.stderr
    assert "\x1b" not in proc.stderr and "\x07" not in proc.stderr
    assert table_counts(db_path) == before

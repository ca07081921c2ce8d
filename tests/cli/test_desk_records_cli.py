"""Issue 22 from the command line: `reply --text/--answer`, `answers`, `charge` → `receipt` → `pay`,
`link`, `close --calls`, `handover note|sign|accept`, `reception add|list`, `staff commend|recommend|
train --kind`; the JSON contracts kept exactly; every bad input one line naming the flag, exit 2,
nothing written; hostile text printed as text."""

from __future__ import annotations

import json

import pytest
from cli_runner import run_liyuan


def liyuan(env, clock, *args, user="ann", lang="en"):
    return run_liyuan(dict(env, LIYUAN_USER=user, LIYUAN_LANG=lang), *args, clock=clock)


def ok(proc):
    assert proc.returncode == 0, proc.stderr
    return proc


def refused(proc, flag: str):
    assert proc.returncode == 2 and proc.stdout == "", (proc.stdout, proc.stderr)
    assert len(proc.stderr.strip().splitlines()) == 1 and flag in proc.stderr, proc.stderr
    return proc


def logged(env, clock, category="other", user="ann", unit="3-1201"):
    return ok(
        liyuan(env, clock, "log", "--category", category, "--unit", unit, "--phone", "138", user=user)
    ).stdout.strip()


def events(store) -> int:
    from sqlalchemy import func, select

    from liyuan_tui.domain.models import Event

    with store.reading() as s:
        return s.exec(select(func.count()).select_from(Event)).one()


def test_show_json_has_what_was_said_the_linked_calls_and_each_charges_receipt(staff, cli_env, clock):
    first, ref = logged(cli_env, clock), logged(cli_env, clock)
    ok(liyuan(cli_env, clock, "reply", ref, "--answer", "fee-first", "--text", "疏通一次五十元,您同意吗"))
    ok(liyuan(cli_env, clock, "link", ref, "--to", first))
    ok(liyuan(cli_env, clock, "charge", ref, "drain"))
    data = json.loads(ok(liyuan(cli_env, clock, "show", ref, "--json")).stdout)
    assert data["reply_text"] == "疏通一次五十元,您同意吗" and data["reply_answer"] == "fee-first"
    assert data["linked"] == [first] and data["incident"] == first
    charge = data["charges"][0]
    assert charge["receipt"] == "S202611-0001" and charge["paid_at"] is None and charge["method"] is None
    ok(liyuan(cli_env, clock, "pay", "S202611-0001", "--method", "alipay", user="sup"))
    charge = json.loads(ok(liyuan(cli_env, clock, "show", ref, "--json")).stdout)["charges"][0]
    assert (
        charge["method"] == "alipay" and charge["paid_at"].endswith("+08:00") and charge["paid_by"] == "sup"
    )
    text = ok(liyuan(cli_env, clock, "show", ref)).stdout
    assert "疏通一次五十元" in text and "S202611-0001" in text and first in text
    assert "fee_agreed" in text and "✓ fee_agreed" in text  # charging ticked it
    assert json.loads(ok(liyuan(cli_env, clock, "show", first, "--json")).stdout)["linked"] == [ref]


def test_the_receipt_prints_for_a_signature_and_is_paid_once(staff, cli_env, clock):
    ref = logged(cli_env, clock)
    ok(liyuan(cli_env, clock, "charge", ref, "drain", "--qty", "2"))
    sheet = ok(liyuan(cli_env, clock, "receipt", "S202611-0001", lang="zh")).stdout
    assert "收费单 S202611-0001" in sheet and "100.00" in sheet and "客户签名" in sheet and "□ 现金" in sheet
    said = ok(liyuan(cli_env, clock, "pay", "s202611-0001", "--method", "cash")).stdout
    assert "100.00" in said and "cash" in said
    sheet = ok(liyuan(cli_env, clock, "receipt", "S202611-0001")).stdout
    assert "Paid" in sheet and "ANN (ann)" in sheet  # who took the money, by name
    data = json.loads(ok(liyuan(cli_env, clock, "receipt", "S202611-0001", "--json")).stdout)
    assert (data["paid"], data["method"], data["amount"], data["ref"]) == (True, "cash", 100.0, ref)
    refused(liyuan(cli_env, clock, "pay", "S202611-0001", "--method", "wechat"), "already paid")


@pytest.mark.parametrize(
    "args, flag",
    [
        (("pay", "S202611-0001", "--method", "cheque"), "--method"),
        (("pay", "S1", "--method", "cash"), "receipt"),
        (("reply", "REF", "--answer", "no-such"), "--answer"),
        (("reply", "REF", "--text", "a\x1b]0;x\x07"), "--text"),
        (("link", "REF", "--to", "bad"), "--to"),
        (("reception", "add", "--name", "王\x1b[31m", "--purpose", "x"), "--name"),
        (("reception", "add", "--name", "王", "--purpose", "x", "--ref", "202611-0999"), "ref"),
        (("handover", "note", "\x1b[2J"), "duty log"),
        (("handover", "sign", "--to", "ann"), "--to"),
        (("staff", "commend", "gd", "--kind", "medal", "--note", "x"), "--kind"),
        (("staff", "recommend", "gd", "--for", "raise", "--note", "x"), "--for"),
        (("staff", "train", "gd", "--course", "x", "--date", "2026-11-02", "--kind", "yoga"), "--kind"),
    ],
)
def test_bad_input_is_one_line_naming_the_flag_and_writes_nothing(staff, cli_env, clock, args, flag):
    ref = logged(cli_env, clock)
    ok(liyuan(cli_env, clock, "charge", ref, "drain"))
    before = events(staff["cs_supervisor"])
    user = "sup" if args[0] == "staff" else "ann"
    refused(liyuan(cli_env, clock, *(ref if a == "REF" else a for a in args), user=user), flag)
    assert events(staff["cs_supervisor"]) == before


def test_answers_are_searched_in_either_language_and_said_to_be_examples(staff, cli_env, clock):
    """The answers in force: on a database (the site's published ones, here the shipped examples)."""
    out = ok(liyuan(cli_env, clock, "answers", "装修")).stdout
    assert "[renovation]" in out and "examples" in out
    rows = json.loads(ok(liyuan(cli_env, clock, "answers", "--category", "repair", "--json")).stdout)
    assert {"key", "title", "text", "rule", "categories"} <= set(rows[0])
    assert "water-off" in {r["key"] for r in rows} and "renovation" not in {r["key"] for r in rows}


def test_closing_an_incident_with_its_calls_closes_those_that_can_and_says_why_not(staff, cli_env, clock):
    first, ready, unready = logged(cli_env, clock), logged(cli_env, clock), logged(cli_env, clock)
    for ref in (ready, unready):
        ok(liyuan(cli_env, clock, "link", ref, "--to", first))
    queue = ok(liyuan(cli_env, clock, "queue")).stdout
    assert queue.index(first) < queue.index(f"└ {ready}") < queue.index(f"└ {unready}")
    for ref in (first, ready):
        ok(liyuan(cli_env, clock, "reply", ref))
        ok(liyuan(cli_env, clock, "step", ref, "need", "--note", "水浸"))
        ok(liyuan(cli_env, clock, "step", ref, "record"))
    done = ok(liyuan(cli_env, clock, "close", first, "--outcome", "排水完毕", "--calls"))
    assert f"{first} closed" in done.stdout and f"{ready} closed" in done.stdout
    assert unready in done.stderr and "replied" in done.stderr  # why it stays open
    states = {r["ref"]: r["status"] for r in json.loads(ok(liyuan(cli_env, clock, "queue", "--json")).stdout)}
    assert states == {unready: "open"}
    ok(liyuan(cli_env, clock, "link", unready, "--clear"))
    assert json.loads(ok(liyuan(cli_env, clock, "show", unready, "--json")).stdout)["incident"] is None


def test_the_duty_log_and_the_signed_handover_on_the_sheet(staff, cli_env, clock):
    ok(liyuan(cli_env, clock, "handover", "note", "22:40 巡查 B 栋车库 [@click=app.quit]x[/]"))
    data = json.loads(ok(liyuan(cli_env, clock, "handover", "--json")).stdout)
    assert [(x["by"], x["text"]) for x in data["log"]] == [
        ("ann", "22:40 巡查 B 栋车库 [@click=app.quit]x[/]")
    ]
    assert set(data["log"][0]) == {"at", "by", "text"} and data["signed"] is None
    sheet = ok(liyuan(cli_env, clock, "handover")).stdout
    # Markdown shows it as text (nothing a GitHub-flavoured renderer would make a link: @ and . escaped)
    assert "Duty log (1)" in sheet and "\\[\\@click=app\\.quit\\]x\\[/\\]" in sheet
    clock.advance(600)
    ok(liyuan(cli_env, clock, "handover", "sign", "--to", "mgr", "--note", "3 栋电梯待修"))
    signed = json.loads(ok(liyuan(cli_env, clock, "handover", "--json", user="sup")).stdout)
    assert {"by", "to", "at", "accepted_at"} <= set(signed["signed"])
    assert (signed["signed"]["by"], signed["signed"]["to"], signed["signed"]["accepted_at"]) == (
        "ann",
        "mgr",
        None,
    )
    assert [p["to"] for p in signed["pending"]] == ["mgr"]  # shown to a supervisor
    assert signed["since"] == signed["signed"]["at"]  # the next sheet starts from the signing
    # (people by name on the sheet: the fixture names each login in capitals)
    assert "Waiting: ANN handed the shift to MGR" in ok(liyuan(cli_env, clock, "handover", user="mgr")).stdout
    assert json.loads(ok(liyuan(cli_env, clock, "handover", "--json", user="gd")).stdout)["pending"] == []
    clock.advance(60)
    assert "accepted" in ok(liyuan(cli_env, clock, "handover", "accept", user="mgr")).stdout
    after = json.loads(ok(liyuan(cli_env, clock, "handover", "--json", user="sup")).stdout)
    assert after["signed"]["accepted_at"] is not None and after["pending"] == []


def test_reception_list_json_keeps_its_contract(staff, cli_env, clock):
    ref = logged(cli_env, clock)
    ok(
        liyuan(
            cli_env,
            clock,
            "reception",
            "add",
            "--name",
            "王先生",
            "--purpose",
            "报修厨房漏水",
            "--unit",
            "5-0803",
            "--ref",
            ref,
        )
    )
    ok(
        liyuan(
            cli_env, clock, "reception", "add", "--name", "[bold]李[/bold]", "--purpose", "问停车", user="eng"
        )
    )
    rows = json.loads(ok(liyuan(cli_env, clock, "reception", "list", "--json")).stdout)
    assert [set(r) for r in rows] == [
        {"id", "at", "name", "purpose", "unit", "received_by", "outcome", "ref"}
    ] * 2
    assert [(r["name"], r["received_by"], r["ref"]) for r in rows] == [
        ("[bold]李[/bold]", "eng", None),
        ("王先生", "ann", ref),
    ]
    table = ok(liyuan(cli_env, clock, "reception", "list")).stdout
    assert "[bold]李[/bold]" in table  # shown as typed, never as markup
    assert (
        json.loads(ok(liyuan(cli_env, clock, "reception", "list", "--month", "2026-10", "--json")).stdout)
        == []
    )
    refused(liyuan(cli_env, clock, "reception", "list", user="gd"), "guard")


def test_staff_records_json_gains_commendations_recommendations_and_training_kinds(staff, cli_env, clock):
    ok(
        liyuan(
            cli_env,
            clock,
            "staff",
            "commend",
            "ann",
            "--kind",
            "commendation",
            "--note",
            "耐心细致",
            user="sup",
        )
    )
    ok(
        liyuan(
            cli_env, clock, "staff", "recommend", "ann", "--for", "transfer", "--note", "适合前台", user="mgr"
        )
    )
    ok(
        liyuan(
            cli_env,
            clock,
            "staff",
            "train",
            "ann",
            "gd",
            "--course",
            "仪容仪表",
            "--date",
            "2026-11-20",
            "--hours",
            "1.5",
            "--kind",
            "image",
            user="sup",
        )
    )
    data = json.loads(ok(liyuan(cli_env, clock, "staff", "records", "--json")).stdout)  # her own
    assert [set(c) for c in data["commendations"]] == [{"kind", "note", "by", "at"}]
    assert [set(r) for r in data["recommendations"]] == [{"for", "note", "by", "at"}]
    assert (
        data["commendations"][0]["kind"] == "commendation" and data["recommendations"][0]["for"] == "transfer"
    )
    assert data["trainings"][0]["kind"] == "image" and data["trainings"][0]["attendees"] == ["ann", "gd"]
    refused(liyuan(cli_env, clock, "staff", "commend", "gd", "--kind", "reward", "--note", "x"), "assistant")


def test_department_staff_log_from_the_command_line(staff, cli_env, clock):
    ref = logged(cli_env, clock, user="eng")
    data = json.loads(ok(liyuan(cli_env, clock, "show", ref, "--json", user="eng")).stdout)
    assert data["created_by"] == "eng" and data["assignee"] == "eng"
    ok(liyuan(cli_env, clock, "reply", ref, "--text", "明早处理", user="eng"))
    other = logged(cli_env, clock)
    refused(liyuan(cli_env, clock, "reply", other, user="eng"), "department staff")

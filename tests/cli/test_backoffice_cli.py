"""`liyuan order`, `stock` and `tools` as a script would run them: the JSON contracts named in the
issue, one line and exit code 2 with nothing written for every bad input."""

from __future__ import annotations

import json
import sqlite3

import pytest
from cli_runner import run_liyuan


def liyuan(env, *args, check=True):
    proc = run_liyuan(env, *args)
    if check and proc.returncode != 0:
        raise AssertionError(f"liyuan {' '.join(args)} → {proc.returncode}\n{proc.stderr}")
    return proc


def count(db_path, table):
    with sqlite3.connect(db_path) as conn:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


@pytest.fixture
def shop(cli_desk):
    """A supervisor (the first user), a technician, a repair request, a material and a tool."""
    cli_env = cli_desk
    liyuan(cli_env, "staff", "add", "tech", "--name", "张师傅", "--role", "technician")
    liyuan(cli_env, "stock", "add", "PIPE20", "--name", "PPR管 20mm", "--unit", "米", "--price", "12.5")
    liyuan(cli_env, "stock", "in", "PIPE20", "10")
    liyuan(cli_env, "tools", "add", "T01", "--name", "管钳")
    ref = liyuan(
        cli_env,
        "log",
        "--category",
        "repair",
        "--unit",
        "5-803",
        "--phone",
        "139",
        "--name",
        "吴太太",
        "--text",
        "水管漏水",
    ).stdout.strip()
    return ref


ORDER_KEYS = {
    "number",
    "ref",
    "technician",
    "state",
    "appointment_at",
    "arrived_at",
    "finished_at",
    "hours",
    "materials",
    "signed_by",
    "not_home",
}


def test_a_work_order_from_new_to_finished(cli_env, shop):
    env = cli_env
    number = liyuan(
        env, "order", "new", shop, "--to", "tech", "--at", "2030-01-01 10:00", "--note", "带管钳", check=False
    )
    assert number.returncode == 2 and "--at" in number.stderr  # more than a year away
    number = liyuan(env, "order", "new", shop, "--to", "tech", "--note", "带管钳").stdout.strip()
    assert number.startswith("W") and number.endswith("-0001")
    liyuan(env, "tools", "issue", "T01", "--to", "tech", "--order", number)
    liyuan(env, "--user", "tech", "order", "arrive", number)
    liyuan(env, "--user", "tech", "order", "wait", number, "--reason", "缺三通")
    liyuan(env, "--user", "tech", "order", "arrive", number)
    liyuan(
        env,
        "--user",
        "tech",
        "order",
        "finish",
        number,
        "--hours",
        "1.5",
        "--material",
        "PIPE20=1.5",
        "--signed-by",
        "吴太太",
        "--note",
        "换了三通",
    )
    shown = json.loads(liyuan(env, "order", "show", number, "--json").stdout)
    assert ORDER_KEYS | {"events"} <= set(shown)
    assert shown["state"] == "done" and shown["ref"] == shop and shown["technician"] == "tech"
    assert shown["hours"] == 1.5 and shown["materials"] == [{"code": "PIPE20", "qty": 1.5}]
    assert shown["signed_by"] == "吴太太" and shown["not_home"] is False and shown["arrived_at"]
    assert [e["kind"] for e in shown["events"]] == [
        "order_created",
        "tool_issued",
        "order_arrived",
        "order_waiting",
        "order_arrived",
        "order_finished",
    ]
    listed = json.loads(liyuan(env, "order", "list", "--json").stdout)
    assert (
        [o["number"] for o in listed] == [number]
        and set(listed[0]) >= ORDER_KEYS
        and "events" not in listed[0]
    )
    assert json.loads(liyuan(env, "order", "list", "--open", "--json").stdout) == []
    assert (
        json.loads(liyuan(env, "--user", "tech", "order", "list", "--mine", "--json").stdout)[0]["number"]
        == number
    )
    sheet = liyuan(env, "order", "sheet", number).stdout
    assert sheet.startswith(f"# Work order {number}") and "吴太太" in sheet and "PIPE20" in sheet
    stock = json.loads(liyuan(env, "stock", "list", "--json").stdout)
    assert stock == [
        {"code": "PIPE20", "name": "PPR管 20mm", "unit": "米", "price": 12.5, "on_hand": 8.5, "value": 106.25}
    ]
    tools = json.loads(liyuan(env, "tools", "list", "--json").stdout)
    assert {"code", "name", "condition", "holder", "order", "due_at", "overdue"} <= set(tools[0])
    assert (tools[0]["holder"], tools[0]["order"], tools[0]["overdue"]) == ("tech", number, False)
    liyuan(env, "tools", "return", "T01", "--condition", "damaged", "--note", "手柄松了")
    assert json.loads(liyuan(env, "tools", "list", "--out", "--json").stdout) == []
    assert json.loads(liyuan(env, "tools", "list", "--json").stdout)[0]["condition"] == "damaged"


def test_a_sheet_before_the_work_has_lines_to_sign(cli_env, shop):
    number = liyuan(cli_env, "order", "new", shop, "--to", "tech").stdout.strip()
    sheet = liyuan(cli_env, "--lang", "zh", "order", "sheet", number).stdout
    assert f"# 派工单 {number}" in sheet and "客户签名: ______" in sheet and "5-803" in sheet


def test_a_tool_out_is_refused_with_who_holds_it(cli_env, shop):
    liyuan(cli_env, "tools", "issue", "T01", "--to", "tech")
    again = liyuan(cli_env, "tools", "issue", "T01", "--to", "sup", check=False)
    assert again.returncode == 2 and "tech" in again.stderr and len(again.stderr.strip().splitlines()) == 1


BAD = [
    (["order", "new", "{ref}", "--to", "gd"], "--to"),
    (["order", "new", "{ref}", "--to", "tech", "--at", "tomorrow"], "--at"),
    (["order", "new", "{ref}", "--to", "tech", "--note", "\x1b]0;pwned\x07"], "--note"),
    (["order", "new", "202611-9999", "--to", "tech"], "ref"),
    (["order", "show", "W1"], "work order"),
    (["order", "arrive", "W209901-0001"], "work order"),
    (["order", "finish", "{order}", "--hours", "0"], "--hours"),
    (["order", "finish", "{order}", "--hours", "1", "--material", "PIPE20"], "--material"),
    (["order", "finish", "{order}", "--hours", "1", "--material", "NOPE=1", "--not-home"], "materials"),
    (["order", "finish", "{order}", "--hours", "1"], "--signed-by"),
    (["order", "finish", "{order}", "--hours", "1", "--signed-by", "x", "--not-home"], "--not-home"),
    (["order", "wait", "{order}", "--reason", " "], "--reason"),
    (["stock", "add", "PIPE 20", "--name", "x", "--unit", "米"], "code"),
    (["stock", "add", "NEW", "--name", "x", "--unit", "米", "--price", "-1"], "--price"),
    (["stock", "add", "NEW", "--name", "[link=file:///etc/passwd]x\x1b[2J", "--unit", "米"], "--name"),
    (["stock", "in", "PIPE20", "0"], "quantity"),
    (["stock", "in", "PIPE20", "1e9"], "quantity"),
    (["stock", "use", "PIPE20", "99", "--reason", "x"], "on hand"),
    (["stock", "use", "PIPE20", "1"], "--order"),
    (["stock", "count", "PIPE20", "-1"], "quantity"),
    (["stock", "report", "--month", "11/2026"], "--month"),
    (["tools", "issue", "T01", "--to", "nobody"], "--to"),
    (["tools", "issue", "T01", "--to", "tech", "--due", "soon"], "--due"),
    (["tools", "return", "T01"], "tool T01"),
    (["tools", "return", "T01", "--condition", "broken"], "--condition"),
    (["tools", "add", "T02", "--name", ""], "--name"),
]


@pytest.mark.parametrize("args,field", BAD, ids=[f"{a[0]} {a[1]} {f}" for a, f in BAD])
def test_bad_input_is_one_line_naming_the_flag_and_writes_nothing(cli_env, db_path, shop, args, field):
    order = liyuan(cli_env, "order", "new", shop, "--to", "tech").stdout.strip()
    liyuan(cli_env, "order", "arrive", order)
    args = [a.format(ref=shop, order=order) for a in args]
    before = {
        t: count(db_path, t) for t in ("event", "workorder", "stockmove", "toolloan", "material", "tool")
    }
    proc = liyuan(cli_env, *args, check=False)
    assert proc.returncode == 2, proc.stderr
    assert proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and field in lines[0] and "Traceback" not in proc.stderr, proc.stderr
    assert "\x1b" not in proc.stderr and "\x07" not in proc.stderr
    assert {t: count(db_path, t) for t in before} == before

"""Text is data, everywhere: one corpus of hostile strings — Rich/Textual markup and click actions,
terminal escape sequences, spreadsheet formulas, Markdown links and HTML, non-UTF-8 bytes, very
long text — pushed through every way in (each store method, the command line, a logbook import)
and every way out (every screen and notification, every CLI line and refusal, the Markdown, CSV and
JSON exports, the month report).

What is allowed in is shown exactly as typed and never acts; control characters are refused at
input with one line; and one that reached the file some other way (another SQLite client, an old
release) is shown as its escape, never sent to a terminal raw."""

from __future__ import annotations

import csv
import io
import json
import re
import sqlite3

import pytest
from hostile import (  # (the corpus and the fixtures the test_hostile_text* files share)
    ACCEPTED,
    CONTROLS,
    LONG,
    MARKDOWN,
    MARKUP,
    cli,
    hostile,
    raw_controls,
)

from liyuan_tui.domain.errors import ValidationError
from liyuan_tui.domain.i18n import Translator
from liyuan_tui.domain.imports import parse_history, parse_residents

# --- the corpus -----------------------------------------------------------------------------------

# --- in: every store method refuses control characters (validation.py) -------------------------


def writers(staff, ref: str):
    """(field, call(bad)) for every text a store method takes."""
    desk, sup = staff["assistant"], staff["cs_supervisor"]
    return [
        ("unit", lambda v: desk.intake.create_request(category="B", unit=v, phone="123", complete=True)),
        ("phone", lambda v: desk.intake.create_request(category="B", unit="1", phone=v, complete=True)),
        ("name", lambda v: desk.intake.create_request(category="B", unit="1", phone="123", requester_name=v)),
        (
            "description",
            lambda v: desk.intake.create_request(category="B", unit="1", phone="123", description=v),
        ),
        ("category", lambda v: desk.intake.create_request(category=v)),
        ("channel", lambda v: desk.intake.create_request(channel=v)),
        ("unit", lambda v: desk.intake.update_fields(ref, unit=v)),
        ("description", lambda v: desk.intake.update_fields(ref, description=v)),
        ("note", lambda v: desk.lifecycle.escalate(ref, note=v)),
        ("to", lambda v: desk.lifecycle.escalate(ref, to=v)),
        ("note", lambda v: desk.lifecycle.tick_step(ref, "fault", note=v)),
        ("value", lambda v: desk.lifecycle.tick_step(ref, "fault", value=v)),
        ("outcome", lambda v: sup.lifecycle.close_request(ref, v)),
        ("handed_to", lambda v: sup.lifecycle.close_request(ref, "done", handed_to=v)),
        ("reason", lambda v: sup.lifecycle.cancel(ref, v)),
        ("reason", lambda v: sup.lifecycle.reopen(ref, v)),
        ("note", lambda v: sup.lifecycle.acknowledge(ref, note=v)),
        ("login", lambda v: sup.lifecycle.assign(ref, v)),
        ("name", lambda v: sup.staff.add_staff("newbie", v, "guard")),
        ("login", lambda v: sup.staff.add_staff(v, "Newbie", "guard")),
        ("name", lambda v: sup.staff.update_staff("ann", name=v)),
        ("unit", lambda v: sup.archive.add_resident(v)),
        ("note", lambda v: sup.archive.add_resident("1-101", notes=v)),
        ("note", lambda v: desk.charges.add_charge(ref, "drain", 1, note=v)),
    ]


def event_count(store) -> int:
    return store.lookup.last_event_id()


@pytest.mark.parametrize("bad", CONTROLS, ids=[repr(c) for c in CONTROLS])
def test_control_characters_are_refused_by_every_store_method(staff, bad):
    ref = staff["assistant"].intake.create_request(category="B", unit="1", phone="123", complete=True).ref
    before = event_count(staff["assistant"])
    for field, call in writers(staff, ref):
        with pytest.raises(ValidationError) as refused:
            call(bad)
        assert refused.value.field in (field, "login", "value", "name"), (field, refused.value.field)
        assert refused.value.key in (
            "error.control_character",
            "error.not_utf8",
            "error.login_malformed",
            "error.phone_malformed",
            "error.category_unknown",
            "error.channel_unknown",
        ), (field, refused.value.key)
    assert event_count(staff["assistant"]) == before  # nothing written


def test_very_long_text_is_refused_by_every_store_method(staff):
    ref = staff["assistant"].intake.create_request(category="B", unit="1", phone="123", complete=True).ref
    before = event_count(staff["assistant"])
    for field, call in writers(staff, ref):
        with pytest.raises(ValidationError) as refused:
            call(LONG)
        assert refused.value.key in (
            "error.too_long",
            "error.login_malformed",
            "error.phone_malformed",
            "error.category_unknown",
            "error.channel_unknown",
        ), (field, refused.value.key)
        assert len(refused.value.message(Translator("en"))) < 400  # what was typed is said back cut short
    assert event_count(staff["assistant"]) == before


def test_an_import_refuses_control_characters_and_names_the_line(procedures, clock):
    from zoneinfo import ZoneInfo

    rows = (
        b"category,received_at,unit,description\n"
        b"B,2026-11-01 10:00,1-101,ok\n"
        b"B,2026-11-01 11:00,1-102,nul\x00here\n"
        b"B,2026-11-01 12:00,\x1b[2J,esc\n"
        b"B,0001-01-01 00:00,1-103,too early\n"
    )
    parsed = parse_history(rows, procedures, ZoneInfo("Asia/Shanghai"), clock.now())
    assert [r.line for r in parsed.rows] == [2]
    assert {(p.line, p.key) for p in parsed.problems} == {
        (3, "error.control_character"),
        (4, "error.control_character"),
        (5, "error.time_out_of_range"),
    }
    residents = parse_residents(b"unit,name,notes\n1-101,\x1b]0;x\x07,n\n")
    assert (
        not list(residents.rows) and residents.problems[0].key == "error.control_character"
    )  # (read as it goes)


# --- out: the command line --------------------------------------------------------------------


OUTPUTS = [
    ("queue",),
    ("queue", "--json"),
    ("handover", "--since", "18:00"),
    ("handover", "--since", "18:00", "--json"),
    ("report", "--month", "2026-11"),
    ("report", "--month", "2026-11", "--format", "csv"),
    ("report", "--month", "2026-11", "--format", "json"),
    ("staff", "list"),
    ("staff", "list", "--json"),
]


def test_every_cli_output_shows_accepted_hostile_text_as_text(hostile, cli_env):
    outputs = {}
    for args in OUTPUTS + [("show", ref) for ref in hostile] + [("show", ref, "--json") for ref in hostile]:
        done = cli(cli_env, *args)
        assert done.returncode == 0 and "Traceback" not in done.stderr, (args, done.stderr)
        assert not raw_controls(done.stdout + done.stderr), args
        outputs[args] = done.stdout
    queue = outputs[("queue",)]
    for text in MARKUP + MARKDOWN:
        assert text in queue  # rich did not read it as markup (nor crash on it)
    staff_list = outputs[("staff", "list")]
    assert "[@click=app.quit]x[/]" in staff_list
    shown = "\n".join(v for k, v in outputs.items() if k[0] == "show" and "--json" not in k)
    for text in ACCEPTED:
        assert text.replace("\t", " ") in shown or text in shown, text
    for args in [k for k in outputs if "--json" in k or "json" in k]:
        json.loads(outputs[args])  # still valid JSON


def test_markdown_exports_escape_what_would_be_markdown(hostile, cli_env):
    for args in (("handover", "--since", "18:00"), ("report", "--month", "2026-11")):
        md = cli(cli_env, *args).stdout
        for unescaped in (r"(?<!\\)<img", r"(?<!\\)\]\(javascript", r"(?<!\\)\[@click", r"(?<!\\)\[/bold"):
            assert re.search(unescaped, md) is None, unescaped
        assert "\\<img src=x onerror=alert(1)\\>" in md and "\\[/bold\\]" in md


def test_csv_cells_are_never_formulas(hostile, cli_env):
    raw = cli(cli_env, "report", "--month", "2026-11", "--format", "csv").stdout
    cells = [c for row in csv.reader(io.StringIO(raw.lstrip("\ufeff"))) for c in row]
    formula = [
        c
        for c in cells
        if c[:1] in ("=", "+", "-", "@", "\t", "\r") and not re.fullmatch(r"[+-]?\d+(\.\d+)?%?", c)
    ]
    assert formula == []
    assert "'=cmd|' /C calc'!A0" in cells and '\'=HYPERLINK("http://evil.example/","x")' in cells


def test_control_characters_already_in_the_file_never_reach_the_terminal(hostile, cli_env, db_path):
    """Written by another SQLite client or an old release: shown as escapes, never sent raw."""
    with sqlite3.connect(db_path) as conn:
        conn.execute(
            "UPDATE request SET unit = ?, requester_name = ?, description = ?, outcome = ?, handed_to = ?",
            ("\x1b[2J", "\x1b]0;pwned\x07", "a\x00b\x9b31m", "\x1b[31mred", "\x07"),
        )
        conn.execute("UPDATE staff SET name = ? WHERE login = 'evil'", ("\x1b]8;;file:///etc/passwd\x07x",))
        conn.execute("UPDATE steprecord SET note = ?, value = ?", ("\x1b[5m", "\r\x1b[K"))
    for args in OUTPUTS + [("show", hostile[0]), ("show", hostile[0], "--json"), ("show", hostile[-1])]:
        done = cli(cli_env, *args)
        assert done.returncode == 0, (args, done.stderr)
        assert not raw_controls(done.stdout + done.stderr), (args, raw_controls(done.stdout))
    shown = cli(cli_env, "show", hostile[0]).stdout
    assert "\\x1b[2J" in shown and "\\x1b]0;pwned\\x07" in shown
    queue = cli(cli_env, "queue").stdout
    assert "\\x1b[2J" in queue
    assert (
        json.loads(cli(cli_env, "show", hostile[0], "--json").stdout)["unit"] == "\x1b[2J"
    )  # JSON keeps the data


REFUSED = [
    (("show", "\x1b[2J"), "ref"),
    (("log", "--category", "\x1b]0;title\x07", "--unit", "1", "--phone", "123"), "--category"),
    (("log", "--category", "B", "--unit", "[/bold]", "--phone", "\x1b[2J"), "--phone"),
    (("log", "--category", "B", "--unit", "\udcff", "--phone", "123"), "--unit"),
    (("log", "--category", "B", "--unit", "1", "--phone", "123", "--text", LONG), "--text"),
    (
        (
            "log",
            "--category",
            "B",
            "--unit",
            "1",
            "--phone",
            "123",
            "--channel",
            "[@click=app.quit]x[/]" * 1000,
        ),
        "--channel",
    ),
    (("staff", "add", "\x1b[2J", "--name", "x", "--role", "guard"), "login"),
    (("staff", "add", "bob", "--name", "\x9b31m", "--role", "guard"), "--name"),
    (("--lang", "\x1b[2J", "queue"), "--lang"),
    (("--tz", "\x1b]0;title\x07", "queue"), "time zone"),
    (("--tz", "x" * 300, "queue"), "time zone"),
    (("--db", "\x1b[2J://x", "queue"), "database"),
    (("report", "--month", "\x1b[2J"), "--month"),
    (("handover", "--since", "\x1b[2J"), "--since"),
    (("charge", "202611-0001", "\x1b[2J"), "fee schedule"),
    (("rules", "publish", "--fees", "\x1b[2J"), "fee"),
    (("check", "--procedures", "\x1b[2J"), ""),
]


@pytest.mark.parametrize("args,names", REFUSED, ids=[str(i) for i in range(len(REFUSED))])
def test_refusals_never_echo_a_control_sequence_or_a_megabyte(hostile, cli_env, db_path, args, names):
    before = sqlite3.connect(db_path).execute("SELECT count(*) FROM event").fetchone()
    done = cli(cli_env, *args)
    assert done.returncode in (1, 2) and "Traceback" not in done.stderr, done.stderr
    assert not raw_controls(done.stdout + done.stderr)
    if done.returncode == 2:
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1 and len(lines[0]) < 1000 and names in lines[0], done.stderr
    assert sqlite3.connect(db_path).execute("SELECT count(*) FROM event").fetchone() == before


# --- out: every screen and notification ----------------------------------------------------------


__all__ = ["hostile"]  # the fixture, shared

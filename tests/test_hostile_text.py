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
from datetime import timedelta

import pytest
from cli_runner import run_liyuan

from liyuan_tui.domain.errors import ValidationError
from liyuan_tui.domain.i18n import Translator
from liyuan_tui.domain.imports import parse_history, parse_residents

# --- the corpus -----------------------------------------------------------------------------------

MARKUP = [
    "[/bold]",
    "[/x]",
    "[link=file:///etc/passwd]a[/]",
    "[@click=app.quit]x[/]",
    "[@click=app.new_request]x[/]",
    "[b]loud[/b]",
]
FORMULAS = [
    '=HYPERLINK("http://evil.example/","x")',
    "=cmd|' /C calc'!A0",
    "+1+1",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
]
MARKDOWN = ["<img src=x onerror=alert(1)>", "[a](javascript:alert(1))", "| a | b |", "**bold** `code`"]
ACCEPTED = MARKUP + FORMULAS + MARKDOWN  # allowed in: shown exactly as typed, never acting
CONTROLS = [
    "\x1b]0;title\x07",
    "\x1b[2J",
    "a\x00b",
    "a\rb",
    "\x07",
    "\x9b31m",
    "\u202eevil",
    "\x7f",
    "\udcff",
]  # refused in (the last: a byte that was not UTF-8, as Python carries it)
LONG = "长" * 5000
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def raw_controls(text: str) -> list[str]:
    """Control characters in `text` other than newline and tab (and a CSV's CRLF line ends)."""
    return RAW_CONTROL.findall(text.replace("\r\n", "\n"))


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


@pytest.fixture
def hostile(staff, clock, tmp_path):
    """Requests and staff carrying every accepted hostile string, in every field that is shown."""
    desk, sup, mgr = staff["assistant"], staff["cs_supervisor"], staff["manager"]
    sup.staff.add_staff("evil", "[@click=app.quit]x[/]", "assistant")
    refs = []
    for i, text in enumerate(ACCEPTED):
        req = desk.intake.create_request(
            category="B",
            unit=text[:64],
            phone=f"1380000{i:04d}",
            requester_name=text[:40],
            description=text + "\n" + text,
            complete=True,
            received_at=clock.now() - timedelta(minutes=30 + i),
        )
        refs.append(req.ref)
    # The formulas' requests closed, handed on, major, with notes and values: the report's lists and
    # the timeline carry them too. The markup's stay open: the queue shows them.
    for ref, text in zip(refs[len(MARKUP) :], FORMULAS, strict=False):
        desk.lifecycle.mark_replied(ref)
        desk.lifecycle.tick_step(ref, "fault", value=text, note=text)
        desk.lifecycle.tick_step(ref, "dispatch", value=text)
        desk.lifecycle.set_major(ref)
        desk.lifecycle.escalate(ref, note=text)
        desk.lifecycle.tick_step(ref, "manager_informed", value=text, note=text)
        desk.lifecycle.tick_step(ref, "record")
        desk.lifecycle.tick_step(
            ref, "resident_informed", value=text
        )  # what was heard back (never pass the buck)
        mgr.lifecycle.close_request(ref, text, handed_to=text[:40])
    return refs


def cli(env, *args, user="sup"):
    return run_liyuan(dict(env, LIYUAN_USER=user), *args)


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

FEES = """
title = { zh = "[/bold]收费", en = "[@click=app.quit]x[/] fees" }
[[items]]
code = "evil"
zh = "[/bold]疏通"
en = "[@click=app.quit]x[/]"
unit = { zh = "[/x]", en = "[/x]" }
price = 50
"""


def screen_lines(app) -> list[str]:
    """What the terminal shows now, line by line (every segment the screen would send)."""
    return ["".join(seg.text for seg in strip) for strip in app.screen._compositor.render_strips()]


def assert_shows(app, *texts: str) -> str:
    lines = screen_lines(app)
    whole = "\n".join(lines)
    assert not raw_controls(whole), raw_controls(whole)
    for text in texts:
        assert text in whole, (text, whole)
    assert app.is_running and app.return_code is None  # nothing quit the desk
    return whole


@pytest.fixture
def desk_app(staff, db_url, clock, procedures, tmp_path):
    """make(login) → the desk app on the test database, with a site fee file of hostile names."""
    from liyuan_tui.app import LiyuanApp
    from liyuan_tui.domain.config import Settings
    from liyuan_tui.store.opening import open_store

    fees = tmp_path / "fees.toml"
    fees.write_text(FEES, encoding="utf-8")
    apps = []

    def make(login: str, lang: str = "en") -> LiyuanApp:
        settings = Settings(
            db_url=db_url, lang=lang, tz_name="Asia/Shanghai", login=login, os_login=login, fees_file=fees
        )
        # The looks for others' changes are the test's (settle): the poller thread's coalescing gap
        # (widgets/poller.py LOOK_GAP) would have a change arrive after the test had looked.
        app = LiyuanApp(
            open_store(settings, clock, procedures), settings, clock, tick_interval=None, poll_interval=None
        )
        apps.append(app)
        return app

    yield make
    for app in apps:
        app.store.close()


async def test_every_screen_shows_hostile_text_as_text_and_nothing_acts(desk_app, staff, hostile, clock):
    from textual.widgets import Input
    from ui.ui_helpers import settle

    sup = staff["cs_supervisor"]
    sup.staff.update_staff("sup", name="[@click=app.quit]x[/]")  # the header shows the user's own name
    target = (
        staff["assistant"]
        .intake.create_request(
            category="B",
            unit="[/x]",
            phone="8123",
            requester_name="[@click=app.new_request]x[/]",
            description="[link=file:///etc/passwd]a[/]",
            complete=True,
        )
        .ref
    )
    app = desk_app("sup")
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        assert_shows(app, "[/x]", "[/bold]", "[@click=app.quit]x[/]")  # queue, header
        # The request screen: summary, checklist, timeline.
        app.open_request(hostile[len(MARKUP)])  # closed: summary, outcome, every step's note and value
        await settle(pilot)
        assert_shows(app, FORMULAS[0][:30])
        app.pop_screen()
        app.open_request(target)
        await settle(pilot)
        assert_shows(app, "[/x]", "[@click=app.new_request]x[/]", "[link=file:///etc/passwd]a[/]")
        # The charge dialog and the charges list: names from a site's fee file.
        await pilot.press("p")
        await settle(pilot)
        assert_shows(app, "[@click=app.quit]x[/]", "[/x]")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert_shows(app, "[@click=app.quit]x[/]")  # the request's charges, and the toast saying so
        app.pop_screen()
        await settle(pilot)
        # Search results (the crash of the issue: a unit `[/x]`).
        await pilot.press("slash")
        await settle(pilot)
        await pilot.press(*"[/x]")
        await settle(pilot)
        assert_shows(app, target, "[/x]")
        await pilot.press("escape")
        await settle(pilot)
        # The handover sheet, the month report (departments, outcomes, names), the help.
        await pilot.press("h")
        await settle(pilot)
        assert_shows(app, "[/bold]", "[/x]")
        await pilot.press("escape", "ctrl+r")
        await settle(pilot)
        whole = assert_shows(app)
        assert "[/bold]" in whole or "=cmd|' /C calc'!A0" in whole or "[@click=app.quit]x[/]" in whole
        await pilot.press("escape", "question_mark")
        await settle(pilot)
        assert_shows(app)
        await pilot.press("escape")
        # A notification of another terminal's request, and a refusal repeating what was typed.
        staff["assistant"].intake.create_request(category="A", unit="[/bold]*", phone="8124", complete=True)
        app.poll_now()
        await settle(pilot)
        assert_shows(app, "[/bold]*")
        await pilot.press("n")
        await settle(pilot)
        phone = app.screen.query_one("#phone", Input)
        phone.focus()
        phone.value = "[@click=app.quit]x[/]"
        await pilot.press("tab")
        await settle(pilot)
        assert_shows(app, "'[@click=app.quit]x[/]' is not a phone number")
        # A click on the name in the header or the toast runs nothing.
        await pilot.click(offset=(80, 0))
        await settle(pilot)
        assert app.is_running


async def test_control_characters_in_the_file_reach_no_screen_raw(desk_app, staff, hostile, db_path):
    from ui.ui_helpers import settle

    with sqlite3.connect(db_path) as conn:
        conn.execute(
            "UPDATE request SET unit = ?, requester_name = ?, description = ? WHERE ref = ?",
            ("\x1b[2J", "\x1b]0;pwned\x07", "x\x9b31m", hostile[0]),
        )
        conn.execute("UPDATE staff SET name = ? WHERE login = 'evil'", ("\x1b]8;;file:///etc/passwd\x07x",))
    app = desk_app("sup")
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        assert_shows(app, "\\x1b[2J")
        app.open_request(hostile[0])
        await settle(pilot)
        assert_shows(app, "\\x1b[2J", "\\x1b]0;pwned\\x07", "x\\x9b31m")
        await pilot.press("escape", "h")
        await settle(pilot)
        assert_shows(app, "\\x1b[2J")

"""Text is data in the back office too (issue 14: follow-up calls, the household file, training and
assessments, the scorecard): the same corpus as test_hostile_text.py pushed through each of its
ways in (every store method refuses control characters and very long text) and out (`followup
due`, `residents show`, `staff records`, `staff scorecard` in every format and to a file, `show`
with its calls, and the follow-ups, household, edit and scorecard screens)."""

from __future__ import annotations

import csv
import io
import json
import re
import stat

import pytest
from backoffice_helpers import close_repair, log_repair
from hostile import (
    ACCEPTED,
    CONTROLS,
    FORMULAS,
    LONG,
    MARKUP,
    assert_shows,
    cli,
    desk_app,
    hostile,
    raw_controls,
)

from liyuan_tui.domain.errors import ValidationError
from liyuan_tui.domain.i18n import Translator

__all__ = ["desk_app", "hostile"]  # fixtures shared with the module this one extends

FORMULA_NAME = "=cmd|' /C calc'!A0"
REFUSED_KEYS = (
    "error.control_character",
    "error.not_utf8",
    "error.login_malformed",
    "error.phone_malformed",
    "error.fault_kind_unknown",
    "error.too_long",
)


def care_writers(staff, ref: str):
    """(field, call(bad)) for every text issue 14's store methods take."""
    desk, sup = staff["assistant"], staff["cs_supervisor"]
    edit = desk.households.edit
    return [
        ("note", lambda v: desk.followups.record(ref, reached="yes", score=3, solved="yes", note=v)),
        ("household_unit", lambda v: edit(v, notes="x")),
        ("emergency_name", lambda v: edit("1-101", emergency_name=v)),
        ("emergency_phone", lambda v: edit("1-101", emergency_phone=v)),
        ("emergency_relation", lambda v: edit("1-101", emergency_relation=v)),
        ("language", lambda v: edit("1-101", language=v)),
        ("notes", lambda v: edit("1-101", notes=v)),
        ("person", lambda v: edit("1-101", person=v)),
        ("relation", lambda v: edit("1-101", person="张三", relation=v)),
        ("phones", lambda v: edit("1-101", person="张三", phones=v)),
        ("remove_person", lambda v: edit("1-101", remove_person=v)),
        ("course", lambda v: sup.staff_records.train("ann", course=v, day="2026-11-01")),
        ("result", lambda v: sup.staff_records.train("ann", course="消防", day="2026-11-01", result=v)),
        ("note", lambda v: sup.staff_records.assess("ann", month="2026-11", score=80, note=v)),
        (
            "fault_kind",
            lambda v: desk.intake.create_request(category="B", unit="1", phone="123", fault_kind=v),
        ),
    ]


@pytest.fixture
def closed_ref(staff):
    desk = staff["assistant"]
    return close_repair(desk, log_repair(desk).ref).ref


@pytest.mark.parametrize("bad", CONTROLS + [LONG], ids=[repr(c)[:12] for c in CONTROLS] + ["long"])
def test_the_back_offices_store_methods_refuse_control_characters_and_very_long_text(staff, closed_ref, bad):
    from sqlalchemy import text

    def counts():
        with staff["assistant"].kernel.read() as s:
            return tuple(
                s.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()
                for t in ("event", "followup", "household", "resident", "training", "assessment")
            )

    before = counts()
    for field, call in care_writers(staff, closed_ref):
        with pytest.raises(ValidationError) as refused:
            call(bad)
        assert refused.value.field in (field, "name", "phone"), (field, refused.value.field)
        assert refused.value.key in REFUSED_KEYS, (field, refused.value.key)
        assert len(refused.value.message(Translator("en"))) < 400  # what was typed is said back cut short
    assert counts() == before  # nothing written


@pytest.fixture
def hostile_care(staff, hostile, clock):
    """The hostile requests' back office: calls with hostile notes on the closed ones (still owed),
    households of the hostile units with hostile people, flags and notes, training and assessments
    with hostile courses and notes, and an assistant whose name is a formula."""
    desk, sup = staff["assistant"], staff["cs_supervisor"]
    sup.staff.add_staff("formula", FORMULA_NAME, "assistant")
    marked = close_repair(desk, log_repair(desk, unit=MARKUP[3], requester_name=MARKUP[0]).ref).ref
    closed = [marked] + hostile[len(MARKUP) : len(MARKUP) + len(FORMULAS)]
    for ref, text in zip(closed, MARKUP[:1] + FORMULAS, strict=False):
        desk.followups.record(ref, reached="no", note=text)  # not reached: still owed, listed by `due`
    units = [t[:64] for t in MARKUP]
    for unit, text in zip(units, ACCEPTED, strict=False):
        desk.households.edit(
            unit,
            elderly_alone="yes",
            language=text[:20],
            notes=text,
            emergency_name=text[:40],
            emergency_relation=text[:20],
            emergency_phone="139",
            person=text[:40],
            relation=text[:20],
            phones="13800000000",
        )
    for i, text in enumerate(ACCEPTED):
        sup.staff_records.train("evil", course=text, day=f"2026-11-0{i % 9 + 1}", result=text)
    sup.staff_records.assess("evil", month="2026-11", score=77, note=FORMULAS[0])
    sup.staff_records.assess("formula", month="2026-11", score=66, note=MARKUP[0])
    return {"closed": closed, "units": units}


def test_the_back_offices_cli_outputs_show_hostile_text_as_text(hostile_care, cli_env):
    outputs = {}
    runs = [
        ("followup", "due"),
        ("followup", "due", "--json"),
        ("staff", "records", "evil"),
        ("staff", "records", "evil", "--json"),
        ("staff", "scorecard", "--month", "2026-11"),
        ("staff", "scorecard", "--month", "2026-11", "--format", "json"),
    ]
    runs += [("residents", "show", u) for u in hostile_care["units"]]
    runs += [("residents", "show", u, "--json") for u in hostile_care["units"]]
    runs += [("show", ref) for ref in hostile_care["closed"]]
    for args in runs:
        done = cli(cli_env, *args, user="ann" if args[0] in ("followup", "residents") else "sup")
        assert done.returncode == 0 and "Traceback" not in done.stderr, (args, done.stderr)
        assert not raw_controls(done.stdout + done.stderr), args
        outputs[args] = done.stdout
        if "--json" in args or "json" in args:
            json.loads(done.stdout)  # still valid JSON
    due = outputs[("followup", "due")]
    for text in (MARKUP[3], MARKUP[0], FORMULAS[1], FORMULAS[4]):
        assert text in due  # the table read no markup (nor crashed on it)
    household = "\n".join(
        v for k, v in outputs.items() if k[:2] == ("residents", "show") and "--json" not in k
    )
    for text in MARKUP:
        assert text in household
    assert "'=cmd|' /C calc'!A0" not in outputs[("staff", "records", "evil")]  # plain text: no CSV escaping
    assert FORMULAS[0] in outputs[("staff", "records", "evil")]
    shown = "\n".join(v for k, v in outputs.items() if k[0] == "show")
    assert FORMULAS[1] in shown  # a call's note, as typed
    md = outputs[("staff", "scorecard", "--month", "2026-11")]
    assert re.search(r"(?<!\\)\[@click", md) is None and "\\[\\@click=app\\.quit\\]x\\[/\\]" in md


def test_the_scorecards_csv_cells_are_never_formulas_and_its_file_is_private(hostile_care, cli_env, tmp_path):
    raw = cli(cli_env, "staff", "scorecard", "--month", "2026-11", "--format", "csv").stdout
    cells = [c for row in csv.reader(io.StringIO(raw.lstrip("\ufeff"))) for c in row]
    formula = [
        c
        for c in cells
        if c[:1] in ("=", "+", "-", "@", "\t", "\r") and not re.fullmatch(r"[+-]?\d+(\.\d+)?%?", c)
    ]
    assert formula == [] and any(c.startswith("'" + FORMULA_NAME) for c in cells)
    out = tmp_path / "scorecard.csv"
    done = cli(cli_env, "staff", "scorecard", "--month", "2026-11", "--format", "csv", "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o600 and out.read_bytes().decode("utf-8") == raw
    folder = cli(cli_env, "staff", "scorecard", "--month", "2026-11", "-o", str(tmp_path))
    assert folder.returncode == 2 and len(folder.stderr.strip().splitlines()) == 1


async def test_the_back_offices_screens_show_hostile_text_as_text_and_nothing_acts(
    desk_app, hostile_care, clock
):
    from ui.ui_helpers import settle

    clock.advance(86400 * 4)  # the calls are overdue
    app = desk_app("ann")
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        await pilot.press("v")  # the follow-up calls owed: units, names, categories
        await settle(pilot)
        assert_shows(app, FORMULAS[0][:20])
        await pilot.press("enter")  # the call dialog: who was called
        await settle(pilot)
        assert_shows(app)
        await pilot.press("escape")
        await settle(pilot)
        for unit in hostile_care["units"]:  # the household file: title, flags, people, notes, history
            app.open_household(unit)
            await settle(pilot)
            assert_shows(app, unit)
            await pilot.press("e")  # the edit dialog's title names the unit
            await settle(pilot)
            assert_shows(app, unit)
            await pilot.press("escape")
            await settle(pilot)
            app.pop_screen()
            await settle(pilot)
    sup = desk_app("sup")
    async with sup.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        sup.action_scorecard()
        await settle(pilot)
        assert_shows(sup, MARKUP[3], FORMULA_NAME[:10])  # staff names in the scorecard's tables


async def test_control_characters_already_in_the_back_offices_tables_reach_no_terminal_raw(
    desk_app, hostile_care, cli_env, db_path
):
    """Written by another SQLite client or an old release: shown as escapes, never sent raw."""
    import sqlite3

    from ui.ui_helpers import settle

    with sqlite3.connect(db_path) as conn:
        conn.execute(
            "UPDATE household SET notes = ?, emergency_name = ?, language = ?",
            ("\x1b[2J", "\x1b]0;pwned\x07", "\x9b31m"),
        )
        conn.execute("UPDATE resident SET name = ?, relation = ?", ("\x1b[5m", "\x07"))
        conn.execute("UPDATE followup SET note = ?", ("\x1b]8;;file:///etc/passwd\x07x",))
        conn.execute("UPDATE training SET course = ?, result = ?", ("\x1b[31m", "\r\x1b[K"))
        conn.execute("UPDATE assessment SET note = ?", ("\x1b[?1049h",))
    unit = hostile_care["units"][0]
    for args, user in (
        (("residents", "show", unit), "ann"),
        (("residents", "show", unit, "--json"), "ann"),
        (("followup", "due"), "ann"),
        (("show", hostile_care["closed"][0]), "ann"),
        (("staff", "records", "evil"), "sup"),
        (("staff", "records", "evil", "--json"), "sup"),
    ):
        done = cli(cli_env, *args, user=user)
        assert done.returncode == 0, (args, done.stderr)
        assert not raw_controls(done.stdout + done.stderr), (args, raw_controls(done.stdout))
    assert "\\x1b[2J" in cli(cli_env, "residents", "show", unit, user="ann").stdout
    app = desk_app("ann")
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        app.open_household(unit)
        await settle(pilot)
        assert_shows(app, "\\x1b[2J", "\\x1b]0;pwned\\x07")

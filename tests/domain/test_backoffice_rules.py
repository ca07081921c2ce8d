"""The back office's rules as data and checks: follow-up days and kinds of fault in the procedure
files, when a call is due, and the input checks that keep hostile text out."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from test_procedures_loader import MINIMAL  # (beside this file)

from liyuan_tui.domain import record_checks
from liyuan_tui.domain import validation as check
from liyuan_tui.domain.errors import ValidationError
from liyuan_tui.domain.followups import followup_due_at
from liyuan_tui.domain.procedure_files import parse_procedure
from liyuan_tui.domain.procedures import ProcedureError

NOW = datetime(2026, 11, 27, 14, 0, tzinfo=UTC)


def test_the_shipped_files_set_follow_up_days_and_the_repairs_kinds_of_fault(procedures):
    assert {k: p.followup_days for k, p in procedures.items()} == {
        "medical": 1,
        "repair": 3,
        "complaint": 3,
        "consultation": 3,
        "security": 3,
        "disaster": 3,
        "other": 3,
    }
    repair = procedures["repair"]
    assert [k.key for k in repair.fault_kinds][:3] == [
        "water",
        "electric",
        "gas",
    ] and repair.repeat_days == 30
    assert all(k.name.zh and k.name.en for k in repair.fault_kinds)
    assert [k for k, p in procedures.items() if p.fault_kinds] == ["repair"]


def test_a_file_without_the_settings_gets_the_defaults():
    proc = parse_procedure(MINIMAL, "site/other.toml", "other")
    assert proc.followup_days == 3 and proc.fault_kinds == () and proc.repeat_days == 30


@pytest.mark.parametrize(
    "extra, problem",
    [
        ("followup_days = -1", "followup_days must be a whole number of days from 0 to 365"),
        ("followup_days = 2.5", "followup_days must be a whole number"),
        ("repeat_days = 0", "repeat_days must be a whole number of days from 1 to 365"),
        ('[[fault_kinds]]\nkey = "water"\nzh = "水"', "fault kind 'water' needs both zh and en text"),
        ('[[fault_kinds]]\nkey = "wa ter"\nzh = "水"\nen = "Water"', "key must be ASCII"),
        (
            '[[fault_kinds]]\nkey = "w"\nzh = "水"\nen = "W"\n[[fault_kinds]]\nkey = "w"\nzh = "水"\nen = "W"',
            "defined twice",
        ),
    ],
)
def test_bad_settings_name_the_file_and_the_problem(extra, problem):
    head, steps = MINIMAL.split("[[steps]]", 1)
    with pytest.raises(ProcedureError) as err:
        parse_procedure(head + extra + "\n[[steps]]" + steps, "site/other.toml", "other")
    assert "site/other.toml" in str(err.value) and problem in str(err.value)


def test_a_call_is_due_the_categorys_days_after_the_close_unless_withdrawn(procedures):
    assert followup_due_at(procedures["medical"], NOW, "resolved") == NOW + timedelta(days=1)
    assert followup_due_at(procedures["repair"], NOW, "handed_on") == NOW + timedelta(days=3)
    assert followup_due_at(procedures["repair"], NOW, "withdrawn") is None
    assert followup_due_at(None, NOW, "resolved") is None


@pytest.mark.parametrize("text", ["a\x1b[2Jb", "\x1b]0;title\x07", "a\x00b", "x\u202ey"])
def test_control_characters_and_bidi_overrides_are_refused_in_a_line(text):
    with pytest.raises(ValidationError) as err:
        check.plain(text, "course")
    assert err.value.field == "course" and err.value.key == "error.control_character"


def test_a_line_is_one_line():
    assert check.plain("消防 \t安全  培训", "course") == "消防 安全 培训"
    with pytest.raises(ValidationError):  # a newline only where the text may have lines (a note)
        check.plain("消防\n安全", "course")


def test_free_text_keeps_its_newlines_and_tabs_but_not_escapes():
    assert check.plain("第一行\n\t第二行", "note", newlines=True) == "第一行\n\t第二行"
    with pytest.raises(ValidationError):
        check.plain("a\x1b[31mred", "note", newlines=True)


@pytest.mark.parametrize(
    "value, want", [("yes", True), ("No", False), ("是", True), ("否", False), (True, True)]
)
def test_yes_and_no_in_either_language(value, want):
    assert record_checks.yes_no(value, "reached") is want


@pytest.mark.parametrize("value, want", [("", None), (None, None), ("1", 1), (5, 5)])
def test_a_score_is_one_to_five_or_not_asked(value, want):
    assert record_checks.score(value) == want


@pytest.mark.parametrize("value", ["0", "6", "4.5", "five"])
def test_other_scores_are_refused(value):
    with pytest.raises(ValidationError):
        record_checks.score(value)

"""Procedures as data: the loader validates every file and names the file, step and problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from liyuan_tui.domain.procedure_files import load_procedures, parse_procedure
from liyuan_tui.domain.procedures import ProcedureError

CATEGORY_ORDER = ("medical", "repair", "complaint", "consultation", "security", "disaster", "other")

MINIMAL = """
key = "other"
letter = "G"
name = { zh = "其他", en = "Other" }
[[steps]]
key = "record"
zh = "记录"
en = "Record"
role = "assistant"
[[steps]]
key = "manager_informed"
when = "major"
zh = "告知经理"
en = "Tell the manager"
role = "assistant"
required = true
"""


def test_all_seven_categories_are_shipped(procedures):
    assert list(procedures) == list(CATEGORY_ORDER)
    assert [p.letter for p in procedures.values()] == list("ABCDEFG")
    assert all(p.reply_limit.total_seconds() == 600 for p in procedures.values())


def test_the_medical_emergency_has_its_three_branches(procedures):
    medical = procedures["medical"]
    assert [b.key for b in medical.branches] == ["hospital", "ambulance", "care"]
    first = [s.key for s in medical.steps if s.first]
    assert first == ["patient_address", "contact_phone"]
    care = medical.checklist(["care"], {"ordinary"})
    family = medical.step("care_family_present")
    assert family.required and family.input == "confirm"
    later = [s for s in care if family.key in s.after]
    assert {s.key for s in later} >= {"care_introduce", "care_follow_instructions"}


def test_categories_resolve_by_key_letter_and_name(procedures):
    for value in ("medical", "A", "a", "急救病人求助", "Medical emergency"):
        assert procedures.resolve(value).key == "medical"
    assert procedures.resolve("Z") is None


def test_a_site_folder_replaces_and_adds_procedures(tmp_path):
    (tmp_path / "other.toml").write_text(MINIMAL.replace("记录", "本小区的记录方式"), encoding="utf-8")
    procs = load_procedures(tmp_path)
    assert procs["other"].step("record").text.zh == "本小区的记录方式"
    assert procs["other"].source == str(tmp_path / "other.toml")
    assert procs["medical"].source == "procedures/medical.toml"


BROKEN = [
    (MINIMAL.replace('role = "assistant"\n[[steps]]', 'role = "janitor"\n[[steps]]', 1), "record", "janitor"),
    (MINIMAL.replace('en = "Record"\n', ""), "record", "no en text"),
    (MINIMAL.replace('key = "record"', 'key = "record"\ninput = "value"'), "record", "prompt"),
    (MINIMAL.replace('key = "record"', 'key = "record"\nbranch = "nowhere"'), "record", "nowhere"),
    (MINIMAL.replace('key = "record"', 'key = "record"\nafter = ["later"]'), "record", "later"),
    (MINIMAL.replace('key = "manager_informed"', 'key = "record"'), "record", "defined twice"),
    (MINIMAL.replace('when = "major"\n', ""), None, "manager_informed"),
    (MINIMAL.replace('letter = "G"', 'letter = "GG"'), None, "letter"),
    (MINIMAL + "\n[[steps]\n", None, "not valid TOML"),
]


@pytest.mark.parametrize("text,step,problem", BROKEN, ids=[p for *_, p in BROKEN])
def test_a_malformed_file_names_the_file_step_and_problem(tmp_path, text, step, problem):
    path = tmp_path / "other.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ProcedureError) as err:
        load_procedures(tmp_path)
    message = str(err.value)
    assert str(path) in message and problem in message
    if step:
        assert f"step '{step}'" in message


def test_the_file_name_must_match_the_key():
    with pytest.raises(ProcedureError) as err:
        parse_procedure(MINIMAL, "procedures/repair.toml", "repair")
    assert "does not match" in str(err.value)


def test_a_missing_site_folder_is_an_error(tmp_path):
    with pytest.raises(ProcedureError):
        load_procedures(Path(tmp_path / "nope"))

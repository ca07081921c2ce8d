"""A site adds or edits a procedure file without code; a malformed one is refused with an error
naming the file, the step and the problem."""

from __future__ import annotations

import json

import pytest

from liyuan_tui.domain.procedure_files import load_procedures, parse_procedure, shipped_folder
from liyuan_tui.domain.procedures import ProcedureError

PARCEL = """
key = "parcel"
letter = "H"
name = { zh = "代收快递", en = "Parcel held at the desk" }
reply_limit_minutes = 30

[[steps]]
key = "parcel_logged"
zh = "登记快递单号和收件人"
en = "Log the tracking number and the addressee"
role = "assistant"
required = true
input = "value"
prompt = { zh = "快递单号", en = "Tracking number" }

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

STEP = """
[[steps]]
key = "{key}"
zh = "核对"
en = "Check"
role = "{role}"
{extra}
"""


def procedure_text(*steps: str) -> str:
    head = 'key = "medical"\nletter = "A"\nname = { zh = "急救", en = "Medical" }\n'
    informed = STEP.format(key="manager_informed", role="assistant", extra='when = "major"\nrequired = true')
    return head + "".join(steps) + informed


def shipped_medical() -> str:
    return (shipped_folder() / "medical.toml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "step, problem",
    [
        (STEP.format(key="check", role="janitor", extra=""), "role 'janitor' is not one of"),
        ('\n[[steps]]\nkey = "check"\nzh = "核对"\nrole = "assistant"\n', "has no en text"),
        (
            STEP.format(key="check", role="assistant", extra='input = "confirm"'),
            "input 'confirm' needs a prompt",
        ),
        (STEP.format(key="check", role="assistant", extra='input = "value"'), "input 'value' needs a prompt"),
        (STEP.format(key="check", role="assistant", extra="gate = true"), "a gate must be required"),
        (STEP.format(key="check", role="assistant", extra='after = ["later"]'), "after names 'later'"),
        (STEP.format(key="check", role="assistant", extra='when = "rainy"'), "when 'rainy' is not one of"),
        (
            STEP.format(key="check", role="assistant", extra='branch = "boat"'),
            "branch 'boat' is not declared",
        ),
        (STEP.format(key="check", role="assistant", extra="colour = 3"), "unknown setting(s): colour"),
    ],
)
def test_a_malformed_step_is_refused_naming_file_step_and_problem(step, problem):
    with pytest.raises(ProcedureError) as caught:
        parse_procedure(procedure_text(step), "/site/medical.toml")
    message = str(caught.value)
    assert message.startswith("/site/medical.toml: step 'check': "), message
    assert problem in message


def test_a_procedure_without_manager_informed_is_refused():
    text = 'key = "medical"\nletter = "A"\nname = { zh = "急救", en = "Medical" }\n' + STEP.format(
        key="check", role="assistant", extra=""
    )
    with pytest.raises(ProcedureError, match="manager_informed"):
        parse_procedure(text, "medical.toml")


def test_a_site_folder_replaces_and_adds_procedures(tmp_path):
    (tmp_path / "parcel.toml").write_text(PARCEL, encoding="utf-8")
    (tmp_path / "medical.toml").write_text(
        shipped_medical().replace('zh = "问清联系电话"', 'zh = "问清联系电话(本站:同时记下楼栋管家)"'),
        encoding="utf-8",
    )
    procs = load_procedures(tmp_path)
    assert list(procs)[-1] == "parcel" and procs.resolve("H").key == "parcel"
    assert procs.reply_limit("parcel").total_seconds() == 30 * 60
    assert "楼栋管家" in procs["medical"].step("contact_phone").text.zh
    assert procs["medical"].source == str(tmp_path / "medical.toml")
    assert procs["repair"].source == "procedures/repair.toml"


@pytest.mark.e2e
def test_liyuan_uses_the_site_folder_from_the_environment(liyuan, tmp_path):
    site = tmp_path / "site-procedures"
    site.mkdir()
    (site / "parcel.toml").write_text(PARCEL, encoding="utf-8")
    checked = liyuan("check", LIYUAN_PROCEDURES=str(site))
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert str(site) in checked.stdout and "$LIYUAN_PROCEDURES" in checked.stdout
    assert "8 procedures loaded" in checked.stdout and "parcel" in checked.stdout

    unpublished = liyuan(
        "log", "--category", "H", "--unit", "5-0301", "--phone", "13800138000", LIYUAN_PROCEDURES=str(site)
    )
    assert unpublished.returncode == 2  # a folder of one's own changes nothing on a site (issue 18) …
    published = liyuan("rules", "publish", LIYUAN_PROCEDURES=str(site))
    assert published.returncode == 0 and "procedures v2" in published.stdout, published.stderr
    logged = liyuan("log", "--category", "H", "--unit", "5-0301", "--phone", "13800138000")
    assert logged.returncode == 0, logged.stderr  # … until it is published: every desk follows it
    ref = logged.stdout.strip()
    shown = liyuan("show", ref, "--json")
    data = json.loads(shown.stdout)
    assert data["category"] == "parcel"
    assert [s["key"] for s in data["checklist"]] == ["parcel_logged"]
    assert 29 * 60 < data["seconds_left"] <= 30 * 60  # the site's own reply limit


@pytest.mark.e2e
def test_a_malformed_site_file_stops_the_command_with_file_step_and_problem(liyuan, tmp_path):
    site = tmp_path / "site-procedures"
    site.mkdir()
    broken = shipped_medical().replace(
        'role = "guard"\nrequired = true\ngate = true', 'role = "nurse"\nrequired = true\ngate = true'
    )
    (site / "medical.toml").write_text(broken, encoding="utf-8")

    logged = liyuan("rules", "publish", "--procedures", str(site))
    assert logged.returncode == 2
    line = logged.stderr.strip()
    assert "\n" not in line and "Traceback" not in line
    assert str(site / "medical.toml") in line
    assert "step 'care_family_present'" in line and "role 'nurse' is not one of" in line

    checked = liyuan("check", LIYUAN_PROCEDURES=str(site))
    assert checked.returncode == 1
    assert "care_family_present" in checked.stdout and "nurse" in checked.stdout
    # Never published: the site's procedures stand, and the desk works on them.
    assert liyuan("queue", LIYUAN_PROCEDURES=str(site)).returncode == 0

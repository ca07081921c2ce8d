"""The desk's words as people read them (issue 20): people by name, not login; an escalation's target
and a charge's item in words; `alerts` in sentences; no field's name as a tag in front of a message;
no empty brackets; the escalation's note in its notice; argparse's own words in Chinese under zh;
English plurals; the generic baseline said beside the governing procedure's name."""

from __future__ import annotations

import json

import pytest
from cli_runner import run_liyuan

from liyuan_tui.domain.i18n import Translator
from liyuan_tui.domain.notices import notices_for


def liyuan(env, *args, user="ann", lang="zh"):
    return run_liyuan(dict(env, LIYUAN_USER=user, LIYUAN_LANG=lang), *args)


@pytest.fixture
def night(staff, desk, cli_env):
    """A repair taken by the desk, escalated to every supervisor, charged for, given to the
    technician; the staff have names (ANN, TECH …) beside their logins."""
    ref = desk.intake.create_request(category="repair", unit="5栋0803", phone="139", complete=True).ref
    desk.lifecycle.escalate(ref, note="楼下也在滴水")
    desk.charges.add_charge(ref, "drain")
    desk.orders.create(ref, "tech")
    return ref


def test_show_names_people_the_escalation_and_the_charge_in_words(night, cli_env):
    shown = liyuan(cli_env, "show", night).stdout
    assert "→ 客服部主管" in shown and "→ cs_supervisor" not in shown
    assert "ANN" in shown and "→ TECH" in shown and " ann " not in shown and "→ tech" not in shown
    assert "疏通" in shown and "drain ×" not in shown  # the fee item by its name
    assert "(通用基线,非公司原文)" in shown  # the shipped repair checklist is no company text


def test_the_handover_names_the_holder(night, cli_env):
    sheet = liyuan(cli_env, "handover").stdout
    assert "| ANN " in sheet and "| ann " not in sheet


def test_no_field_tag_in_front_of_a_message(staff, cli_env):
    for args, said in (
        (("show", "202611-0999"), "没有编号为 202611-0999 的求助"),
        (("staff", "deactivate", "nobody"), "名单中没有“nobody”"),
    ):
        done = liyuan(cli_env, *args, user="sup")
        assert done.returncode == 2 and said in done.stderr
        assert "编号:" not in done.stderr and "登录名:" not in done.stderr, done.stderr


def test_argparse_speaks_chinese_under_zh_and_english_under_en(cli_env):
    zh = liyuan(cli_env, "report")
    assert zh.returncode == 2 and "缺少必需的参数:--month" in zh.stderr
    choice = liyuan(cli_env, "report", "--month", "2026-11", "--format", "doc")
    assert "参数 --format:无效的选择 'doc'" in choice.stderr
    en = liyuan(cli_env, "report", lang="en")
    assert "the following arguments are required: --month" in en.stderr
    assert "用法:" in liyuan(cli_env, "report", "--help").stdout


def test_english_says_its_plurals():
    en = Translator("en")
    assert en("summary.major", count=1, previous=0) == "1 major case (previous month 0)."
    assert en("summary.major", count=2, previous=0) == "2 major cases (previous month 0)."
    assert en("followup.due_title", count=1) == "1 follow-up call owed"
    assert en("cli.queue_title", count=1) == "1 open request"


def test_notices_carry_the_note_and_leave_no_empty_brackets(staff, desk):
    blank = desk.intake.create_request()  # `n`: no unit yet
    escalated = desk.intake.create_request(category="repair", unit="5栋0803", phone="139", complete=True)
    desk.lifecycle.escalate(escalated.ref, note="楼下也在滴水")
    sup = staff["cs_supervisor"]
    changes = sup.lookup.changes_since(0)
    notices = notices_for(changes, sup.staff.me(), sup.procedures)
    t = Translator("zh")
    said = [t(n.key, **dict(n.params, by="ANN")) for n in notices]
    assert f"新求助 {blank.ref},由 ANN 登记" in said
    assert f"ANN 将 {escalated.ref} 上报给你:楼下也在滴水" in said
    assert not any("()" in s or "()" in s for s in said)


def test_json_keeps_its_contract(night, cli_env):
    data = json.loads(liyuan(cli_env, "show", night, "--json").stdout)
    assert data["escalated_to"] == "cs_supervisor" and data["charges"][0]["item"] == "drain"

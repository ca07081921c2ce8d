"""Snapshots of every screen and dialog of the desk in Chinese and English, at 80×24 (everything
usable, nothing cut mid-word) and 120×40 (the room used), on a fixed night (FakeClock)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from ui_helpers import press_keys


@pytest.fixture
def night(staff, clock):
    """Four open requests at 22:00: a major medical case with the 120 branch partly ticked, one
    replied repair, one overdue security call, one with two minutes left."""
    desk, lead = staff["assistant"], staff["security_lead"]
    start = clock.now()

    def at(minutes_before: int) -> None:
        clock.set(start - timedelta(minutes=minutes_before))

    at(25)
    repair = desk.intake.create_request(
        category="repair",
        unit="5栋0803",
        phone="13911110803",
        requester_name="吴太太",
        description="厨房水管漏水",
        complete=True,
    ).ref
    at(22)
    desk.lifecycle.mark_replied(repair)
    at(20)
    medical = desk.intake.create_request(
        category="medical",
        unit="3栋1202",
        phone="13922221202",
        requester_name="张阿姨的女儿",
        description="老人胸口痛",
        major=True,
        complete=True,
    ).ref
    at(19)
    desk.lifecycle.mark_replied(medical)
    desk.lifecycle.tick_step(medical, "patient_address", value="3栋1202")
    desk.lifecycle.tick_step(medical, "contact_phone", value="13922221202")
    desk.lifecycle.tick_step(medical, "ask_help_wanted")
    desk.lifecycle.choose_branch(medical, "ambulance")
    desk.lifecycle.tick_step(medical, "manager_informed", value="电话告知陈经理")
    at(17)
    desk.lifecycle.tick_step(medical, "ambulance_condition", note="胸口痛,意识清醒")
    desk.lifecycle.tick_step(medical, "ambulance_call_120", value="120 已受理")
    desk.lifecycle.tick_step(medical, "ambulance_tell_requester")
    desk.lifecycle.tick_step(medical, "ambulance_notify_security")
    at(15)
    lead.lifecycle.tick_step(medical, "ambulance_gate_ready", value="王伟 北门")
    at(14)
    desk.intake.create_request(
        category="security",
        unit="地下车库 B2",
        phone="13911110301",
        requester_name="黄伯",
        description="车库有陌生人",
        complete=True,
    )
    at(8)
    desk.intake.create_request(
        category="other",
        unit="1栋0301",
        phone="13911110301",
        requester_name="黄伯",
        description="门禁卡丢失",
        complete=True,
    )
    clock.set(start)
    return {"medical": medical, "repair": repair}


# Each screen state and the keys that reach it from the queue ("settle" waits for the database).
STATES = {
    "queue": [],
    "request": ["enter"],  # the major medical case is on top
    "intake": ["n", "settle", "b", "1", *"B5-0803", "tab", *"12ab", "tab"],  # a bad phone, on its field
    "help": ["question_mark"],
    "close_dialog": ["enter", "settle", "c", "2"],  # handed on: asks to whom
    "search": ["slash", *"黄", "settle", "down"],
    "step_dialog": [
        "down",
        "down",
        "down",
        "enter",
        "settle",
        "enter",
    ],  # the repair's fault: what was said, offered
    "branch_dialog": ["enter", "settle", "b"],  # add another help, or switch one
    "confirm_dialog": ["m"],  # clear the major mark?
}
# A laptop's or a phone's SSH client, and a desk terminal with room to spare.
SIZES = {"80x24": (80, 24), "120x40": (120, 40)}


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("state", list(STATES))
def test_screen(snap_compare, make_app, night, state, size, lang):
    async def run_before(pilot):
        await press_keys(pilot, STATES[state])

    assert snap_compare(make_app("ann", lang=lang), terminal_size=SIZES[size], run_before=run_before)


@pytest.mark.parametrize("size", list(SIZES))
def test_a_toast_over_a_dialog_keeps_its_chinese_whole(snap_compare, make_app, night, size):
    """Issue 20: a notice arriving while a dialog is open (another desk's new request, the ladder's
    escalation) is drawn over the dialog's Chinese text with neither cut mid-character."""

    async def run_before(pilot):
        await press_keys(pilot, STATES["close_dialog"])
        pilot.app.alert("202612-0008 已超过回复期限,已自动上报主管", "warning")
        pilot.app.alert("新求助 202612-0011(3栋1202室东侧单元),由 李强 登记")
        await pilot.pause()

    assert snap_compare(make_app("ann", lang="zh"), terminal_size=SIZES[size], run_before=run_before)


async def test_the_toast_says_every_character_over_the_dialog(make_app, night):
    """The same at 80×24, read from the screen: the escalation's last character sits across the
    close dialog's right edge (cut in two and blanked before the compositor fix, wide_chops.py)."""
    app = make_app("ann", lang="zh")
    async with app.run_test(size=SIZES["80x24"], notifications=True) as pilot:
        await press_keys(pilot, STATES["close_dialog"])
        app.alert("202612-0008 已超过回复期限,已自动上报主管", "warning")
        app.alert("新求助 202612-0011(3栋1202室东侧单元),由 李强 登记")
        await pilot.wait_for_scheduled_animations()
        screen = app.export_screenshot()
        assert "已超过回复期限" in screen  # the toast is drawn
        assert "已自动上报主管" in screen

"""Desk speed: the keys the five commonest calls take, from the queue to the desk's part done,
besides what is typed (the unit, the phone, what was said, an answer). What the form holds ticks
its steps, a step's answer is offered (space takes it), a digit chooses the help wanted, and
telling the requester what happens next is the reply. Printed, and held to the procedure's pace:
the medical 120 call in at most 13 keys (an answer that says something is confirmed with enter)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from ui_helpers import settle


@dataclass(frozen=True)
class Typed:
    text: str


FORM = ["1", Typed("3栋1202"), "tab", Typed("13922221202"), "tab", "tab", Typed("老人胸口痛,出冷汗")]
CALLS = {
    # A medical emergency, 120: called, the requester told (the reply), the security lead told.
    "medical 120": (
        # (the 120 call's "called, accepted" is a suggestion the operator confirms: enter)
        ["n", "a", *FORM, "ctrl+s", "2", "space", "space", "enter", "space", "space"],
        {
            "ambulance_condition",
            "ambulance_call_120",
            "ambulance_tell_requester",
            "ambulance_notify_security",
        },
    ),
    # A medical emergency, escorted to hospital: the lead told, a taxi arranged, the requester replied to.
    "medical hospital": (
        ["n", "a", *FORM, "ctrl+s", "1", "space", "down", "space", "enter", "r", "enter"],
        {"hospital_notify_security", "hospital_vehicle"},
    ),
    # A repair: the fault as the resident said it, the maintenance department told, replied.
    "repair dispatched": (
        ["n", "b", *FORM, "ctrl+s", "space", "space", "enter", "r", "enter"],
        {"fault", "dispatch"},
    ),
    # An oral consultation: the question, the answer given (the reply), the record checked, closed.
    "oral consultation": (
        [
            "n",
            "d",
            *FORM,
            "ctrl+s",
            "space",
            "enter",
            Typed("月卡在物业前台续费"),
            "enter",
            "enter",
            "y",
            "c",
            "1",
            Typed("已答复"),
            "enter",
        ],
        {"question", "oral_answered", "record"},
    ),
    # A noise complaint: heard out, thanked, passed to the department responsible, replied.
    "noise complaint": (
        ["n", "c", *FORM, "ctrl+s", "space", "space", "enter", Typed("环境部"), "enter", "r", "enter"],
        {"details", "acknowledge", "contacted_department"},
    ),
}
MOST = {"medical 120": 13}
counted: dict[str, int] = {}


@pytest.mark.parametrize("call", list(CALLS))
async def test_the_commonest_calls_take_few_keys(make_app, desk, call):
    script, steps = CALLS[call]
    app = make_app("ann", lang="zh")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        keys = 0
        for token in script:
            if isinstance(token, Typed):
                await pilot.press(*token.text)
            else:
                await pilot.press(token)
                keys += 1
            await settle(pilot)
        [req] = desk.lookup.search("3栋1202")
    detail = desk.lookup.detail(req.ref)
    assert steps <= set(detail.steps), sorted(set(detail.steps))
    assert detail.request.replied_at is not None  # the clock stopped: the requester has been replied to
    if call == "oral consultation":
        assert detail.request.status == "closed"
    counted[call] = keys
    print(f"\n{call:<20} {keys:>2} keys besides the typed unit, phone and text")
    assert keys <= MOST.get(call, 16)

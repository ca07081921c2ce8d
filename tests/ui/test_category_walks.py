"""Every category walked by keys from `n` to `c`, as the night desk would, with the FakeClock moving:
the form, `r` replied, each required step of the loaded procedure ticked (answering what it asks)
by the person whose step it is, at their own terminal where they have one, then the close."""

from __future__ import annotations

import pytest
from ui_helpers import advance
from walking import (
    ANSWER,
    add_charge,
    close,
    log_request,
    open_first,
    press_and_settle,
    shown_text,
    terminals,
    walk,
)

from liyuan_tui.domain.procedures import request_conditions

# (category, channel digit in the form, branch, the others at their own terminals)
WALKS = [
    ("medical", "1", "hospital", ("lead", "gd")),  # the lead sends two guards, the guards report back
    ("medical", "1", "ambulance", ("lead",)),  # the desk records the entrance guard's step for him
    ("medical", "3", "care", ("lead", "gd")),  # a carer, and a family member present
    ("complaint", "2", None, ()),
    ("consultation", "4", None, ()),  # written: registered, then answered
    ("consultation", "1", None, ()),  # oral: answered at once
    ("security", "3", None, ()),
    ("disaster", "3", None, ()),
    ("other", "2", None, ()),
]
IDS = [
    f"{c}-{b}" if b else f"{c}-{'written' if ch == '4' else 'oral'}" if c == "consultation" else c
    for c, ch, b, _ in WALKS
]


def assert_closed_with_every_required_step(
    detail, procedures, ticked: dict[str, str], logins: dict[str, str]
):
    """Closed; every required step of its checklist done, each by the role's own terminal where it
    had one (else by the desk), with what was typed where the step asked for something."""
    req = detail.request
    assert req.status == "closed" and req.outcome == ANSWER
    proc = procedures[req.category]
    conds = request_conditions(req.major, req.escalated_at is not None, req.channel, req.confidential)
    required = [s for s in proc.checklist(req.branch_list, conds) if s.required]
    assert required and not [s.key for s in required if s.key not in detail.steps]
    # What the form held (the patient's address, the phone) ticked its steps when the form was done.
    from_form = {s.key for s in required if s.from_form}
    assert set(ticked) == {s.key for s in required} - from_form
    for key in from_form:
        assert detail.steps[key].value == getattr(req, proc.step(key).from_form)
    for step in required:
        record = detail.steps[step.key]
        assert record.done_by == logins.get(step.role, "ann"), step.key
        if step.input in ("value", "note"):
            assert getattr(record, step.input), step.key
    assert (req.replied_at - req.received_at).total_seconds() == 120  # replied two minutes after the call
    assert detail.events[0].kind == "created" and detail.events[-1].kind == "closed"


@pytest.mark.parametrize("category, channel, branch, others", WALKS, ids=IDS)
async def test_a_request_walks_its_checklist_from_intake_to_close_by_keys(
    make_app, desk, clock, procedures, category, channel, branch, others
):
    async with terminals(make_app, "ann") as (ann,):
        ref = await log_request(ann, procedures[category].letter, channel=channel)
        advance(clock, minutes=2)
        await press_and_settle(ann, "r", "enter")  # replied (what was said left empty)
        async with terminals(make_app, *others) as elsewhere:
            for term in elsewhere:
                await open_first(term)
            ticked = await walk(ref, ann, elsewhere, branches=[branch] if branch else [])
        advance(clock, minutes=1)
        assert await close(ann) is None
    detail = desk.lookup.detail(ref)
    assert detail.request.branch_list == ([branch] if branch else [])
    if category == "consultation":
        assert ("written_answered" in detail.steps) == (channel == "4")
        assert ("oral_answered" in detail.steps) == (channel != "4")
    assert_closed_with_every_required_step(detail, procedures, ticked, {t.role: t.login for t in elsewhere})


async def test_a_repair_with_paid_services_walks_to_close_and_shows_the_total(
    make_app, desk, clock, procedures
):
    async with terminals(make_app, "ann") as (ann,):
        ref = await log_request(ann, procedures["repair"].letter)
        advance(clock, minutes=2)
        await press_and_settle(ann, "r", "enter")
        ticked = await walk(ref, ann, skip={"record"})  # the record is checked last, after the bill
        assert await add_charge(ann, "drain", "2") is None
        assert await add_charge(ann, "cleaning", "1.5") is None  # 30.50 × 1.5 = 45.75
        panel = ann.screen.query_one("#charges")
        assert panel.display
        text = shown_text(panel)
        assert "疏通下水道" in text and "室内保洁" in text and "145.75" in text.splitlines()[-1]
        ticked.update(await walk(ref, ann))
        assert await close(ann) is None
    detail = desk.lookup.detail(ref)
    assert [(c.item_code, c.qty, c.amount_cents) for c in detail.charges] == [
        ("drain", 2, 10000),
        ("cleaning", 1.5, 4575),
    ]
    assert [e.kind for e in detail.events].count("charge") == 2
    assert_closed_with_every_required_step(detail, procedures, ticked, {})

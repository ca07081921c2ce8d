"""The procedure's hard rules hold at the keyboard too, and the desk is told why: the care steps
wait until a family member is confirmed present (never alone with the patient), and a major
request does not close until the manager has been informed. The request is brought up to the
rule through the store (the walks do the rest by keys); the rule itself is met by keys."""

from __future__ import annotations

from liyuan_tui.domain.procedures import MANAGER_INFORMED
from screens_import import PickScreen, RequestScreen
from walking import ANSWER, close, open_first, pending_required, press_and_settle, terminals, tick, walk


def done_by_store(staff, ref: str, skip: set[str]) -> None:
    """Every required step that can be ticked now, but `skip`, each by its role's own store."""
    desk = staff["assistant"]
    proc = desk.procedure(desk.lookup.get_request(ref).category)
    while todo := [s for s in pending_required(proc, desk.lookup.detail(ref)) if s.key not in skip]:
        step = todo[0]
        answer = {step.input: ANSWER} if step.input in ("value", "note") else {}
        staff[step.role].lifecycle.tick_step(ref, step.key, **answer)


async def test_the_care_steps_wait_until_a_family_member_is_confirmed_present(make_app, staff, desk, procedures):
    proc = procedures["medical"]
    gate = next(s for s in proc.steps if s.branch == "care" and s.gate)
    assert gate.input == "confirm" and gate.role == "guard"
    behind = [s for s in proc.steps if s.branch == "care" and gate.key in s.after]
    by_guard = next(s for s in behind if s.role == "guard")
    by_desk = next(s for s in behind if s.role == "assistant" and s.input == "note")
    ref = desk.intake.create_request(category="medical", unit="301", phone="8123", complete=True).ref
    desk.lifecycle.mark_replied(ref)
    desk.lifecycle.choose_branch(ref, "care")
    done_by_store(staff, ref, skip={gate.key})  # the lead has assigned the carer
    assert set(gate.after) <= set(desk.lookup.detail(ref).steps)

    async with terminals(make_app, "ann", "gd") as (ann, gd):
        for term in (ann, gd):
            await open_first(term)
        # The carer cannot start, and the desk cannot record the care: each is told why.
        refusal = await tick(gd, by_guard.key)
        assert refusal is not None and gate.key not in refusal and gate.text("zh") in refusal
        refusal = await tick(ann, by_desk.key, "护理顺利")
        assert refusal is not None and gate.text("zh") in refusal
        assert isinstance(ann.screen, RequestScreen)

        # "No" to the question records nothing, says care cannot go on and offers another help
        # (the switch is its own test); "yes" opens the way.
        assert await tick(gd, gate.key, yes=False) is None
        assert gate.key not in desk.lookup.detail(ref).steps
        assert isinstance(gd.screen, PickScreen)
        await press_and_settle(gd, "escape")
        assert await tick(gd, gate.key) is None
        assert await tick(gd, by_guard.key) is None

    steps = desk.lookup.detail(ref).steps
    assert steps[gate.key].done_by == "gd" and steps[by_guard.key].done_by == "gd"
    assert by_desk.key not in steps


async def test_a_major_request_does_not_close_until_the_manager_is_informed(make_app, staff, desk, procedures):
    informed = procedures["repair"].step(MANAGER_INFORMED)
    ref = desk.intake.create_request(category="repair", unit="301", phone="8123", complete=True).ref
    desk.lifecycle.mark_replied(ref)
    done_by_store(staff, ref, skip=set())  # everything an ordinary repair needs
    async with terminals(make_app, "ann", lang="en") as (ann,):
        await open_first(ann)
        await press_and_settle(ann, "m")
        await press_and_settle(ann, "y")  # major: the manager is told at once
        assert desk.lookup.get_request(ref).major

        refusal = await close(ann)
        assert refusal is not None and MANAGER_INFORMED not in refusal and informed.text("en") in refusal
        assert desk.lookup.get_request(ref).status == "replied"

        assert await walk(ref, ann) == {MANAGER_INFORMED: "ann"}
        assert await close(ann) is None
    assert desk.lookup.get_request(ref).status == "closed"

"""The procedure's hard rules hold at the keyboard too, and the desk is told why: the care steps
wait until a family member is confirmed present (never alone with the patient), and a major
request does not close until the manager has been informed. The request is brought up to the
rule through the store (the walks do the rest by keys); the rule itself is met by keys."""

from __future__ import annotations

from screens_import import PickScreen, RequestScreen
from walking import ANSWER, close, open_first, pending_required, press_and_settle, terminals, tick, walk

from liyuan_tui.domain.procedures import MANAGER_INFORMED


def done_by_store(staff, ref: str, skip: set[str]) -> None:
    """Every required step that can be ticked now, but `skip`, each by its role's own store."""
    desk = staff["assistant"]
    proc = desk.procedure(desk.lookup.get_request(ref).category)
    while todo := [s for s in pending_required(proc, desk.lookup.detail(ref)) if s.key not in skip]:
        step = todo[0]
        answer = {step.input: ANSWER} if step.input in ("value", "note") else {}
        staff[step.role].lifecycle.tick_step(ref, step.key, **answer)


async def test_the_care_steps_wait_until_a_family_member_is_confirmed_present(
    make_app, staff, desk, procedures
):
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

        # "No" to the question records nothing (the switch of help is the desk's, its own test);
        # "yes" opens the way.
        assert await tick(gd, gate.key, yes=False) is None
        assert gate.key not in desk.lookup.detail(ref).steps
        assert isinstance(gd.screen, RequestScreen)
        assert await tick(gd, gate.key) is None
        assert await tick(gd, by_guard.key) is None

    steps = desk.lookup.detail(ref).steps
    assert steps[gate.key].done_by == "gd" and steps[by_guard.key].done_by == "gd"
    assert by_desk.key not in steps


async def test_a_major_request_does_not_close_until_the_manager_is_informed(
    make_app, staff, desk, procedures
):
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


async def test_no_family_member_to_stay_switches_care_to_another_help_on_record(
    make_app, staff, desk, procedures
):
    """The care branch cannot close when no family member can stay: answering no, the desk says so
    and offers another help; the switch is recorded with why."""
    gate = next(s for s in procedures["medical"].steps if s.branch == "care" and s.gate)
    ref = desk.intake.create_request(category="medical", unit="301", phone="8123", complete=True).ref
    desk.lifecycle.mark_replied(ref)
    desk.lifecycle.choose_branch(ref, "care")
    done_by_store(staff, ref, skip={gate.key})
    async with terminals(make_app, "ann", lang="en") as (ann,):
        await open_first(ann)
        await tick(ann, gate.key, yes=False)  # the guard at the door says no one can stay
        assert any("cannot go on" in n.message for n in ann.app._notifications)
        pick = ann.screen
        assert isinstance(pick, PickScreen)
        options = {o.id: str(o.prompt) for o in pick.query_one("#pick").options}
        assert options["care>hospital"] == "Escort to hospital instead of Short-term care"
        while pick.query_one("#pick").highlighted_option.id != "care>hospital":
            await ann.pilot.press("down")
        await press_and_settle(ann, "enter")
        assert "answered no" in ann.screen.query_one("#answer").value  # the reason offered
        await press_and_settle(ann, "enter")
        assert isinstance(ann.screen, RequestScreen)
    detail = desk.lookup.detail(ref)
    assert detail.request.branch_list == ["hospital"]
    assert detail.events[-1].kind == "branch_switched" and "answered no" in detail.events[-1].payload


async def test_the_company_procedure_that_governs_a_category_is_shown(make_app, desk, cli_env):
    from cli_runner import run_liyuan
    from walking import shown_text

    ref = desk.intake.create_request(category="repair", unit="301", phone="8123", complete=True).ref
    async with terminals(make_app, "ann", lang="zh") as (ann,):
        await open_first(ann)
        assert "依据:《报修管理工作规程》" in shown_text(ann.screen.query_one("#checklist-title"))
        await press_and_settle(ann, "i")  # the form says it beside the category, too
        assert "《报修管理工作规程》" in shown_text(ann.screen.query_one("#category-name"))
    shown = run_liyuan(dict(cli_env, LIYUAN_USER="ann"), "show", ref)
    assert "governed by the company's repair procedure" in shown.stdout

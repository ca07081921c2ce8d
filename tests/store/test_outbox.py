"""What pages whom, written to the outbox in the same transaction as the event that causes it: a
major case (logged major, marked major, ticked major in the form) → the duty manager; the automatic
escalation at the deadline → the duty supervisor; a follow-up that found the problem not solved →
the duty supervisor. No event, no page; no page, no event. `ack` acknowledges the pages (who and
when) and keeps its old meaning for escalations and major cases."""

from __future__ import annotations

import json

import pytest
from backoffice_helpers import close_repair, log_repair
from sqlalchemy import text
from sqlmodel import select

from liyuan_tui.domain.errors import PermissionDenied, ValidationError
from liyuan_tui.domain.models import Event
from liyuan_tui.domain.paging import Page
from liyuan_tui.store import outbox


def pages(store) -> list[Page]:
    with store.kernel.read() as s:
        return list(s.exec(select(Page).order_by(Page.id)))


def events(store, kind: str) -> list[Event]:
    with store.kernel.read() as s:
        return list(s.exec(select(Event).where(Event.kind == kind).order_by(Event.id)))


def log(desk, **fields) -> str:
    return desk.intake.create_request(
        category="A", unit="3-1201", phone="13900000000", complete=True, **fields
    ).ref


@pytest.fixture
def rostered(supervisor, staff):
    """Tonight's roster: zhou the duty supervisor, mgr the duty manager with sup as backup."""
    supervisor.staff.add_staff("zhou", "周敏", "cs_supervisor")
    supervisor.roster.add("zhou", "duty_supervisor", "2026-11-27T18:00", "2026-11-28T08:00")
    supervisor.roster.add("mgr", "duty_manager", "2026-11-27T18:00", "2026-11-28T08:00")
    supervisor.roster.add("sup", "duty_manager", "2026-11-27T18:00", "2026-11-28T08:00", backup=True)
    return supervisor


def test_a_major_case_pages_the_duty_manager_in_the_transaction_of_its_event(rostered, desk):
    ref = log(desk)
    desk.lifecycle.set_major(ref)
    [page] = pages(desk)
    [major] = events(desk, "major")
    assert (page.login, page.reason, page.ref, page.status, page.duty) == (
        "mgr",
        "major",
        ref,
        "queued",
        "duty_manager",
    )
    assert page.chain == f"major:{major.id}" and page.queued_at == major.at


@pytest.mark.parametrize("how", ["logged", "form"])
def test_a_case_logged_major_or_ticked_major_in_the_form_pages_too(rostered, desk, how):
    if how == "logged":
        log(desk, major=True)
    else:
        desk.intake.update_fields(log(desk), major=True)
    assert [(p.login, p.reason) for p in pages(desk)] == [("mgr", "major")]


def test_no_event_no_page_and_no_page_no_event(rostered, desk, monkeypatch):
    ref = log(desk)

    def broken(tx, *args, **kwargs):
        outbox_queue(tx, *args, **kwargs)
        raise RuntimeError("the disk filled up between the page and the commit")

    outbox_queue = outbox.queue
    monkeypatch.setattr(outbox, "queue", broken)
    with pytest.raises(RuntimeError):
        desk.lifecycle.set_major(ref)
    assert pages(desk) == [] and events(desk, "major") == []
    assert desk.lookup.get_request(ref).major is False


def test_the_automatic_escalation_pages_the_duty_supervisor_once(rostered, desk, staff, clock):
    ref = log(desk)
    clock.advance(minutes=10, seconds=1)
    desk.ladder.record_deadline_alerts()
    staff["manager"].ladder.record_deadline_alerts()  # another terminal notices too: still one page
    assert [(p.login, p.reason, p.ref) for p in pages(desk)] == [("zhou", "escalated", ref)]


def test_a_follow_up_that_finds_it_not_solved_pages_the_duty_supervisor(rostered, desk):
    ref = close_repair(desk, log_repair(desk).ref).ref
    assert pages(desk) == []
    desk.followups.record(ref, reached="yes", score=2, solved="no", note="still leaking")
    assert [(p.login, p.reason) for p in pages(desk)] == [("zhou", "not_solved")]


def test_with_nobody_to_page_at_all_the_timeline_says_so(supervisor, staff, desk, clock):
    with supervisor.engine.begin() as conn:  # nobody may be paged: every supervisor and manager gone
        conn.execute(text("UPDATE staff SET active = false WHERE role IN ('cs_supervisor', 'manager')"))
    ref = log(desk)
    desk.lifecycle.set_major(ref)
    assert pages(desk) == []
    [nobody] = events(desk, "page_nobody")
    assert json.loads(nobody.payload)["duty"] == "duty_manager"
    assert desk.lookup.detail(ref).events[-1].kind == "page_nobody"


def test_ack_acknowledges_the_pages_with_who_and_when_and_keeps_its_old_meaning(rostered, desk, staff, clock):
    ref = log(desk)
    desk.lifecycle.set_major(ref)
    clock.advance(minutes=2)
    with pytest.raises(PermissionDenied):
        desk.lifecycle.acknowledge(ref)  # the assistant: not theirs to acknowledge
    req = staff["manager"].lifecycle.acknowledge(ref)
    assert req.major_ack_by == "mgr"  # the manager's word on a major case, as before
    [page] = pages(desk)
    assert (page.status, page.acknowledged_by, page.acknowledged_at) == ("acknowledged", "mgr", clock.now())
    assert page.next_attempt_at is None
    ack = events(desk, "acknowledged")[-1]
    assert json.loads(ack.payload)["pages"] == 1
    with pytest.raises(ValidationError):
        staff["manager"].lifecycle.acknowledge(ref)  # nothing left to acknowledge


def test_a_supervisor_acknowledges_the_pages_of_a_case_they_could_not_acknowledge_before(rostered, desk):
    ref = log(desk, major=True)
    req = rostered.lifecycle.acknowledge(ref)  # a supervisor: no escalation, not the manager
    assert req.major_ack_at is None and req.acknowledged_at is None
    assert {p.status for p in pages(desk)} == {"acknowledged"}


def test_an_escalation_is_still_acknowledged_by_a_supervisor(rostered, desk, clock):
    ref = log(desk)
    desk.lifecycle.escalate(ref)
    req = rostered.lifecycle.acknowledge(ref)
    assert req.acknowledged_by == "sup"
    assert pages(desk) == []  # a manual escalation is seen at the desks; the deadline's pages


def test_a_request_major_then_not_then_major_again_pages_again(rostered, desk, clock):
    ref = log(desk)
    desk.lifecycle.set_major(ref)
    rostered.lifecycle.set_major(ref, False)
    clock.advance(minutes=1)
    desk.lifecycle.set_major(ref)
    assert [p.reason for p in pages(desk)] == ["major", "major"]
    assert len({p.chain for p in pages(desk)}) == 2
    assert desk.lookup.get_request(ref).major

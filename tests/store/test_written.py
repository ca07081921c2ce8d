"""Each change travels once: a write made in a recording brings back what it changed (its events
and rows, as committed), the desk's change watcher never reads such a write back, and the intake
form's done is one transaction with one event."""

from __future__ import annotations

import json

from sqlalchemy import event as sa_event

from liyuan_tui.domain.models import Request, StepRecord
from liyuan_tui.store.watch import ChangeWatch


def test_a_recorded_write_brings_back_its_event_and_rows(desk):
    ref = desk.intake.create_request(category="medical", unit="3-1202", phone="139", complete=True).ref
    with desk.recording() as written:
        req = desk.lifecycle.tick_step(ref, "patient_address", value="3-1202")
    assert [e.kind for e in written.events] == ["step"] and written.events[0].id
    [record] = [r for r in written.rows if isinstance(r, StepRecord)]
    assert (record.step_key, record.value, record.request_id) == ("patient_address", "3-1202", req.id)
    [row] = [r for r in written.rows if isinstance(r, Request)]
    assert row.version == req.version


def test_a_detail_with_the_desks_own_writes_is_the_detail_read_afresh(desk):
    ref = desk.intake.create_request(category="repair", unit="5-302", phone="139", complete=True).ref
    before = desk.lookup.detail(ref)
    with desk.recording() as written:
        desk.lifecycle.mark_replied(ref)
        desk.charges.add_charge(ref, desk.charges.fees.items[0].code, 2)
        desk.orders.create(ref, "tech", note="bring a wrench")
    after = before.with_written(written.events, written.rows)
    fresh = desk.lookup.detail(ref)
    assert after.request.version == fresh.request.version and after.request.replied_at is not None
    assert [e.id for e in after.events] == [e.id for e in fresh.events]
    assert [c.id for c in after.charges] == [c.id for c in fresh.charges]
    assert [o.number for o in after.orders] == [o.number for o in fresh.orders]
    assert after.steps.keys() == fresh.steps.keys()


def test_the_watcher_reads_other_terminals_changes_but_never_the_desks_own(desk, supervisor):
    ref = desk.intake.create_request(category="repair", unit="5-302", phone="139", complete=True).ref
    watch = ChangeWatch(desk.kernel)
    seen = desk.lookup.last_event_id()
    reads: list[str] = []
    sa_event.listen(desk.engine, "before_cursor_execute", lambda *a: reads.append(a[2]))
    with desk.recording():
        desk.lifecycle.mark_replied(ref)
    newest = desk.lookup.last_event_id()
    reads.clear()
    assert watch.others_since(seen, newest, 500) == []
    assert reads == []  # its own write: not even looked at
    seen = newest
    supervisor.lifecycle.escalate(ref, note="x")  # another terminal's
    with desk.recording():
        desk.lifecycle.take(ref)
    newest = desk.lookup.last_event_id()
    changes = watch.others_since(seen, newest, 500)
    assert [e.kind for e, _ in changes] == ["escalated"]
    assert changes[0][1].ref == ref  # with its request as it is now
    desk.lifecycle.set_major(ref)  # not in a recording (as the deadline ladder writes): read back
    assert [e.kind for e, _ in watch.others_since(newest, desk.lookup.last_event_id(), 500)] == ["major"]


def test_the_forms_done_saves_its_fields_and_steps_in_one_event(desk):
    ref = desk.intake.create_request().ref  # `n`: the draft
    desk.intake.update_fields(ref, category="medical")
    events = len(desk.lookup.detail(ref).events)
    with desk.recording() as written:
        desk.intake.finish(ref, unit="3-1202", phone="13922221202")
    detail = desk.lookup.detail(ref)
    assert len(detail.events) == events + 1 and [e.kind for e in written.events] == ["updated"]
    payload = json.loads(detail.events[-1].payload)
    assert payload["unit"] == ["", "3-1202"] and payload["phone"] == ["", "13922221202"]
    assert [s["step"] for s in payload["steps"]] == ["patient_address", "contact_phone"]
    assert detail.steps["patient_address"].value == "3-1202"
    assert detail.steps["contact_phone"].value == "13922221202"


def test_the_forms_done_with_nothing_to_save_writes_nothing(desk):
    ref = desk.intake.create_request(category="repair", unit="5-302", phone="139", complete=True).ref
    events = len(desk.lookup.detail(ref).events)
    with desk.recording() as written:
        desk.intake.finish(ref)
    assert written.events == [] and len(desk.lookup.detail(ref).events) == events

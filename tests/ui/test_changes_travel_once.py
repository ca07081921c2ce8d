"""Each change travels once: the page that wrote shows what it wrote without reading the request
again, the poller does not bring the desk's own write back, another terminal's change is read
once, and the intake form's done is one transaction with one event."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from screens_import import RequestScreen
from ui_helpers import settle

from liyuan_tui.store.lookup import Lookup


@pytest.fixture
def reads(monkeypatch) -> Counter:
    """How often the desk reads a request in full (`detail`) or what changed (`changes_since`)."""
    counted: Counter = Counter()
    for name in ("detail", "changes_since"):
        real = getattr(Lookup, name)

        def counting(self, *args, _real=real, _name=name, **kwargs):
            counted[_name] += 1
            return _real(self, *args, **kwargs)

        monkeypatch.setattr(Lookup, name, counting)
    return counted


async def test_a_step_ticked_on_the_request_page_is_shown_without_a_read(make_app, desk, reads):
    ref = desk.intake.create_request(category="medical", unit="3-1202", phone="139", complete=True).ref
    app = make_app("ann", lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_request(ref)
        await settle(pilot)
        page = app.screen
        assert isinstance(page, RequestScreen) and reads["detail"] == 1
        reads.clear()
        await pilot.press("space")  # the patient's address, with the unit the form holds
        await settle(pilot)
        assert page.detail is not None and "patient_address" in page.detail.steps
        assert page.detail.events[-1].kind == "step"  # the timeline has it too
        assert reads == {}, reads  # neither read again nor brought back by the poller
        assert app.requests[ref].version == page.detail.request.version


async def test_another_terminals_change_to_the_request_is_read_once(make_app, desk, supervisor, reads):
    ref = desk.intake.create_request(category="medical", unit="3-1202", phone="139", complete=True).ref
    app = make_app("ann", lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_request(ref)
        await settle(pilot)
        reads.clear()
        supervisor.lifecycle.tick_step(ref, "patient_address", value="3-1202")
        await settle(pilot)
        assert reads == {"changes_since": 1, "detail": 1}, reads
        assert "patient_address" in app.screen.detail.steps


async def test_the_desks_own_write_reaches_the_queue_and_not_the_poller(make_app, desk, reads):
    ref = desk.intake.create_request(category="repair", unit="5-302", phone="139", complete=True).ref
    app = make_app("ann", lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        reads.clear()
        await pilot.press("r", "enter")  # replied, on the queue (what was said left empty)
        await settle(pilot)
        assert app.requests[ref].replied_at is not None
        assert app.queue.table.get_cell(ref, "state").plain.strip() == "replied"
        assert reads == {}, reads


async def test_the_forms_done_saves_the_rest_and_its_steps_in_one_event(make_app, desk):
    app = make_app("ann", lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        ref = app.screen.ref
        await pilot.press("a", "1", *"3-1202", "tab", *"13900000000")  # the phone not yet left
        await settle(pilot)
        before = len(desk.lookup.detail(ref).events)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, RequestScreen)
        detail = desk.lookup.detail(ref)
        [done] = detail.events[before:]
        payload = json.loads(done.payload)
        assert done.kind == "updated" and payload["phone"] == ["", "13900000000"]
        assert [s["step"] for s in payload["steps"]] == ["patient_address", "contact_phone"]
        assert {"patient_address", "contact_phone"} <= app.screen.detail.steps.keys()

"""A request logged and every event are written with SQLAlchemy Core (store/rows.py) in the
kernel's one transaction, the ORM's session opened on the same connection only by an action that
asks for it: the rows are, column for column, what the ORM reads back; what the ORM would fill in
by default is filled in the same; the desk's recording hands them on as the ORM's objects; and a
refused action leaves neither its Core nor its ORM writes behind."""

from __future__ import annotations

import pytest

from liyuan_tui.domain.errors import ValidationError
from liyuan_tui.domain.events import EventKind
from liyuan_tui.domain.models import Event, Request, Staff
from liyuan_tui.domain.permissions import Action
from liyuan_tui.store.intake import NOT_YET
from liyuan_tui.store.rows import EventRow, RequestRow, new_staff


def columns(row) -> dict:
    return {c.name: getattr(row, c.name) for c in row.__table__.columns}


def test_a_logged_request_and_its_event_are_the_rows_the_orm_reads_back(desk):
    row = desk.intake.log_request(category="medical", unit="3-1201", phone="138", major=True, complete=True)
    assert isinstance(row, RequestRow)
    assert columns(desk.lookup.get_request(row.ref)) == row.__dict__
    detail = desk.lookup.detail(row.ref)
    assert [e.kind for e in detail.events][:1] == ["created"]
    with desk.kernel.write() as tx:
        written = tx.record(None, EventKind.DUTY_NOTE, {"text": "x"})
    assert isinstance(written, EventRow)
    with desk.kernel.read() as s:
        assert columns(s.get(Event, written.id)) == written.__dict__


def test_what_a_logged_request_has_not_yet_is_what_the_orm_gives_a_new_one():
    fields = Request.model_fields
    assert {name: fields[name].default for name in NOT_YET} == NOT_YET
    made = new_staff("ann", "Ann", "assistant")  # (the first user, written with Core: kernel.py)
    assert made == {c: getattr(Staff(login="ann", name="Ann", role="assistant"), c) for c in made}


def test_a_recorded_log_hands_on_the_orms_request_and_event(desk):
    with desk.recording() as written:
        req = desk.intake.create_request(category="repair", unit="5-302", phone="139", complete=True)
    assert isinstance(req, Request) and req.id is not None and req.version == 1
    [row] = [r for r in written.rows if isinstance(r, Request)]
    assert columns(row) == columns(req)
    [event] = written.events
    assert isinstance(event, Event) and (event.kind, event.request_id) == ("created", req.id)


def test_a_refused_action_leaves_neither_its_core_nor_its_orm_writes(desk):
    ref = desk.intake.create_request(category="repair", unit="5-302", phone="139", complete=True).ref
    before = desk.lookup.last_event_id()
    with pytest.raises(ValidationError), desk.kernel.write(Action.UPDATE) as tx:
        req = tx.open_request(ref)  # (through the ORM's session)
        tx.apply(req, {"unit": "6-101"})
        tx.record(req, EventKind.UPDATED, {"unit": ["5-302", "6-101"]})  # (with Core)
        raise ValidationError("error.status_closed", "ref", ref=ref)
    assert desk.lookup.get_request(ref).unit == "5-302"
    assert desk.lookup.last_event_id() == before


def test_an_orm_write_is_in_the_database_before_the_event_that_follows_it(desk):
    ref = desk.intake.create_request(category="medical", unit="3-1202", phone="139", complete=True).ref
    with desk.kernel.write(Action.UPDATE) as tx:
        req = tx.open_request(ref)
        req.phone = "137"
        tx.add(req)  # (pending in the session: written before the event's Core insert)
        seen = tx.conn.exec_driver_sql(f"SELECT phone FROM request WHERE id = {req.id}").scalar()
        tx.record(req, EventKind.UPDATED, {"phone": ["139", "137"]})
        after = tx.conn.exec_driver_sql(f"SELECT phone FROM request WHERE id = {req.id}").scalar()
    assert (seen, after) == ("139", "137")

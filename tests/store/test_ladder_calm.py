"""The ladder's calm: a poll that finds nothing due works out when the next rung can come, and
until then (and while nobody writes) asks only for the newest event id. It must never cost a
rung: here a terminal that keeps its calm is checked, step after step of a busy night, against
a terminal opened afresh (which remembers nothing and scans everything)."""

from __future__ import annotations

import random

import pytest
from sqlalchemy import Engine, event

from liyuan_tui.store.ladder import Ladder


@pytest.fixture
def statements():
    """The SQL every engine sends while the test runs."""
    sent: list[str] = []

    def capture(conn, cursor, statement, parameters, context, executemany):
        sent.append(statement)

    event.listen(Engine, "before_cursor_execute", capture)
    yield sent
    event.remove(Engine, "before_cursor_execute", capture)


def scanned(sent: list[str]) -> bool:
    return any("FROM request" in sql or "FROM workorder" in sql for sql in sent)


def test_a_calm_poll_only_asks_for_the_newest_event(staff, clock, statements):
    desk, sup = staff["assistant"], staff["cs_supervisor"]
    desk.intake.create_request(category="B", unit="1", phone="123")
    assert desk.ladder.record_deadline_alerts() == []  # a scan: nothing due for 7 minutes
    statements.clear()
    clock.advance(minutes=6)
    assert desk.ladder.record_deadline_alerts() == []
    assert [sql for sql in statements if "SELECT" in sql] == ["SELECT coalesce(max(id), 0) FROM event"]
    clock.advance(minutes=1, seconds=1)  # the warning is due: the calm ends by the clock alone
    assert [e.kind for e in desk.ladder.record_deadline_alerts()] == ["deadline_warning"]
    assert desk.ladder.record_deadline_alerts() == []
    clock.advance(minutes=3)  # and so on up the ladder, with nobody writing in between
    assert [e.kind for e in desk.ladder.record_deadline_alerts()] == ["auto_escalated"]
    assert desk.ladder.record_deadline_alerts() == []
    clock.advance(minutes=4, seconds=58)
    assert desk.ladder.record_deadline_alerts() == []
    clock.advance(seconds=1)
    assert [e.kind for e in desk.ladder.record_deadline_alerts()] == ["overdue_alert"]
    statements.clear()
    sup.intake.create_request(category="B", unit="2", phone="123")  # another terminal writes
    assert desk.ladder.record_deadline_alerts() == []
    assert scanned(statements)  # the calm ends with any write


def test_an_order_s_limits_end_the_calm(staff, clock, statements):
    desk, sup, tech = staff["assistant"], staff["cs_supervisor"], staff["technician"]
    ref = sup.intake.create_request(category="repair", unit="5-803", phone="123", complete=True).ref
    sup.lifecycle.mark_replied(ref)
    number = sup.orders.create(ref, "tech").number  # to arrive within 30 minutes, finish within 24 hours
    assert desk.ladder.record_deadline_alerts() == []
    clock.advance(minutes=20, seconds=1)
    assert [e.kind for e in desk.ladder.record_deadline_alerts()] == ["order_warning"]
    assert desk.ladder.record_deadline_alerts() == []
    clock.advance(minutes=9, seconds=58)
    statements.clear()
    assert desk.ladder.record_deadline_alerts() == []
    assert not scanned(statements)
    clock.advance(seconds=2)
    assert [e.kind for e in desk.ladder.record_deadline_alerts()] == ["order_late"]
    tech.orders.arrive(number)
    assert desk.ladder.record_deadline_alerts() == []
    clock.advance(hours=22, minutes=29, seconds=58)  # a second before the hour's warning
    assert desk.ladder.record_deadline_alerts() == []
    clock.advance(seconds=2)
    assert [e.kind for e in desk.ladder.record_deadline_alerts()] == ["order_warning"]
    clock.advance(hours=1)
    assert [e.kind for e in desk.ladder.record_deadline_alerts()] == ["order_late"]


def test_a_calm_terminal_misses_no_rung_a_fresh_one_would_write(staff, clock, statements):
    desk, sup, tech, mgr = staff["assistant"], staff["cs_supervisor"], staff["technician"], staff["manager"]
    rng = random.Random(23)
    calm_polls = 0

    def fresh_terminal_writes() -> list[str]:
        fresh = Ladder(mgr.kernel)  # a terminal's ladder just opened: it remembers nothing, scans everything
        return [e.dedupe_key or "" for e in fresh.record_deadline_alerts()]

    for step in range(200):
        choice = rng.random()
        open_refs = [r.ref for r in sup.lookup.open_requests() if r.replied_at is None]
        if choice < 0.06:
            sup.intake.create_request(category=rng.choice(("B", "repair")), unit=str(step), phone="123")
        elif choice < 0.16 and open_refs:
            ref = rng.choice(open_refs)
            sup.lifecycle.mark_replied(ref)
            if rng.random() < 0.8:
                sup.orders.create(ref, "tech")
        elif choice < 0.2:
            orders = [
                v.order for v in tech.orders.list_orders() if v.order.state in ("dispatched", "on_site")
            ]
            if orders:
                order = rng.choice(orders)
                if order.state == "dispatched":
                    tech.orders.arrive(order.number)
                else:
                    tech.orders.finish(order.number, "2", not_home=True)
        else:
            clock.advance(rng.choice((1, 7, 40, 61, 170, 299, 300, 420, 900)))
        statements.clear()
        desk.ladder.record_deadline_alerts()
        calm_polls += not scanned(statements)
        assert fresh_terminal_writes() == [], f"step {step}: a rung the calm terminal missed"
    assert calm_polls >= 40  # (the walk did test the calm)

"""The scorecard's work-order figures and the household history's work orders, read from issue
13's `workorder` table when the database has it (here made by hand with that issue's columns):
orders finished per technician and the share on time, and a repeat repair counted against the
technician of the earlier request's order."""

from __future__ import annotations

import sqlite3
from datetime import timedelta

from backoffice_helpers import close_repair, log_repair

from liyuan_tui.reports.scorecard import scorecard
from liyuan_tui.reports.scorecard_render import scorecard_dict

WORKORDER = """CREATE TABLE workorder (id INTEGER PRIMARY KEY, number VARCHAR NOT NULL, request_id INTEGER NOT NULL,
    technician VARCHAR, state VARCHAR NOT NULL, created_at DATETIME NOT NULL, finished_at DATETIME,
    finish_due_at DATETIME)"""


def naive(when) -> str:
    """A UTC time as the desk stores it (naive UTC text)."""
    return when.replace(tzinfo=None).isoformat(sep=" ")


def test_orders_finished_on_time_and_repeats_on_the_technicians_order(staff, desk, db_path, clock):
    first = close_repair(desk, log_repair(desk).ref)
    other = close_repair(desk, log_repair(desk, unit="1栋0101", kind="electric").ref)
    now = clock.now()
    with sqlite3.connect(db_path) as conn:
        conn.execute(WORKORDER)
        for number, req, tech, finished, due in (
            ("W202611-0001", first, "eng", now - timedelta(hours=2), now - timedelta(hours=1)),  # on time
            ("W202611-0002", other, "eng", now - timedelta(hours=1), now - timedelta(hours=3)),  # late
        ):
            conn.execute("INSERT INTO workorder (number, request_id, technician, state, created_at, finished_at,"
                         " finish_due_at) VALUES (?, ?, ?, 'done', ?, ?, ?)",
                         (number, req.id, tech, naive(finished - timedelta(hours=3)), naive(finished), naive(due)))
    clock.advance(86400 * 3)
    repeat = log_repair(desk)
    assert repeat.repeat_of == first.ref
    card = scorecard_dict(scorecard(staff["cs_supervisor"], "2026-11"))
    eng = next(p for p in card["staff"] if p["login"] == "eng")
    assert eng["orders_finished"] == 2 and eng["orders_on_time_share"] == 0.5
    assert eng["repeat_repairs"] == 1  # the earlier repair's order was eng's
    assert next(p for p in card["staff"] if p["login"] == "ann")["repeat_repairs"] == 0
    assert card["team"]["orders_finished"] == 2 and card["team"]["orders_on_time_share"] == 0.5
    history = desk.households.household("5栋0803").history
    assert [(x.kind, x.number) for x in history if x.kind == "work_order"] == [("work_order", "W202611-0001")]

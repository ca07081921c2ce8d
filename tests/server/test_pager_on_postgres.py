"""The pager on a PostgreSQL site set up by `site init`: the server itself keeps the roster to the
supervisors, the sender's lease to the sender, lets every desk role queue a page (an assistant's
major case pages the manager in her own transaction) but change only what is theirs, and gives
the sender's login exactly what it needs. The sender wakes on NOTIFY, not on its next look."""

from __future__ import annotations

import io
import threading
import time
import uuid
from datetime import UTC, datetime

import pg
import psycopg
import pytest
from pager_receivers import WebReceiver
from sqlalchemy import create_engine

from liyuan_tui.domain.clock import FakeClock, SystemClock
from liyuan_tui.domain.i18n import Translator
from liyuan_tui.store import Store
from liyuan_tui.store.postgres import install_security
from liyuan_tui.store.postgres_site import init_site

pytestmark = pytest.mark.e2e
NOW = datetime(2026, 11, 27, 14, 0, tzinfo=UTC)


@pytest.fixture
def site(procedures):
    pg.need_cluster()
    name = pg.create_database()
    tag = uuid.uuid4().hex[:6]
    people = {"sup": f"psup{tag}", "ann": f"pann{tag}", "pager": f"ppager{tag}"}
    try:
        url = pg.url(name)
        init_site(url, people["sup"], FakeClock(NOW), procedures, "Asia/Shanghai")
        store = Store(
            url, FakeClock(NOW), people["sup"], procedures=procedures, os_login="root", os_root=True
        )
        store.staff.add_staff(people["ann"], "Ann", "assistant")
        store.intake.create_request(category="D", unit="1-101", phone="139", complete=True, confidential=True)
        store.close()
        with pg.admin_connection() as conn:
            conn.execute(f'CREATE ROLE "{people["pager"]}" LOGIN IN ROLE liyuan_pager')
        yield name, people
    finally:
        pg.drop_database(name)


def as_role(name: str, role: str, sql: str) -> list:
    """`sql` run by `role` (the superuser's session, SET ROLE): its rows, or the error raised."""
    with psycopg.connect(dbname=name, user=pg.ADMIN, host=pg.SOCKET) as conn:
        conn.execute(f'SET ROLE "{role}"')
        cur = conn.execute(sql)
        rows = cur.fetchall() if cur.description else [cur.rowcount]
        conn.commit()
        return rows


def refused(name: str, role: str, sql: str) -> bool:
    try:
        as_role(name, role, sql)
    except psycopg.errors.InsufficientPrivilege:
        return True
    return False


SHIFT = (
    "INSERT INTO duty_shift (estate, duty, login, backup, starts_at, ends_at, added_by, added_at) "
    "VALUES ('main', 'duty_manager', 'x', false, now(), now() + interval '1 hour', 'x', now())"
)
PAGE = (
    "INSERT INTO page (key, chain, login, reason, duty, rung, status, attempts, queued_at, delivered, error) "
    "VALUES ('{key}', 'major:1', 'mgr', 'major', 'duty_manager', 0, 'queued', 0, now(), '', '') RETURNING id"
)


def test_the_server_keeps_the_roster_and_the_lease_to_whom_they_belong(site):
    name, who = site
    assert refused(name, who["ann"], SHIFT)
    assert as_role(name, who["sup"], SHIFT) == [1]
    assert refused(name, who["ann"], "INSERT INTO pager_sender (id, holder) VALUES (1, 'me')")
    assert as_role(name, who["pager"], "INSERT INTO pager_sender (id, holder) VALUES (1, 'me')") == [1]
    assert refused(name, who["ann"], "UPDATE pager_sender SET heartbeat_at = now()")  # no faking a live pager
    assert refused(name, who["sup"], "UPDATE pager_sender SET heartbeat_at = now()")
    assert as_role(name, who["ann"], "SELECT holder FROM pager_sender") == [("me",)]  # the desk sees it


def test_every_desk_role_queues_a_page_but_changes_only_what_is_theirs(site):
    name, who = site
    [(page_id,)] = as_role(name, who["ann"], PAGE.format(key="k1"))  # marking a case major
    assert refused(name, who["ann"], f"DELETE FROM page WHERE id = {page_id}")
    # Not hers to acknowledge: the row is not hers to change (nothing is), a supervisor's is.
    ack = f"UPDATE page SET status = 'acknowledged' WHERE id = {page_id}"
    assert as_role(name, who["ann"], ack) == [0]
    assert as_role(name, who["sup"], ack) == [1]
    assert as_role(name, who["pager"], f"UPDATE page SET attempts = 2 WHERE id = {page_id}") == [1]


def test_the_senders_login_reads_every_request_and_writes_only_its_own(site):
    name, who = site
    assert as_role(name, who["ann"], "SELECT count(*) FROM request WHERE confidential") == [(0,)]
    assert as_role(name, who["pager"], "SELECT count(*) FROM request WHERE confidential") == [(1,)]
    event = "INSERT INTO event (request_id, at, actor, kind, payload) VALUES (1, now(), 'pager', 'page_sent', '{}')"
    assert as_role(name, who["pager"], event) == [1]
    assert refused(name, who["pager"], "UPDATE event SET actor = 'x'")
    assert refused(name, who["pager"], "UPDATE staff SET role = 'manager'")
    assert refused(name, who["pager"], "UPDATE request SET major = true")
    assert refused(name, who["pager"], SHIFT)


def test_the_pagers_rules_can_be_installed_again(site):
    name, who = site
    engine = create_engine(pg.url(name))
    with engine.begin() as conn:
        install_security(conn)  # `liyuan migrate` renews them: every statement may run twice
    engine.dispose()
    assert refused(name, who["ann"], SHIFT)


def listening(name: str, timeout: float = 60.0) -> None:
    """Until a connection to database `name` has LISTENed (the sender warmed up, its lease taken):
    a NOTIFY sent before would find nobody, and the page would wait for the sender's next look."""
    deadline = time.monotonic() + timeout
    with psycopg.connect(dbname=name, user=pg.ADMIN, host=pg.SOCKET, autocommit=True) as conn:
        while time.monotonic() < deadline:
            found = conn.execute(
                "SELECT 1 FROM pg_stat_activity WHERE datname = %s AND query LIKE 'LISTEN %%'", (name,)
            ).fetchone()
            if found:
                return
            time.sleep(0.05)
    raise AssertionError(f"nothing LISTENs on {name} after {timeout:g} s")


def test_the_sender_wakes_on_notify_not_on_its_next_look(procedures, pager_config, monkeypatch):
    """With its longest wait made a minute, a page still arrives well inside it: NOTIFY woke it."""
    from liyuan_tui.cli import pager_sender

    pg.need_cluster()
    name = pg.create_database()
    hook = WebReceiver().up()
    monkeypatch.setattr(pager_sender, "LONGEST_WAIT", 60.0)
    stop = threading.Event()
    stores: list[Store] = []
    thread = None
    try:
        url = pg.url(name)
        desk = Store(url, SystemClock(), "sup", procedures=procedures, tz="Asia/Shanghai", create=True)
        stores.append(desk)
        desk.staff.ensure_identity()
        path = pager_config({"sup": [hook.url("sup")]})
        service = Store(url, SystemClock(), "pager", procedures=procedures, tz="Asia/Shanghai", service=True)
        stores.append(service)

        sender = pager_sender.Sender(service, path, t=Translator("en"), log=io.StringIO())
        thread = threading.Thread(target=sender.run, args=(stop,), daemon=True)
        thread.start()
        listening(name)  # the sender has settled into its (minute-long) wait, however busy the machine
        started = time.monotonic()
        ref = desk.intake.create_request(category="A", unit="1", phone="139", complete=True, major=True).ref
        got = hook.wait_for(lambda m: ref in m.title, timeout=30)
        # Well inside the minute it would otherwise sleep (not seconds: a busy CI machine's two
        # cores running the other worker's pager tests delayed it past 3 s).
        assert got.at - started < pager_sender.LONGEST_WAIT / 4
    finally:
        stop.set()
        if thread is not None:
            thread.join(10)
        for store in stores:
            store.close()
        hook.down()
        pg.drop_database(name)

"""Writers at once on one database, each in a thread of its own with its own store (issue 24,
item 3). On PostgreSQL a desk action holds no lock of the whole database across its round trips:
a writer that keeps its transaction open between statements stops nobody working on another
request; and with the writers really at once, no ref is given twice or skipped, every action has
its one event, a stale write is still refused, and a desk reading the newest event id as it goes
(as its poller does) never passes over an event committed after a later one."""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable

import pytest
from sqlalchemy import text

from liyuan_tui.domain.errors import StaleError
from liyuan_tui.domain.events import EventKind
from liyuan_tui.domain.permissions import Action
from liyuan_tui.store import Store
from liyuan_tui.store.lookup import Lookup

WAIT = 60  # seconds: a thread still running after this is stuck


def run_all(jobs: list[Callable[[], None]]) -> None:
    """Run every job in a thread of its own at the same moment; the first failure is raised."""
    start = threading.Barrier(len(jobs), timeout=WAIT)
    failures: list[BaseException] = []

    def run(job: Callable[[], None]) -> None:
        try:
            start.wait()
            job()
        except BaseException as exc:
            failures.append(exc)

    threads = [threading.Thread(target=run, args=(job,), daemon=True) for job in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(WAIT)
    assert not any(t.is_alive() for t in threads), "a writer is stuck"
    if failures:
        raise failures[0]


def only_postgresql(engine_name: str) -> None:
    if engine_name != "postgresql":
        pytest.skip("SQLite's writers take the file's write lock in turn, by design")


def writers(supervisor: Store, store_for: Callable[[str], Store], n: int) -> list[Store]:
    for i in range(n):
        supervisor.staff.add_staff(f"w{i}", f"W{i}", "assistant")
    return [store_for(f"w{i}") for i in range(n)]


def test_a_writer_holding_its_transaction_open_stops_no_writer_on_another_request(
    engine_name, supervisor, store_for
):
    only_postgresql(engine_name)
    slow, quick = writers(supervisor, store_for, 2)
    mine = slow.intake.create_request(category="B", unit="1-101", phone="13800000000", complete=True)
    other = quick.intake.create_request(category="B", unit="1-102", phone="13800000000", complete=True)
    holding, release, done = threading.Event(), threading.Event(), threading.Event()

    def hold_open() -> None:
        with slow.kernel.write(Action.UPDATE) as tx:
            req = tx.open_request(mine.ref)
            tx.apply(req, {"description": "slow"})
            holding.set()  # between two statements of its transaction, as long as the test says
            assert release.wait(WAIT)
            tx.record(req, EventKind.UPDATED, {"description": ["", "slow"]})

    def meanwhile() -> None:
        assert holding.wait(WAIT)
        quick.intake.update_fields(other.ref, description="quick")  # another request: not waited for
        quick.intake.create_request(category="B", unit="1-103", phone="13800000000", complete=True)
        done.set()
        release.set()

    waited: list[bool] = []

    def watchdog() -> None:  # (a lock of the whole database: `meanwhile` would wait for `hold_open`)
        waited.append(not done.wait(10))
        release.set()

    run_all([hold_open, meanwhile, watchdog])
    assert waited == [False], "a writer on another request waited for the one holding its transaction open"
    assert slow.lookup.get_request(mine.ref).description == "slow"
    assert quick.lookup.get_request(other.ref).description == "quick"


def test_two_writers_on_one_request_take_turns_and_the_stale_one_is_refused(
    engine_name, supervisor, store_for
):
    a, b = writers(supervisor, store_for, 2)
    req = a.intake.create_request(category="B", unit="1-101", phone="13800000000", complete=True)
    outcomes: list[str] = []

    def write(store: Store, text: str) -> Callable[[], None]:
        def job() -> None:
            try:
                store.intake.update_fields(req.ref, expected_version=req.version, description=text)
                outcomes.append("saved")
            except StaleError:
                outcomes.append("stale")

        return job

    run_all([write(a, "a"), write(b, "b")])
    assert sorted(outcomes) == ["saved", "stale"]
    assert a.lookup.get_request(req.ref).version == req.version + 1
    with a.kernel.read() as s:
        updated = s.execute(text("SELECT count(*) FROM event WHERE kind = 'updated'")).scalar()
    assert updated == 1


def test_writers_at_once_number_every_ref_once_and_a_desk_misses_no_event(engine_name, supervisor, store_for):
    n, calls = 6, 12
    stores = writers(supervisor, store_for, n)
    desk = Lookup(supervisor.kernel)
    first = desk.last_event_id()
    writing = threading.Event()
    writing.set()
    read: list[int] = []

    def write(store: Store, w: int) -> Callable[[], None]:
        def job() -> None:
            rng = random.Random(w)
            for i in range(calls):
                req = store.intake.create_request(
                    category="B", unit=f"{w}-{i}", phone="13800000000", complete=True
                )
                # An action that waits a little between its event and its commit: another writer's
                # event, numbered after it, must not reach a desk before it does.
                with store.kernel.write(Action.UPDATE) as tx:
                    fresh = tx.open_request(req.ref)
                    tx.apply(fresh, {"description": f"{w}-{i}"})
                    tx.record(fresh, EventKind.UPDATED, {"description": ["", f"{w}-{i}"]})
                    time.sleep(rng.random() * 0.004)

        return job

    def poll() -> None:  # as a desk's poller: the newest id, then every event up to it
        seen = first
        while True:
            still = writing.is_set()
            newest = desk.last_event_id()
            read.extend(e.id for e, _ in desk.changes_since(seen, limit=100_000) if e.id <= newest)  # type: ignore[misc]
            seen = newest
            if not still:
                return
            time.sleep(0.002)

    def stop_polling_after(jobs: list[Callable[[], None]]) -> Callable[[], None]:
        def job() -> None:
            try:
                run_all(jobs)
            finally:
                writing.clear()

        return job

    run_all([stop_polling_after([write(s, w) for w, s in enumerate(stores)]), poll])

    with supervisor.kernel.read() as s:
        refs = [tuple(r) for r in s.execute(text("SELECT ref, ref_month, ref_seq FROM request"))]
        events = [tuple(r) for r in s.execute(text("SELECT id, kind FROM event WHERE id > :f"), {"f": first})]
    months = {m for _, m, _ in refs}
    assert len(months) == 1
    assert len(refs) == n * calls
    assert sorted(seq for _, _, seq in refs) == list(range(1, n * calls + 1))  # none twice, none skipped
    assert all(ref == f"{m}-{seq:04d}" for ref, m, seq in refs)
    assert sorted(k for _, k in events) == sorted(["created"] * n * calls + ["updated"] * n * calls)
    assert sorted(read) == sorted(i for i, _ in events), "the desk passed over an event"


def test_desks_noticing_the_ladder_at_once_record_each_rung_once(supervisor, store_for, clock):
    desks = writers(supervisor, store_for, 4)
    refs = [desks[0].intake.create_request(category="B", unit=f"1-{i}", phone="123").ref for i in range(5)]
    clock.advance(minutes=16)  # past every deadline and one repeat: two rungs a request
    written: list[str] = []

    def notice(store: Store) -> Callable[[], None]:
        def job() -> None:
            for _ in range(3):
                written.extend(str(e.dedupe_key) for e in store.ladder.record_deadline_alerts())

        return job

    run_all([notice(d) for d in desks])
    with supervisor.kernel.read() as s:
        keys = [k for (k,) in s.execute(text("SELECT dedupe_key FROM event WHERE dedupe_key IS NOT NULL"))]
    assert len(keys) == len(set(keys)) == 2 * len(refs)
    assert sorted(written) == sorted(keys)  # each written by one desk, and said by that one only
    escalated = [desks[1].lookup.get_request(ref) for ref in refs]
    assert all(r.escalated_by == "system" for r in escalated)

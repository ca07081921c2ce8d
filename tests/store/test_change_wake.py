"""A desk waiting for other terminals' changes is woken by them: on PostgreSQL by the server's
NOTIFY, on SQLite by the database's files being written (store/file_wake.py); a poke ends the wait
too, and the timeout is only the fallback — all a desk has whose files cannot be watched."""

from __future__ import annotations

import threading
import time

import pytest

from liyuan_tui.store import file_wake
from liyuan_tui.store.file_wake import FileWake

LONG = 10.0  # a wait that would fail the test's timing if nothing ended it


def waited(wait, *args) -> tuple[object, float]:
    t0 = time.monotonic()
    result = wait(*args)
    return result, time.monotonic() - t0


def later(seconds: float, do) -> threading.Thread:
    def run() -> None:
        time.sleep(seconds)
        do()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_another_terminals_write_ends_the_wait(staff):
    desk, other = staff["assistant"], staff["cs_supervisor"]
    watch = desk.change_watch()
    assert watch.wakes  # (LISTEN on PostgreSQL; the files watched on SQLite)
    poke = threading.Event()
    watch.wait(0.05, poke)  # listening / watching from here on
    writer = later(0.2, lambda: other.intake.create_request(category="repair", unit="1-101", phone="139"))
    _, took = waited(watch.wait, LONG, poke)
    writer.join()
    watch.close()
    assert 0.15 < took < 2.0, took


def test_a_poke_ends_the_wait_and_the_timeout_is_kept(staff):
    watch = staff["assistant"].change_watch()
    poke = threading.Event()
    _, took = waited(watch.wait, 0.3, poke)
    assert 0.25 < took < 2.0, took  # nothing written: the whole timeout
    poker = later(0.2, poke.set)
    _, took = waited(watch.wait, LONG, poke)
    poker.join()
    watch.close()
    assert took < 2.0, took


@pytest.mark.sqlite_only
def test_only_the_databases_own_files_wake_it(tmp_path, desk):
    wake = FileWake(desk.kernel.path)
    poke = threading.Event()
    assert wake.watching
    writer = later(0.1, lambda: (tmp_path / "notes.txt").write_text("not the desk's"))
    woken, took = waited(wake.wait, 0.6, poke)
    writer.join()
    assert not woken and took > 0.5
    writer = later(0.1, lambda: desk.intake.create_request(category="repair", unit="1-101", phone="139"))
    woken, took = waited(wake.wait, LONG, poke)
    writer.join()
    wake.close()
    assert woken and took < 2.0, took


@pytest.mark.sqlite_only
def test_files_that_cannot_be_watched_are_looked_at_on_the_timer(monkeypatch, desk):
    def no_watching(*_args: object) -> None:
        raise OSError("OS file watch limit reached")

    monkeypatch.setattr(file_wake, "RustNotify", no_watching)
    watch = desk.change_watch()
    assert not watch.wakes  # the poller then looks every second (its interval), as before
    poke = threading.Event()
    woken, took = waited(watch._files.wait, 0.3, poke)
    assert woken is False and 0.25 < took < 2.0
    assert "limit" in (watch._files.broken or "")
    watch.close()


@pytest.mark.sqlite_only
def test_a_change_made_before_the_wait_ends_it_at_once(monkeypatch, staff):
    """A write between the desk's look and its wait (the poller's coalescing pause) is read at
    once: the wait goes by what the desk has read, not by what is newest when it starts (which
    held such a change half a second, until the settling gave up)."""
    desk, other = staff["assistant"], staff["cs_supervisor"]
    watch = desk.change_watch()
    assert watch.wakes
    seen = desk.lookup.last_event_id()
    other.intake.create_request(category="repair", unit="1-101", phone="139")

    def not_waited(*_args: object) -> bool:
        raise AssertionError("waited on the files for a change already there")

    monkeypatch.setattr(watch._files, "wait", not_waited)
    watch.wait(LONG, threading.Event(), seen)
    watch.close()

"""Helpers for the desk's Pilot tests (waiting for workers and the poller, moving the clock)."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from textual.worker import WorkerCancelled


async def settle(pilot, timeout: float = 5.0) -> None:
    """Wait until every store call has come back and the screens have seen the newest event."""
    app = pilot.app
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    quiet = 0
    while loop.time() < deadline:
        busy = [w for w in app.workers if w.group in ("db", "search") and not w.is_finished]
        for worker in busy:
            try:
                await worker.wait()
            except WorkerCancelled:
                # A write's result message can reach its screen before the write's thread has
                # returned; the reload it sets off (exclusive) then marks the finished write
                # cancelled. Its work is done either way.
                pass
        await pilot.pause()
        newest = await asyncio.to_thread(app.store.lookup.last_event_id)
        busy = [w for w in app.workers if w.group in ("db", "search") and not w.is_finished]
        if not busy and app.synced_event_id == newest:
            # Quiet twice in a row, a pause apart: a worker that finished just now has had its
            # message handled (a reload it set off has started, and is waited for above).
            await pilot.pause()
            if not [w for w in app.workers if w.group == "db" and not w.is_finished]:
                quiet += 1
                if quiet >= 2:
                    # And what the screen asked to do once laid out (call_after_refresh: the
                    # checklist scrolled to its next step) has been done.
                    try:
                        await asyncio.wait_for(app.screen.wait_for_refresh(), timeout)
                    except asyncio.TimeoutError:
                        pass
                    await pilot.pause()
                    return
                continue
        quiet = 0
        app.poll_now()
        await asyncio.sleep(0.02)
    raise AssertionError("the app did not settle")


async def wait_for(pilot, condition, timeout: float = 5.0) -> None:
    """Pause until `condition()` holds (real time), without pressing anything."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError("condition not met in time")
        await pilot.pause(0.05)


def advance(clock, **delta) -> None:
    clock.advance(timedelta(**delta).total_seconds())


async def press_keys(pilot, keys) -> None:
    """Press `keys` in order; the word "settle" in the list waits for the database (snapshot states)."""
    await settle(pilot)
    for key in keys:
        if key == "settle":
            await settle(pilot)
        else:
            await pilot.press(key)
    await settle(pilot)


def log_from_another_process(cli_env) -> str:
    """The security lead logs a request from a real `liyuan log` process; returns its ref."""
    import subprocess
    import sys

    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "liyuan_tui.cli",
            "log",
            "--user",
            "lead",
            "--category",
            "E",
            "--unit",
            "B2 garage",
            "--phone",
            "13911110301",
            "--text",
            "stranger trying car doors",
        ],
        env=cli_env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    return out.stdout.strip()


def key_event(key: str):
    """A Key event as the terminal driver makes one (the same names as Pilot.press)."""
    import unicodedata

    from textual import events
    from textual.app import _character_to_key, _get_unicode_name_from_key
    from textual.keys import REPLACED_KEYS

    if len(key) == 1 and not key.isalnum():
        key = _character_to_key(key)
    try:
        char = unicodedata.lookup(_get_unicode_name_from_key(REPLACED_KEYS.get(key, key)))
    except KeyError:
        char = key if len(key) == 1 else None
    return events.Key(key, char)


async def type_fast(pilot, *keys: str) -> None:
    """Keys as a fast typist (or a slow SSH link) delivers them: all read by the app in one go,
    no pause between them, as the terminal driver posts them when one read returns many."""
    app = pilot.app
    for key in keys:
        event = key_event(key)
        event.set_sender(app)
        app._driver.send_message(event)
    await pilot.pause()


async def paste(pilot, text: str) -> None:
    """A bracketed paste, as the terminal sends it."""
    from textual import events

    app = pilot.app
    event = events.Paste(text)
    event.set_sender(app)
    app._driver.send_message(event)
    await pilot.pause()

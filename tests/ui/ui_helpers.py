"""Helpers for the desk's Pilot tests: waiting for what the desk is doing (never for the clock),
moving the FakeClock, typing as the terminal delivers keys."""

from __future__ import annotations

import asyncio
import contextlib
from datetime import timedelta

from textual.worker import WorkerError

ROUNDS = 50  # a chain of reads and writes longer than this is a desk that never settles
HUNG = 120.0  # seconds: a desk that has not handled a message by then is hung


def running(app) -> list:
    """The app's workers still at work (but the poller's own loop, which runs for as long as the
    desk: a test of the real poller)."""
    return [w for w in app.workers if not w.is_finished and w.group != "poll"]


async def handled(app) -> None:
    """Every message already posted to the app and to each widget of every screen on the stack
    (not only the one on top: a page under a dialog reads what changed too) has been handled: a
    callback queued behind them on each has run."""
    nodes = [app, *(node for screen in app.screen_stack for node in screen.walk_children(with_self=True))]
    waiting = [asyncio.Event() for _ in nodes]
    queued = [done for node, done in zip(nodes, waiting, strict=True) if node.call_later(done.set)]
    try:  # (a guard against a test that hangs, never a wait: it only fires if one does)
        await asyncio.wait_for(asyncio.gather(*(done.wait() for done in queued)), HUNG)
    except TimeoutError:
        raise AssertionError(f"a widget did not handle its messages in {HUNG} s") from None


async def settle(pilot) -> None:
    """Until the desk is still: the poller has looked at the database (run now, as its thread would),
    every worker is done and what it posted has been handled (on every screen, then the pause
    Pilot takes for the one on top) — a round again while anything set off something more.
    Nothing here waits on the clock."""
    app = pilot.app
    for _ in range(ROUNDS):
        look = app.poll_now()  # None where the real poller thread runs: poked instead
        while busy := running(app):
            # A worker cancelled counts as finished (WorkerCancelled is a WorkerError): a read
            # superseded, whose newer one is waited for, or a write whose result reached its page
            # before its thread returned and whose reload (exclusive) then marked it cancelled.
            with contextlib.suppress(WorkerError):
                await app.workers.wait_for_complete(busy)
        await handled(app)
        await pilot.pause()
        if not running(app) and (look is None or look.result is False):
            await pilot.pause()  # what a page asked to do once laid out (the checklist's scroll)
            if not running(app):
                return
    raise AssertionError(f"the desk did not settle in {ROUNDS} rounds")


async def wait_for(pilot, condition, timeout: float = 5.0) -> None:
    """Pause until `condition()` holds, in real time: only for the tests of the real poller thread,
    whose latency (a change from another process shown within so long) is what they prove."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError("condition not met in time")
        await pilot.pause(0.05)


def keys_here(screen) -> set[str]:
    """The actions the keys do on this screen now (those its footer and palette offer, hidden ones
    too): a key the user may not use is not bound at all."""
    return {active.binding.action for active in screen.active_bindings.values()}


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

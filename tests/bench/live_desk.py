"""What the live desk's benches share (test_desk_idle_bench.py, test_change_wake_bench.py,
test_desk_start_bench.py, test_desk_bench.py): the wait for the live queue on a real terminal, and
idle apps measured side by side at small size (one after another at full). Their size, timeouts
and figures are tests/bench_sizing.py's; their database is filled by bench_desk_db.py.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from bench_sizing import FULL


def wait_live(term, timeout: float = 60.0) -> float:
    """Seconds from the program's start until a Textual app's queue is on the terminal: its rows
    after it took the terminal (the desk's first frame, drawn before, does not count)."""
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        with term.lock:
            taken = term.output.find(b"\x1b[?1049h")
            if taken >= 0 and term.output.find(b"OPENROW", taken) >= 0:
                return time.perf_counter() - term.started
        if term.proc.poll() is not None:
            break
        time.sleep(0.003)
    raise AssertionError(f"the live queue never showed; the program wrote:\n{term.text()[-1500:]}")


def idle_together(
    starts: list[Callable[[], Any]], settle: float, seconds: float
) -> list[tuple[float, float]]:
    """(share of one core, terminal bytes a second) of each app while it sits idle, its countdowns
    ticking: the apps `starts` start (PtyApp), each once its queue is live and `settle` seconds
    more have passed. At small size (the suite's) they run side by side over one window, so a busy
    moment of the machine falls on all alike and the bench takes one app's time; at full size one
    after another, as the figures the issues quote were taken. Every app is killed after."""
    if FULL:
        return [_idle([start], settle, seconds)[0] for start in starts]
    return _idle(starts, settle, seconds)


def _idle(starts: list[Callable[[], Any]], settle: float, seconds: float) -> list[tuple[float, float]]:
    terms = []
    try:
        for start in starts:
            terms.append(start())
        for term in terms:
            wait_live(term)
        time.sleep(settle)
        before = [(term.cpu_seconds(), term.bytes_out) for term in terms]
        t0 = time.perf_counter()
        time.sleep(seconds)
        after = [(term.cpu_seconds(), term.bytes_out) for term in terms]
        took = time.perf_counter() - t0
    finally:
        for term in terms:
            term.kill()
    return [((c1 - c0) / took, (b1 - b0) / took) for (c0, b0), (c1, b1) in zip(before, after, strict=True)]

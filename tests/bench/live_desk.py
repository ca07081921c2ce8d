"""What the live desk's benches share (test_desk_idle_bench.py, test_change_wake_bench.py,
test_desk_start_bench.py): the wait for the live queue on a real terminal. Their size, timeouts
and figures are tests/bench_sizing.py's; their database is filled by bench_desk_db.py.
"""

from __future__ import annotations

import time


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

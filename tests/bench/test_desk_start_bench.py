"""The desk's start-up in a real pseudo-terminal, byte-compiled as a site install is, beside the bare
Textual app (baseline_app.py: import sqlmodel and textual, a 200-row DataTable), in turn, the same
run: 200 open requests, 2,000 closed (small) or 100,000 (full).

    uv run pytest tests/bench/test_desk_start_bench.py -s                          (small)
    LIYUAN_BENCH_SIZE=full uv run pytest tests/bench/test_desk_start_bench.py -s   (issue 23's)

- the queue on screen: the desk's first frame (widgets/first_frame.py), drawn before the ORM is
  imported. Issue 23: at most 1.0x the bare app (full-size bound), 1.5x small.
- the live desk's queue (Textual's first frame with the rows): printed beside it, bound 2.5x
  full, 3x small (measured 1.9-2.0x under a load of 8 on 2 cores: what the command line's
  imports cost, issue 23's item 4, is most of it).
- `n` to the form: `n` typed the moment the first frame shows, until the intake form is on
  screen (the request exists then, its clock running): bound 3x full, 3.5x small.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from bench_desk_db import fill
from bench_sizing import median, sized
from pty_app import PtyApp

from liyuan_tui.widgets.first_frame import ENTER

HERE = Path(__file__).parent
SHOWN = 60.0  # seconds at most for anything to reach the terminal
LIVE = b"\x1b[?1049h"  # Textual takes the terminal
FORM = "each field is saved"  # (the intake form's title, en: the key bar says "New request" too)


def after(term: PtyApp, needle: bytes, start: int = 0) -> tuple[float, int]:
    """(seconds since the program started, where) when `needle` is in its output past `start`."""
    deadline = time.perf_counter() + SHOWN
    while time.perf_counter() < deadline:
        with term.lock:
            at = term.output.find(needle, start)
        if at >= 0:
            return time.perf_counter() - term.started, at
        if term.proc.poll() is not None:
            break
        time.sleep(0.003)
    raise AssertionError(f"{needle!r} never came; the program wrote:\n{term.text()[-1500:]}")


def desk_run(db: Path, env: dict[str, str], *, new: bool = False) -> tuple[float, float]:
    """(the first frame, then the live queue, or with `new` the intake form after `n` typed the
    moment the first frame showed) in seconds from the process's start."""
    term = PtyApp(["--db", str(db), "--user", "ann"], env, size=(120, 40))
    try:
        first, at = after(term, b"OPENROW", after(term, ENTER.encode())[1])
        if new:
            term.send("n")
        _, live_at = after(term, LIVE, at)
        then, _ = after(term, FORM.encode() if new else b"OPENROW", live_at)
        return first, then
    finally:
        term.kill()


def bare_run(env: dict[str, str]) -> float:
    term = PtyApp([], env, size=(120, 40), command=[sys.executable, str(HERE / "baseline_app.py"), "200"])
    try:
        return after(term, b"OPENROW")[0]
    finally:
        term.kill()


def test_start_up_first_frame_live_queue_and_n_to_the_form(tmp_path, bench_env, figure):
    compiled = bench_env  # byte-compiled, the run's byte-code folder shared with the other benches
    closed, runs = sized(2_000, 100_000), sized(3, 5)
    db = tmp_path / "big.db"
    fill(db, open_count=200, closed_count=closed)
    desk_run(db, compiled)  # warm: byte-code written (if no bench before did), the file in the OS's cache
    bare_run(compiled)
    firsts, lives, forms, bares = [], [], [], []
    for run in range(runs):  # in turn, so a busy moment of the machine slows both alike
        first, live = desk_run(db, compiled)
        firsts.append(first)
        lives.append(live)
        bares.append(bare_run(compiled))
        form_db = tmp_path / f"form{run}.db"  # (its own: each run's `n` logs a request)
        form_db.write_bytes(db.read_bytes())
        forms.append(desk_run(form_db, compiled, new=True)[1])
    print(
        f"\nstart-up runs (s): first frame {[round(x, 3) for x in firsts]}, live {[round(x, 3) for x in lives]}, "
        f"n to the form {[round(x, 3) for x in forms]}, bare app {[round(x, 3) for x in bares]}"
    )
    bare = median(bares)
    what = f"200 open and {closed:,} closed requests, median of {runs}"
    baseline_is = "a bare Textual app after import sqlmodel showing a 200-row table"
    figure(f"the queue on screen (first frame), {what}", median(firsts), bare, "s",
           baseline_is=baseline_is, small=1.5, full=1.0)  # fmt: skip
    figure(f"the live desk's queue, {what}", median(lives), bare, "s",
           baseline_is=baseline_is, small=3.0, full=2.5)  # fmt: skip
    figure(f"n to the intake form, {what}", median(forms), bare, "s",
           baseline_is=baseline_is, small=3.5, full=3.0)  # fmt: skip

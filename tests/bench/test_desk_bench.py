"""Benchmarks of the desk in a real pseudo-terminal, each beside a baseline measured in the same run.

    uv run pytest tests/bench -o addopts="" -s

- startup: process start until the queue shows its requests (200 open, 100,000 closed in the
  database) vs. a bare Textual app importing textual and sqlmodel showing a 200-row DataTable;
  target at most 1.3×.
- idle CPU with 200 open requests ticking: target under 3% of one core.
- bytes written to the terminal per second, idle, 50 countdowns on screen: target under 4 KB/s.
"""

from __future__ import annotations

import statistics
import time

from conftest import fill
from pty_app import PtyApp

RUNS = 5


def desk_args(db_path) -> list[str]:
    return ["--db", str(db_path), "--user", "ann"]


def startup(args, env, command=None, size=(120, 40)) -> float:
    term = PtyApp(args, env, size=size, command=command)
    try:
        return term.wait_for_output("OPENROW", timeout=60)
    finally:
        term.kill()


def test_startup_to_the_queue_with_200_open_and_100000_closed(tmp_path, bench_env, baseline_command):
    db = tmp_path / "big.db"
    fill(db, open_count=200, closed_count=100_000)
    startup(desk_args(db), bench_env)  # warm the OS file cache for both alike
    startup([], bench_env, baseline_command(200))
    desk, base = [], []
    for _ in range(RUNS):  # alternate, so a busy moment of the machine hits both
        desk.append(startup(desk_args(db), bench_env))
        base.append(startup([], bench_env, baseline_command(200)))
    d, b = statistics.median(desk), statistics.median(base)
    print(
        f"\nstartup to requests shown: desk {d:.3f} s, baseline {b:.3f} s, ratio {d / b:.2f}x "
        f"(medians of {RUNS}; desk {[round(x, 3) for x in desk]}, baseline {[round(x, 3) for x in base]})"
    )
    assert d <= 1.3 * b


def idle(args, env, command=None, size=(120, 40), seconds: float = 10.0) -> tuple[float, float]:
    """(share of one core, bytes per second) while the app sits idle with its countdowns ticking."""
    term = PtyApp(args, env, size=size, command=command)
    try:
        term.wait_for_output("OPENROW", timeout=60)
        time.sleep(3)  # past start-up work and the first notifications
        cpu0, bytes0, t0 = term.cpu_seconds(), term.bytes_out, time.perf_counter()
        time.sleep(seconds)
        cpu1, bytes1, t1 = term.cpu_seconds(), term.bytes_out, time.perf_counter()
        return (cpu1 - cpu0) / (t1 - t0), (bytes1 - bytes0) / (t1 - t0)
    finally:
        term.kill()


def test_idle_cpu_with_200_open_requests_ticking(tmp_path, bench_env, baseline_command):
    db = tmp_path / "open200.db"
    fill(db, open_count=200, closed_count=0)
    desk_cpu, _ = idle(desk_args(db), bench_env)
    base_cpu, _ = idle([], bench_env, baseline_command(200, tick=True))
    print(
        f"\nidle CPU, 200 open requests ticking: desk {desk_cpu:.1%} of a core, "
        f"baseline (stock update_cell) {base_cpu:.1%}"
    )
    assert desk_cpu < 0.03


def test_bytes_per_second_idle_with_50_countdowns(tmp_path, bench_env, baseline_command):
    db = tmp_path / "open50.db"
    fill(db, open_count=50, closed_count=0)
    size = (120, 60)  # every one of the 50 rows on screen
    _, desk_bps = idle(desk_args(db), bench_env, size=size)
    _, base_bps = idle([], bench_env, baseline_command(50, tick=True), size=size)
    print(
        f"\nterminal output idle, 50 countdowns: desk {desk_bps / 1024:.2f} KB/s, "
        f"baseline (stock update_cell) {base_bps / 1024:.2f} KB/s"
    )
    assert desk_bps < 4096

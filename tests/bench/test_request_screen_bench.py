"""The request screen's bytes to the terminal per second, beside the queue's in the same run (its
baseline): an open request's countdown ticks, a closed one's nothing; the screen is never repainted
whole on a tick (a hidden queue's ticking cells once made Textual repaint the whole screen on top:
15 KB/s at 120×40, 6 KB/s at 80×24, the queue itself 330 B/s). Small in the suite (5 open requests,
2 s windows), full on demand (50, 10 s).

    uv run pytest tests/bench/test_request_screen_bench.py -o addopts="" -s
"""

from __future__ import annotations

import importlib.util
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "ui"))  # pty_app
from bench_sizing import sized
from pty_app import PtyApp

HERE = Path(__file__).resolve().parent


def fill(db: Path, open_count: int, closed_count: int) -> None:
    """The benches' bulk database (tests/bench/bench_desk_db.py), also from a test outside tests/bench."""
    spec = importlib.util.spec_from_file_location("bench_desk_db", HERE / "bench_desk_db.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    module.fill(db, open_count, closed_count)


def repaint_rates(
    folder: Path, size: tuple[int, int], open_count: int = 50, seconds: float = 10.0
) -> dict[str, float]:
    """Bytes per second written to a real terminal of `size`: the queue idle, then the first
    request opened, then a closed request (found with / and its unit)."""
    db = folder / "repaint.db"
    fill(db, open_count=open_count, closed_count=3)
    env = {
        "PATH": "/usr/bin:/bin",
        "XDG_CONFIG_HOME": str(folder / "cfg"),
        "XDG_DATA_HOME": str(folder / "data"),
        "LIYUAN_LANG": "en",
        "LIYUAN_CONFIG": str(folder / "etc-config.toml"),
    }
    term = PtyApp(["--db", str(db), "--user", "ann"], env, size=size)

    def rate() -> float:
        before, start = term.bytes_out, time.perf_counter()
        time.sleep(seconds)
        return (term.bytes_out - before) / (time.perf_counter() - start)

    try:
        term.wait_for_output("OPENROW", timeout=60)
        time.sleep(2)  # past start-up work
        rates = {"queue": rate()}
        term.send("\r")  # the first request
        time.sleep(2)
        rates["request"] = rate()
        term.send("\x1b")
        time.sleep(1)
        term.send("/")
        time.sleep(0.5)
        term.send("U0")  # the first closed request's unit
        time.sleep(1.5)
        term.send("\x1b[B")  # down to the result (apart from enter: one sequence each)
        time.sleep(0.7)
        term.send("\r")
        time.sleep(2)
        rates["closed"] = rate()
        return rates
    finally:
        term.kill()


def test_the_request_screen_beside_the_queue(tmp_path):
    sizes = ((120, 40), (80, 24))
    open_count = sized(5, 50)

    def measured(size: tuple[int, int]) -> dict[str, float]:
        folder = tmp_path / f"{size[0]}x{size[1]}"
        return repaint_rates(folder, size, open_count=open_count, seconds=sized(2.0, 10.0))

    # The two terminals at once (bytes a second are what the desk writes, not how fast it runs).
    with ThreadPoolExecutor(len(sizes)) as pool:
        measures = list(pool.map(measured, sizes))
    for size, rates in zip(sizes, measures, strict=True):
        print(
            f"\n{size[0]}×{size[1]}: queue ({open_count} countdowns) {rates['queue']:.0f} B/s, "
            f"open request {rates['request']:.0f} B/s, closed request {rates['closed']:.0f} B/s"
        )
        assert rates["request"] <= max(2 * rates["queue"], 1024)
        assert rates["closed"] <= max(rates["queue"], 512)

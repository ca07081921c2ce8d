"""The benches' one knob and their one way of saying a figure (tests/bench; a pytest plugin named
in tests/conftest.py, so its hooks run in the suite's main process too).

LIYUAN_BENCH_SIZE=small (the default, what the suite and CI run: seconds a bench) or full (the
sizes the issue's figures are quoted at, on demand). Every bench takes its sizes and its ratio's
bound from here, measures its baseline in the same run, and asserts the ratio, never a time: at
small size under a loaded 2-core machine the bound is generous but real (a broken or badly slowed
path still fails); the full-size bound is the target, printed beside it.
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest

T = TypeVar("T")

SIZE = os.environ.get("LIYUAN_BENCH_SIZE", "small")
if SIZE not in ("small", "full"):
    raise ValueError(f"LIYUAN_BENCH_SIZE must be small or full, not {SIZE!r}")
FULL = SIZE == "full"

# A bench's whole run at most (pytest-timeout: a hang fails the bench instead of the build hanging).
TIMEOUT = 3 * 3600 if FULL else 300


def sized(small: T, full: T) -> T:
    """This run's value of a size (rows, runs, seconds, a bound)."""
    return full if FULL else small


def timed(fn: Callable[[], object]) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def alternating(
    a: Callable[[], object], b: Callable[[], object], runs: int
) -> tuple[list[float], list[float]]:
    """Seconds of `runs` runs each of a and b, taken in turn so a busy moment of the machine slows
    both alike."""
    ta, tb = [], []
    for _ in range(runs):
        ta.append(timed(a))
        tb.append(timed(b))
    return ta, tb


def median(values: list[float]) -> float:
    return statistics.median(values)


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (share 0.95 → p95)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


# --- the figure every bench ends with ------------------------------------------------------------


def shown(value: float, unit: str) -> str:
    if unit == "s":
        return f"{value * 1000:.2f} ms" if value < 1 else f"{value:.2f} s"
    if unit == "core":
        return f"{value:.2%} of a core"
    if unit == "B/s":
        return f"{value / 1024:.2f} KB/s"
    return f"{value:,.4g} {unit}"


def load() -> str:
    """The machine's load as the figure was taken (a figure on a busy machine reads differently)."""
    one, five, _ = os.getloadavg()
    return f"load average {one:.2f} / {five:.2f} on {os.cpu_count()} cores"


@pytest.fixture
def figure(request, record_property) -> Callable[..., float]:
    """figure(what, value, baseline, unit, baseline_is=…, small=bound, full=bound): prints the
    figure, its same-run baseline and their ratio, keeps the line for the run's summary, and
    asserts the ratio is within this size's bound."""

    def say(
        what: str, value: float, baseline: float, unit: str, *, baseline_is: str, small: float, full: float
    ) -> float:
        ratio = value / baseline if baseline > 0 else float("inf")
        bound = sized(small, full)
        line = (
            f"{what}: {shown(value, unit)}; baseline ({baseline_is}) {shown(baseline, unit)}; "
            f"ratio {ratio:.2f}x, bound {bound:g}x at {SIZE} size (full size: {full:g}x); {load()}"
        )
        print(f"\n{line}")
        record_property("bench", f"{line}  [{request.node.nodeid}]")
        assert ratio <= bound, line
        return ratio

    return say


# --- the plugin: benches marked, each with its timeout; their figures at the end of the run -----

BENCH_DIR = Path(__file__).parent / "bench"


@pytest.hookimpl(tryfirst=True)  # before xdist's worker reads the group into the test's id
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if BENCH_DIR in item.path.parents:
            item.add_marker(pytest.mark.bench)
            item.add_marker(pytest.mark.xdist_group("bench"))  # one at a time, not against each other
            if item.get_closest_marker("timeout") is None:
                item.add_marker(pytest.mark.timeout(TIMEOUT))


def pytest_terminal_summary(terminalreporter) -> None:
    lines = [
        value
        for key in ("passed", "failed")
        for report in terminalreporter.stats.get(key, [])
        if getattr(report, "when", "") == "call"
        for name, value in getattr(report, "user_properties", [])
        if name == "bench"
    ]
    if lines:
        terminalreporter.section(f"bench figures (LIYUAN_BENCH_SIZE={SIZE})")
        for line in sorted(lines, key=lambda text: text.rsplit("[", 1)[-1]):
            terminalreporter.write_line(line)

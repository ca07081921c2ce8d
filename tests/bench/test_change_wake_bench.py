"""Another desk's change on screen, SQLite: a desk in a real pseudo-terminal, woken by the
database's files being written (store/file_wake.py), beside the same desk looking once a second
(its files made unwatchable: what a desk did before, and does where inotify is not there), in the
same run. A request is logged from here every now and then (at a random moment of the poll's
second); the figure is the time from its commit to its unit on the terminal, p95.

    uv run pytest tests/bench/test_change_wake_bench.py -s                          (small)
    LIYUAN_BENCH_SIZE=full uv run pytest tests/bench/test_change_wake_bench.py -s   (issue 23's)

Issue 23 asks p95 ≤ 0.3 s where polling took up to 1.05 s: full-size bound 0.3× the polling
desk's p95, small 0.5× (0.14–0.16× at load 0.7–0.8; a desk the file's change does not wake reads
about 1×). It once read 0.79× in CI: two of 11 requests took 0.78 s and 0.81 s, committed in the
poller's coalescing pause after a look, whose wait then took them for already seen and settled for
half a second (store/watch.py now goes by what the desk has read).

Beside it, the idle CPU of each, 200 open requests and 500 open work orders in the database: the
woken desk looks every 5 s instead of every second, and its watcher wakes 20 times a second to see
what it gathered (about 0.08 % of a core on its own): bound 1.0× at full size, 1.6× small. Each
desk's CPU is its process CPU clock, to the nanosecond (pty_app.py; it was /proc's 10 ms ticks, 6
of them in 6 s of 1 % of a core, so one tick more or less read two equal desks as 0.7–1.4×: it
reads 1.00× now where it read 0.86–1.29×); a woken desk that costs twice the looking one's fails.

Small size (the suite's, about 20 s): the two desks run side by side on one database (a busy
moment of the machine falls on both alike), 11 requests, each 0.05–1.05 s after the woken desk
showed the one before (the looking desk's moments gathered meanwhile: the p95 of 11 is the worst
but one; of 6, or of the old 8, it is the worst, and one stall of a loaded machine, 0.73 s on the
woken desk, failed the 0.6× bound), a 6 s idle window as before; full size: one desk after the
other, 40 requests 0.3–1.3 s after the one before was on screen, 15 s idle.
"""

from __future__ import annotations

import random
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from bench_desk_db import fill
from bench_sizing import FULL, percentile, sized
from live_desk import wait_live
from pty_app import PtyApp

from liyuan_tui.domain.clock import SystemClock
from liyuan_tui.store import Store

SHOWN = 60.0  # seconds at most for the queue to show, or a change to reach the terminal
# The desk as `liyuan` runs it, but its files cannot be watched: it looks every second.
POLLING = (
    "import sys; import liyuan_tui.store.file_wake as wake; wake.RustNotify = None; "
    "from liyuan_tui.cli.main import main; sys.exit(main(sys.argv[1:]))"
)


class Moments:
    """The requests logged so far and, for each, the seconds from its commit until its unit was on
    each desk's terminal (None until then)."""

    def __init__(self, terms: list[PtyApp]) -> None:
        self.terms = terms
        self.logged: list[tuple[bytes, list[int], float]] = []  # unit, each desk's byte at the commit, when
        self.seen: list[list[float | None]] = []

    def log(self, unit: str, since: list[int], committed: float) -> None:
        self.logged.append((unit.encode(), since, committed))
        self.seen.append([None] * len(self.terms))

    def look(self) -> None:
        for (unit, since, committed), seen in zip(self.logged, self.seen, strict=True):
            for n, term in enumerate(self.terms):
                if seen[n] is None:
                    with term.lock:
                        if unit in term.output[since[n] :]:
                            seen[n] = time.perf_counter() - committed

    def spin(self, seconds: float, until: Callable[[], bool] | None = None) -> None:
        """Looks every 2 ms for `seconds`, or until `until()` (which must come within them)."""
        end = time.perf_counter() + seconds
        while time.perf_counter() < end:
            self.look()
            if until is not None and until():
                return
            time.sleep(0.002)
        if until is not None:
            missing = [
                unit.decode()
                for (unit, _, _), seen in zip(self.logged, self.seen, strict=True)
                if None in seen
            ]
            raise AssertionError(f"{missing} never reached the terminal")

    def on(self, n: int) -> list[float]:
        return [seen[n] for seen in self.seen if seen[n] is not None]


def desk(db: Path, env: dict[str, str], *, watching: bool) -> PtyApp:
    args = ["--db", str(db), "--user", "ann"]
    command = [sys.executable, "-m", "liyuan_tui.cli"] if watching else [sys.executable, "-c", POLLING]
    return PtyApp(args, env, size=(120, 40), command=command + args)


def latencies(
    db: Path, env: dict[str, str], watching: list[bool], samples: int, tag: str
) -> list[tuple[list[float], float]]:
    """For each desk (woken by its files or looking once a second, as `watching` says), run side by
    side on `db`: (seconds from commit to screen for each sample, idle share of a core before them)."""
    terms: list[PtyApp] = []
    other = Store(f"sqlite:///{db}", SystemClock(), "sup")
    try:
        for watches in watching:
            terms.append(desk(db, env, watching=watches))
        for term in terms:
            wait_live(term, SHOWN)
        time.sleep(2)
        cpu0, t0 = [term.cpu_seconds() for term in terms], time.perf_counter()
        time.sleep(sized(6.0, 15.0))
        idle = [
            (term.cpu_seconds() - c0) / (time.perf_counter() - t0)
            for term, c0 in zip(terms, cpu0, strict=True)
        ]
        moments = Moments(terms)
        pause = sized((0.05, 1.05), (0.3, 1.3))
        # The next request waits for the request before on every desk (full size), or at small size
        # on the woken desk only: the looking desk's moments are gathered meanwhile, each from its
        # own commit (a look shows whatever came since the last), the requests' times still
        # unrelated to its looks.
        waits_for = [True] * len(terms) if FULL else watching
        for i in range(samples):
            moments.spin(random.uniform(*pause))  # anywhere in the poll's second
            unit = f"{tag}{i:03d}"
            since = [term.bytes_out for term in terms]
            other.intake.create_request(
                category="repair",
                unit=unit,
                phone="13900000000",
                complete=True,
                # (called in 8 minutes ago: 2 left, the queue's first row, in sight on any terminal;
                # its toast may be held while four are on screen, widgets/announcer.py)
                received_at=other.clock.now() - timedelta(minutes=8),
            )
            moments.log(unit, since, time.perf_counter())
            last = moments.seen[-1]
            moments.spin(
                SHOWN, lambda last=last: all(t is not None for t, w in zip(last, waits_for, strict=True) if w)
            )
        moments.spin(SHOWN, lambda: all(None not in seen for seen in moments.seen))
        return [(moments.on(n), share) for n, share in enumerate(idle)]
    finally:
        other.close()
        for term in terms:
            term.kill()


def test_another_desks_change_on_screen_woken_vs_polling(tmp_path, bench_env, figure):
    samples = sized(11, 40)  # (p95 of 11: the worst but one, so one stall of a busy machine is not it)
    db = tmp_path / "live.db"
    fill(db, open_count=200, order_count=500)
    if FULL:  # one desk after the other, as issue 23's figures were taken
        [(polled, polled_idle)] = latencies(db, bench_env, [False], samples, "POLL")
        [(woken, woken_idle)] = latencies(db, bench_env, [True], samples, "WAKE")
    else:  # side by side on one database, every request seen by both: half the time
        (polled, polled_idle), (woken, woken_idle) = latencies(db, bench_env, [False, True], samples, "BOTH")
    print(
        f"\ncommit to screen (s): woken {sorted(round(x, 3) for x in woken)}\n"
        f"                      polling {sorted(round(x, 3) for x in polled)}\n"
        f"idle CPU: woken {woken_idle:.2%}, polling {polled_idle:.2%} of a core"
    )
    figure(
        f"another desk's change on screen, SQLite, p95 of {samples}",
        percentile(woken, 0.95),
        percentile(polled, 0.95),
        "s",
        baseline_is="the same desk looking once a second, p95",
        small=0.5,
        full=0.3,
    )
    figure(
        "idle CPU of the desk woken by the files, 200 open requests and 500 work orders",
        woken_idle,
        polled_idle,
        "core",
        baseline_is="the same desk looking once a second",
        small=1.6,
        full=1.0,
    )

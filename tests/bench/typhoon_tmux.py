"""A typhoon night measured as issue 24 measures it: real desks in tmux on a database with many open
requests, writer processes running `liyuan log` / `reply` / `step` in a loop, each desk's header
(its open count, 待处理 N) read with `tmux capture-pane -p` every 0.1 s.

    LIYUAN_TEST_PG=<socket folder> uv run python tests/bench/typhoon_tmux.py --engine postgresql
    uv run python tests/bench/typhoon_tmux.py --engine sqlite
    (--open 1500 --writers 8 --desks 2 --seconds 60 are the defaults: the issue's typhoon night)

For each desk: how long after a request's `created` event (its commit, as its clock read it) the
desk's header first counted it (p50 / p95 / max over every request logged), how long after the
last write it was exactly current, and its CPU (user + system, /proc) over the writers' window as a
share of one core. For the writers: actions a second and each `liyuan` call's seconds (a process
each, start-up included). The desks run as root acting for a staff login (`--user`) on a plain
database (PostgreSQL without `site init`: no row-level security); the writers the same. Every wait
has a timeout; every tmux session and the database made are removed at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

HERE = Path(__file__).parent
sys.path[:0] = [str(HERE), str(HERE.parent)]  # bench_desk_db, pg

from bench_desk_db import fill  # noqa: E402
from sqlalchemy import bindparam, create_engine, text  # noqa: E402

from liyuan_tui.domain.clock import SystemClock  # noqa: E402
from liyuan_tui.domain.models import OPEN_STATUSES  # noqa: E402
from liyuan_tui.store import Store  # noqa: E402
from liyuan_tui.store.urls import normalize_url  # noqa: E402

T = TypeVar("T")
OPEN = re.compile(r"待处理 (\d+)")
SAMPLE = 0.1  # seconds between two looks at a desk's header
READY = 30.0  # seconds for the writers' processes to start and open their stores before the clock runs
SHOWN, CURRENT, CALL = 120.0, 60.0, 120.0  # seconds at most: a desk's first queue, catching up, one call


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return (
        ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))] if ordered else float("nan")
    )


def tmux(*args: str) -> str:
    return subprocess.run(["tmux", *args], capture_output=True, text=True, timeout=10).stdout


class Desk:
    """One desk in a tmux session of its own; its header's open count read on demand."""

    def __init__(self, name: str, url: str, login: str, env: dict[str, str]) -> None:
        self.name, self.login = name, login
        command = " ".join(
            [
                "exec env",
                *(f"{k}={v}" for k, v in env.items() if k.startswith(("LIYUAN_", "XDG_", "PYTHON"))),
                sys.executable,
                "-m liyuan_tui.cli",
                f"--db '{url}'",
                f"--user {login}",
            ]
        )
        tmux("new-session", "-d", "-s", name, "-x", "120", "-y", "40", command)
        self.pid = int(tmux("display", "-p", "-t", name, "#{pane_pid}").strip())
        self.samples: list[tuple[float, int]] = []

    def count(self) -> int | None:
        found = OPEN.search(tmux("capture-pane", "-p", "-t", self.name))
        return int(found.group(1)) if found else None

    def cpu_seconds(self) -> float:
        with open(f"/proc/{self.pid}/stat") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def wait_for(self, count: int, timeout: float) -> float | None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.count() == count:
                return time.time()
            time.sleep(SAMPLE)
        return None

    def close(self) -> None:
        tmux("kill-session", "-t", self.name)


def cli_writer(
    url: str,
    login: str,
    env: dict[str, str],
    start: float,
    until: float,
    calls: list[float],
    failed: list[str],
) -> None:
    """`liyuan log`, then `reply` and `step` on what it logged, until `until`: a process each call."""

    def liyuan(*args: str) -> str:
        t0 = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "liyuan_tui.cli", "--db", url, "--user", login, *args],
            capture_output=True,
            text=True,
            env=env,
            timeout=CALL,
        )
        calls.append(time.perf_counter() - t0)
        if done.returncode != 0:
            failed.append(f"{login} {args[0]}: {done.stderr.strip()[-200:]}")
        return done.stdout.strip()

    time.sleep(max(0.0, start - time.time()))
    n = 0
    while time.time() < until:
        n += 1
        ref = liyuan("log", "--category", "B", "--unit", f"{login}-{n}", "--phone", "13800000000")
        if ref and time.time() < until:
            liyuan("reply", ref)
        if ref and time.time() < until:
            liyuan("step", ref, "fault", "--value", "漏水")


def store_writer(
    url: str,
    login: str,
    env: dict[str, str],
    start: float,
    until: float,
    calls: list[float],
    failed: list[str],
) -> None:
    """A process of its own logging, replying and ticking a step in a loop through the store (what
    `liyuan log` / `reply` / `step` call, without a process start each): this script's --write."""
    done = subprocess.run(
        # (the URLs made here have no spaces)
        [sys.executable, __file__, *f"--write {login} --url {url} --start {start} --until {until}".split()]
        + ["--pace", env.get("TYPHOON_PACE", "0")],
        capture_output=True,
        text=True,
        env=env,
        timeout=until - time.time() + 3 * CALL,
    )
    if done.returncode != 0:
        failed.append(f"{login}: {done.stderr.strip()[-300:]}")
        return
    calls.extend(json.loads(done.stdout))


def write(url: str, login: str, start: float, until: float, pace: float) -> None:
    """--write: one writer's loop from `start` (opened before it) to `until`, a call every `pace`
    seconds at most (0: as fast as it can); prints every call's seconds (JSON)."""
    store = Store(url, SystemClock(), login)
    store.staff.ensure_identity()
    calls: list[float] = []
    calls_started: list[float] = []

    def timed(call: Callable[..., T], *args: object, **kwargs: object) -> T:
        time.sleep(max(0.0, pace - (time.perf_counter() - (calls_started[-1] if calls_started else 0.0))))
        calls_started.append(time.perf_counter())
        t0 = time.perf_counter()
        out = call(*args, **kwargs)
        calls.append(time.perf_counter() - t0)
        return out

    time.sleep(max(0.0, start - time.time()))
    n = 0
    while time.time() < until:
        n += 1
        unit = f"{login}-{n}"
        ref = timed(
            store.intake.create_request, category="B", unit=unit, phone="13800000000", complete=True
        ).ref
        if time.time() < until:
            timed(store.lifecycle.mark_replied, ref)
        if time.time() < until:
            timed(store.lifecycle.tick_step, ref, "fault", value="漏水")
    store.close()
    print(json.dumps(calls))


def created_since(url: str, first_id: int) -> tuple[list[datetime], int]:
    """Every request logged after event `first_id` (its event's time, in order) and the open count now."""
    engine = create_engine(normalize_url(url))
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT at FROM event WHERE kind = 'created' AND id > :first ORDER BY id"),
            {"first": first_id},
        ).all()
        still = conn.execute(
            text("SELECT count(*) FROM request WHERE status IN :open").bindparams(
                bindparam("open", expanding=True)
            ),
            {"open": list(OPEN_STATUSES)},
        ).scalar()
    engine.dispose()

    def when(value: object) -> datetime:
        at = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
        return at if at.tzinfo else at.replace(tzinfo=UTC)

    return [when(r[0]) for r in rows], int(still or 0)


def last_event(url: str) -> int:
    engine = create_engine(normalize_url(url))
    with engine.connect() as conn:
        return int(conn.execute(text("SELECT coalesce(max(id), 0) FROM event")).scalar() or 0)


def latencies(samples: list[tuple[float, int]], base: int, created: list[datetime]) -> list[float]:
    """For the k-th request logged: the first sample counting base + k open, less its event's time
    (read inside its transaction, once it held the write lock: its commit, a few ms later)."""
    out, i = [], 0
    for k, at in enumerate((c.timestamp() for c in created), start=1):
        while i < len(samples) and samples[i][1] < base + k:
            i += 1
        if i == len(samples):
            break
        out.append(samples[i][0] - at)
    return out


def current_since(samples: list[tuple[float, int]], count: int) -> float | None:
    """The first sample from which on the desk counted `count` open, every sample after it too."""
    since = None
    for at, seen in samples:
        since = (since or at) if seen == count else None
    return since


def night(args: argparse.Namespace, folder: Path) -> dict[str, object]:
    database = None
    if args.engine == "postgresql":
        import pg

        pg.need_cluster = lambda: None  # (a script: no pytest to skip with)
        if not pg.SOCKET:
            raise SystemExit("LIYUAN_TEST_PG: the socket folder of a cluster (.ci/postgres.sh start)")
        database = pg.create_database()
        url = pg.url(database)
    else:
        url = f"sqlite:///{folder / 'typhoon.db'}"
    desks: list[Desk] = []
    try:
        fill(url if database else folder / "typhoon.db", open_count=args.open)
        env = dict(
            os.environ,
            LIYUAN_LANG="zh",
            XDG_CONFIG_HOME=str(folder / "cfg"),
            XDG_DATA_HOME=str(folder / "data"),
            LIYUAN_CONFIG=str(folder / "etc.toml"),
            PYTHONPYCACHEPREFIX=str(folder / "pycache"),
            TYPHOON_PACE=str(args.pace),  # (for the writers' processes)
        )
        env.pop("LIYUAN_USER", None)
        sup = Store(url, SystemClock(), "sup")
        for login in [f"d{i}" for i in range(args.desks)] + [f"w{i}" for i in range(args.writers)]:
            sup.staff.add_staff(login, login.upper(), "assistant")
        sup.close()
        tag = f"typhoon-{os.getpid()}"
        desks = [Desk(f"{tag}-{i}", url, f"d{i}", env) for i in range(args.desks)]
        for desk in desks:
            if desk.wait_for(args.open, SHOWN) is None:
                raise SystemExit(
                    f"{desk.name} never showed {args.open} open: {tmux('capture-pane', '-p', '-t', desk.name)}"
                )
        subprocess.run(  # (the command line's modules byte-compiled before the clock starts)
            [sys.executable, "-m", "liyuan_tui.cli", "--db", url, "--user", "w0", "queue"],
            capture_output=True,
            env=env,
            timeout=CALL,
        )
        time.sleep(5)  # past the desks' start-up
        first_id = last_event(url)
        stop = threading.Event()

        def sample() -> None:
            while not stop.wait(SAMPLE):
                for desk in desks:
                    count = desk.count()
                    if count is not None:
                        desk.samples.append((time.time(), count))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        calls: list[float] = []
        failed: list[str] = []
        writer = cli_writer if args.cli_writers else store_writer
        t0 = time.time() + READY  # (the writers' processes opened their stores by then)
        until = t0 + args.seconds
        writers = [
            threading.Thread(target=writer, args=(url, f"w{i}", env, t0, until, calls, failed), daemon=True)
            for i in range(args.writers)
        ]
        for w in writers:
            w.start()
        time.sleep(max(0.0, t0 - time.time()))
        cpu0 = [d.cpu_seconds() for d in desks]
        time.sleep(max(0.0, until - time.time()))
        cpu = [(d.cpu_seconds() - c) / (time.time() - t0) for d, c in zip(desks, cpu0, strict=True)]
        for w in writers:
            w.join(3 * CALL)
        created, still_open = created_since(url, first_id)
        for d in desks:
            d.wait_for(still_open, CURRENT)
        time.sleep(1)
        stop.set()
        sampler.join(10)
        written = max((c.timestamp() for c in created), default=t0)
        result: dict[str, object] = {
            "engine": args.engine,
            "open_requests": args.open,
            "writers": args.writers,
            "pace_s": args.pace,
            "seconds": args.seconds,
            "writers_are": "liyuan processes, one a call"
            if args.cli_writers
            else "processes looping on the store",
            "logged": len(created),
            "calls": len(calls),
            "actions_per_s": round(len(calls) / args.seconds, 2),
            "call_p50_s": round(statistics.median(calls), 3) if calls else None,
            "call_p99_s": round(percentile(calls, 0.99), 3) if calls else None,
            "failed": failed[:5],
            "load_average": os.getloadavg()[0],
            "desks": [],
        }
        for desk, share in zip(desks, cpu, strict=True):
            done = current_since(desk.samples, still_open)
            lat = latencies(desk.samples, args.open, created)
            result["desks"].append(  # type: ignore[union-attr]
                {
                    "desk": desk.login,
                    "shown": len(lat),
                    "p50_s": round(statistics.median(lat), 2) if lat else None,
                    "p95_s": round(percentile(lat, 0.95), 2) if lat else None,
                    "max_s": round(max(lat), 2) if lat else None,
                    "current_after_last_write_s": round(done - written, 2) if done else None,
                    "cpu_core": round(share, 3),
                }
            )
        return result
    finally:
        for desk in desks:
            desk.close()
        if database:
            import pg

            pg.drop_database(database)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--engine", choices=("postgresql", "sqlite"))
    parser.add_argument("--open", type=int, default=1500)
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--desks", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument(
        "--pace",
        type=float,
        default=0.0,
        help="seconds between a writer's calls at least (0: as fast as it can)",
    )
    parser.add_argument("--cli-writers", action="store_true", help="each write a `liyuan` process")
    parser.add_argument("--write", metavar="LOGIN", help=argparse.SUPPRESS)  # (a writer's own process)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--start", type=float, help=argparse.SUPPRESS)
    parser.add_argument("--until", type=float, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.write:
        write(args.url, args.write, args.start, args.until, args.pace)
        return
    if args.engine is None:
        parser.error("--engine postgresql|sqlite")
    with tempfile.TemporaryDirectory(prefix="typhoon-") as folder:
        print(json.dumps(night(args, Path(folder)), ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()

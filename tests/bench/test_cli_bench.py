"""A program calling the desk (a phone system, cron, a script): `liyuan queue --json`, `show REF`,
`log …` and `liyuan --help`, each a fresh process as it would be, beside a bare
`python -c "import sqlmodel"` in the same run — the floor of any program that reads the desk's
tables. Runs in turn (hyperfine-like: a warm-up, then rounds of every command and the baseline),
byte-compiled as a site install is (README), medians of RUNS. The figure is the process's CPU
time (user and system: what starting costs, which other work on a busy machine does not stretch);
the wall times are printed beside it.

    uv run pytest tests/bench/test_cli_bench.py -s           (LIYUAN_BENCH_SIZE=full: 20 rounds)

Issue 23 aims at 1.1× for queue --json, show and log. Measured here (small size, CPU time, a
2-core machine at a load of 8–13): before, 1.77×, 1.89×, 1.72× (and --help 1.67×: every table,
area and command module was imported to print the usage); now 1.40–1.43×, 1.65×, 1.36–1.47×, and
--help 0.2×. A command imports only what it uses: the store's areas are made on first use
(store/areas.py) and import their own tables, so queue --json and log declare models.py's tables
alone, show those of the request's receipts, work orders and follow-up calls too. What remains
is the ORM itself: declaring models.py's ten SQLModel tables costs about 45 ms beside sqlmodel's
380 ms (pydantic's schema for each, SQLAlchemy's mapping), SQLite's dialect, opening and the
first query about 30 ms more; 1.1× would need the command line to read without the ORM's tables.
Bound: 1.75× at full size, 2.2× small. Whatever the time, these commands must not import
Textual, Rich or Alembic (checked with -X importtime).
"""

from __future__ import annotations

import resource
import subprocess
import sys
import time

import pytest
from bench_desk_db import fill
from bench_sizing import median, sized

RUNS = sized(5, 20)
WAIT = 60.0  # seconds at most for one call
NOT_FOR_A_CALL = ("textual", "rich", "alembic")


def call(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    done = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=WAIT, check=False)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    assert done.returncode == 0, f"{argv[3:]}: exit {done.returncode}\n{done.stderr[-2000:]}"
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


@pytest.fixture(scope="module")
def calls(tmp_path_factory, compiled):
    """Every command's and the baseline's (wall, CPU) seconds, measured once for the module."""
    folder = tmp_path_factory.mktemp("cli")
    db = folder / "desk.db"
    fill(db, open_count=200, closed_count=sized(2_000, 100_000))
    env = dict(compiled, LIYUAN_LANG="en", XDG_CONFIG_HOME=str(folder / "cfg"), XDG_DATA_HOME=str(folder))
    env["LIYUAN_CONFIG"] = str(folder / "etc-config.toml")
    env.pop("LIYUAN_USER", None)
    liyuan = [sys.executable, "-m", "liyuan_tui.cli"]
    desk = ["--db", str(db), "--user", "ann"]
    ref = (
        subprocess.run(
            [*liyuan, *desk, "queue", "--json"],
            env=env,
            capture_output=True,
            text=True,
            timeout=WAIT,
            check=True,
        )
        .stdout.split('"ref": "', 1)[1]
        .split('"', 1)[0]
    )
    commands = {
        "queue --json": [*liyuan, *desk, "queue", "--json"],
        "show": [*liyuan, *desk, "show", ref],
        "log": [*liyuan, *desk, "log", "--category", "repair", "--unit", "1-101", "--phone", "13900000000"],
        "--help": [*liyuan, "--help"],
    }
    baseline = [sys.executable, "-c", "import sqlmodel"]
    for argv in [baseline, *commands.values()]:  # warm-up: byte-code written, files in the page cache
        call(argv, env)
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in ["import sqlmodel", *commands]}
    for _ in range(RUNS):
        times["import sqlmodel"].append(call(baseline, env))
        for name, argv in commands.items():
            times[name].append(call(argv, env))
    imported = {
        name: subprocess.run(
            [argv[0], "-X", "importtime", *argv[1:]], env=env, capture_output=True, text=True, timeout=WAIT
        ).stderr
        for name, argv in commands.items()
    }
    return times, imported


@pytest.mark.parametrize("command", ["queue --json", "show", "log", "--help"])
def test_a_call_beside_import_sqlmodel(calls, command, figure):
    times, imported = calls
    wall, floor = [w for w, _ in times[command]], [w for w, _ in times["import sqlmodel"]]
    print(
        f"\nliyuan {command}: wall median {median(wall) * 1000:.0f} ms, fastest {min(wall) * 1000:.0f} ms; "
        f"import sqlmodel {median(floor) * 1000:.0f} ms, {min(floor) * 1000:.0f} ms"
        f" (ratios {median(wall) / median(floor):.2f}x, {min(wall) / min(floor):.2f}x)"
    )
    modules = {line.rsplit("|", 1)[-1].strip() for line in imported[command].splitlines() if "|" in line}
    pulled = sorted(m for m in modules if m.split(".")[0] in NOT_FOR_A_CALL)
    assert not pulled, f"liyuan {command} imports {pulled[:5]}"
    figure(
        f"liyuan {command}, a fresh process: its CPU time (median of {RUNS})",
        median([c for _, c in times[command]]),
        median([c for _, c in times["import sqlmodel"]]),
        "s",
        baseline_is='python -c "import sqlmodel"',
        small=2.2,
        full=1.75,
    )

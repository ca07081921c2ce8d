"""A program calling the desk (a phone system, cron, a script): `liyuan queue --json`, `show REF`,
`log …` and `liyuan --help`, each a fresh process as it would be, beside a bare
`python -c "import sqlmodel"` in the same run — the floor of any program that reads the desk's
tables. Runs in turn (hyperfine-like: a warm-up, then rounds of every command and the baseline),
byte-compiled as a site install is (README), medians of RUNS. The figure is the process's CPU
time (user and system: what starting costs, which other work on a busy machine does not stretch);
the wall times are printed beside it.

    uv run pytest tests/bench/test_cli_bench.py -s           (LIYUAN_BENCH_SIZE=full: 20 rounds)

Issue 23 aims at 1.1× for queue --json, show and log. Measured here (small size, CPU time, a
2-core machine shared with others): at first 1.77×, 1.89×, 1.72× (and --help 1.67×: every table,
area and command module was imported to print the usage); then, each command importing only
what it uses (the store's areas made on first use, store/areas.py), 1.40–1.45×, 1.65–1.72×,
1.36–1.47×, --help 0.2×. Then queue --json and show read without the ORM (store/glance.py:
SQLAlchemy Core and plain SQL against the tables they read, rows as the ORM gives them), so they
import neither SQLModel nor pydantic nor the desk's tables: 0.73–0.84× small, 0.80–0.81× full
(load 3–5). `log` stayed at 1.29–1.47×: every write is the kernel's (one transaction, one event:
store/kernel.py), which was the ORM's, and `import sqlmodel` is the whole of the baseline, so
declaring models.py's tables (about 42 ms), the kernel's modules (23 ms), the parser (8 ms), the
procedures (8 ms), SQLite's dialect and the ORM's first statements (about 40 ms) all came on
top. Now the kernel's transaction is a SQLAlchemy Core connection: who acts, the rules in force,
the month's number, the repair it repeats and the event are read and written with Core and plain
SQL (store/rows.py), the same kernel and the same statements for every writer, and the ORM's
session is opened on that connection only by an action that asks for it (a major case's page
does, for the pager's tables) — so `log` imports no SQLModel, pydantic, ORM or tables either:
0.77× small, 0.78× full (304 ms against 392 ms, load 2; main's code in the same hour: 1.37×
small), 0.74–0.76× by hand (11 rounds, load 3).
Installed as the README says (compiled) and run by a desk login that cannot write root's
__pycache__, before the change: queue --json 0.81×, show 0.81×, log 1.38×, --help 0.16× (by
hand, 7 rounds, load 7).
Bounds: queue --json, show and log 1.1× at full size (1.3× small, slack for a loaded machine:
the small run takes 3 rounds); --help 0.5×. Whatever the time, these commands import no Textual,
Rich or Alembic, and none of the three SQLModel, pydantic or the ORM either (checked with
-X importtime; tests/test_import_hygiene.py checks the same in the suite).
"""

from __future__ import annotations

import resource
import subprocess
import sys
import time

import pytest
from bench_desk_db import fill
from bench_sizing import median, sized

RUNS = sized(3, 20)
WAIT = 60.0  # seconds at most for one call
NOT_FOR_A_CALL = ("textual", "rich", "alembic")
NO_ORM = ("sqlmodel", "pydantic", "sqlalchemy.orm")  # queue --json, show, log: store/glance.py, store/rows.py
# (full size, small size) bounds of each command's ratio to `import sqlmodel`
BOUNDS = {"queue --json": (1.1, 1.3), "show": (1.1, 1.3), "log": (1.1, 1.3), "--help": (0.5, 0.5)}


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
    if command in ("queue --json", "show", "log"):
        orm = sorted(m for m in modules if m.startswith(NO_ORM))
        assert not orm, f"liyuan {command} imports {orm[:5]}"
    full, small = BOUNDS[command]
    figure(
        f"liyuan {command}, a fresh process: its CPU time (median of {RUNS})",
        median([c for _, c in times[command]]),
        median([c for _, c in times["import sqlmodel"]]),
        "s",
        baseline_is='python -c "import sqlmodel"',
        small=small,
        full=full,
    )

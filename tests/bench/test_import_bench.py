"""`liyuan import` of a 200,000-row logbook (20,000 at the small size) vs a bare executemany of the
same rows, in the same run.

    uv run pytest tests/bench/test_import_bench.py -s        (LIYUAN_BENCH_SIZE=full for 200,000 rows)

Each side runs in its own process on its own fresh database (the schema from the Store), and
reports its wall time and its peak resident memory (ru_maxrss). The import is what a supervisor
runs: the file read, every cell checked, duplicates looked for in the file and the database, the
refs numbered in order of reception, one transaction, one event. The baseline reads the same CSV
with the csv module and inserts the rows as they are with one sqlite3 executemany, no checks.
Bounds: time ≤ 3 × the baseline's at full size (measured 27 s for 200,000 rows), ≤ 10 × at the
small size (where the desk's start, its parser and its checks of the database weigh on 20,000
rows: 6.3-6.9 × measured on a quiet machine, now that the command imports the store in its timed
run rather than before it). At full size also peak ≤ 300 MB (the import once took 1.9 GB here,
9.5 KB a row; measured 97 MB); at the small size a child's peak is its parent's, which Linux
hands on across fork and exec, so it is not asserted. Each process has a timeout, so a stuck
import fails the bench.
"""

from __future__ import annotations

import csv
import json
import random
import subprocess
import sys
from datetime import datetime, timedelta

from bench_sizing import FULL, TIMEOUT, sized

from liyuan_tui.domain.clock import SystemClock
from liyuan_tui.store import Store

ROWS = sized(20_000, 200_000)
MAX_MB = 300
CATEGORIES = (
    "A",
    "repair",
    "repair",
    "complaint",
    "consultation",
    "consultation",
    "security",
    "other",
    "报修求助",
)


def _logbook(path) -> None:
    """A logbook of three years, in no particular order (several clerks typed it up)."""
    rng = random.Random(12)
    start = datetime(2023, 1, 1)
    with open(path, "w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(
            (
                "category",
                "received_at",
                "replied_at",
                "closed_at",
                "unit",
                "phone",
                "name",
                "channel",
                "description",
                "outcome",
                "handled_by",
                "escalated",
                "major",
                "handed_to",
            )
        )
        for i in range(ROWS):
            received = start + timedelta(minutes=rng.randrange(3 * 365 * 24 * 60), seconds=i % 60)
            replied = received + timedelta(seconds=rng.randint(20, 1800))
            closed = replied + timedelta(minutes=rng.randint(5, 600)) if rng.random() < 0.9 else None
            out.writerow(
                (
                    rng.choice(CATEGORIES),
                    f"{received:%Y-%m-%d %H:%M:%S}",
                    f"{replied:%Y-%m-%d %H:%M:%S}",
                    f"{closed:%Y-%m-%d %H:%M:%S}" if closed else "",
                    f"{rng.randint(1, 30)}栋{rng.randint(101, 2504)}",
                    f"139{rng.randint(10000000, 99999999)}",
                    rng.choice(("王先生", "李女士", "陈伯", "")),
                    rng.choice(("phone", "walk-in", "电话")),
                    f"厨房水管漏水,地上有积水 {i}",
                    "已处理" if closed else "",
                    rng.choice(("sup", "周敏", "")),
                    rng.choice(("", "", "", "是")),
                    rng.choice(("", "", "", "", "1")),
                    rng.choice(("", "", "工程部")) if closed else "",
                )
            )


def _fresh(path) -> str:
    store = Store(f"sqlite:///{path}", SystemClock(), "sup", create=True)
    store.init_schema()
    store.staff.ensure_identity()
    store.close()
    return f"sqlite:///{path}"


IMPORT = """
import json, os, resource, sys, time
from liyuan_tui.cli import main
t0 = time.perf_counter()
code = main(["import", sys.argv[1], "--db", sys.argv[2], "--user", "sup", "--lang", "en"])
seconds = time.perf_counter() - t0
print(json.dumps({"code": code, "seconds": seconds, "peak_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}),
      file=sys.stderr)
"""

BARE = """
import csv, json, resource, sqlite3, sys, time
t0 = time.perf_counter()
con = sqlite3.connect(sys.argv[2].removeprefix("sqlite:///"))
with open(sys.argv[1], encoding="utf-8", newline="") as f:
    reader = csv.reader(f)
    next(reader)
    rows = [(f"bare-{i}", c[1][:7].replace("-", ""), -i, c[0], c[7], c[6], c[4], c[5], c[8], c[1], c[1], c[2] or None,
             c[3] or None, c[9], "closed" if c[3] else "replied", c[10], c[13], 1, c[12] == "1", False, "main", "", "",
             "") for i, c in enumerate(reader, 1)]
con.executemany(
    "INSERT INTO request (ref, ref_month, ref_seq, category, channel, requester_name, unit, phone, description,"
    " received_at, reply_due_at, replied_at, closed_at, outcome, status, created_by, handed_to, version, major,"
    " confidential, estate, branches, outcome_kind, assignee)"
    " VALUES (" + ",".join("?" * 24) + ")", rows)
con.commit()
seconds = time.perf_counter() - t0
print(json.dumps({"code": 0, "seconds": seconds, "peak_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}),
      file=sys.stderr)
"""


def _run(script: str, *args: str, env: dict[str, str]) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", script, *args],
        capture_output=True,
        text=True,
        timeout=TIMEOUT / 3,
        check=False,
        env=env,
    )
    assert done.stderr.strip(), f"no figures: exit {done.returncode}"
    figures = json.loads(done.stderr.strip().splitlines()[-1])
    assert figures["code"] == 0, done.stderr
    return figures


def test_import_in_bounded_memory_within_three_times_a_bare_insert(tmp_path, compiled, figure):
    csv_path = tmp_path / "logbook.csv"
    _logbook(csv_path)
    # Its byte-code written, as installed: the command run once on a few rows (importing the CLI
    # alone no longer warms the store, which a command now imports only when it needs it).
    few = tmp_path / "few.csv"
    few.write_text(
        "".join(csv_path.read_text(encoding="utf-8").splitlines(keepends=True)[:4]), encoding="utf-8"
    )
    _run(IMPORT, str(few), _fresh(tmp_path / "warm.db"), env=compiled)
    bare = _run(BARE, str(csv_path), _fresh(tmp_path / "bare.db"), env=compiled)
    desk = _run(IMPORT, str(csv_path), _fresh(tmp_path / "desk.db"), env=compiled)
    peak_mb = desk["peak_kb"] / 1024
    print(f"\nliyuan import peak {peak_mb:.0f} MB; the bare insert's {bare['peak_kb'] / 1024:.0f} MB")
    figure(
        f"liyuan import of {ROWS:,} rows",
        desk["seconds"],
        bare["seconds"],
        "s",
        baseline_is="the same rows through one bare sqlite3 executemany",
        small=10.0,
        full=3.0,
    )
    if FULL:
        assert peak_mb <= MAX_MB

"""An idle desk in a real pseudo-terminal with 200 open requests and 500 open work orders ticking,
beside the bare Textual app (baseline_app.py --tick: textual and sqlmodel imported, a 200-row
DataTable whose countdown cells the stock `update_cell` updates once a second), measured in turn
(side by side over one window at the small size: live_desk.idle_together).

    uv run pytest tests/bench/test_desk_idle_bench.py -s                          (small: the suite's)
    LIYUAN_BENCH_SIZE=full uv run pytest tests/bench/test_desk_idle_bench.py -s   (issue 23's figure)

Issue 23 asks for at most 1.5 % of a core, where the stock app took 6.8 % on its machine; on this
2-core one the stock app takes 3.6-4.6 %, so 1.5 % is about 0.35× it: the full-size bound (measured
0.23-0.30×, 1.0-1.2 % of a core, under a load of 3-5); small, 0.75×. The figure printed is the
share of a core too.
"""

from __future__ import annotations

import sys
from pathlib import Path

from bench_desk_db import fill
from bench_sizing import median, sized
from live_desk import idle_together
from pty_app import PtyApp

HERE = Path(__file__).parent


def test_idle_cpu_with_200_open_requests_and_500_work_orders(tmp_path, bench_env, figure):
    seconds, runs = sized(5.0, 15.0), sized(1, 3)
    desk_runs, base_runs = [], []
    bare = [sys.executable, str(HERE / "baseline_app.py"), "200", "--tick"]
    for run in range(runs):  # in turn, so a busy moment of the machine slows both alike
        db = tmp_path / f"idle{run}.db"  # (filled afresh: every countdown still minutes from its warning)
        fill(db, open_count=200, order_count=500)
        desk = [sys.executable, "-m", "liyuan_tui.cli", "--db", str(db), "--user", "ann"]
        (desk_cpu, _), (base_cpu, _) = idle_together(
            [
                lambda desk=desk: PtyApp([], bench_env, command=desk),
                lambda: PtyApp([], bench_env, command=bare),
            ],
            settle=3,  # past start-up work and the first look
            seconds=seconds,
        )
        desk_runs.append(desk_cpu)
        base_runs.append(base_cpu)
    print(f"\nidle runs: desk {[f'{x:.2%}' for x in desk_runs]}, bare app {[f'{x:.2%}' for x in base_runs]}")
    figure(
        f"idle CPU, 200 open requests and 500 open work orders ticking (median of {runs}, {seconds:g} s each)",
        median(desk_runs),
        median(base_runs),
        "core",
        baseline_is="the bare app's stock update_cell, 200 rows",
        small=0.75,
        full=0.35,
    )

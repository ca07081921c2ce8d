"""Two supervisors at two terminals issue the same tools at the same moment: real processes on one
SQLite file, released together for each tool. For every tool one wins, and the other is told who
holds it — never two holders, never "database is locked"."""

from __future__ import annotations

import subprocess
import sys

ISSUER = """
import sys, time
from pathlib import Path
from liyuan_tui.domain.clock import SystemClock
from liyuan_tui.domain.errors import StaleError
from liyuan_tui.store import Store
st = Store(sys.argv[1], SystemClock(), sys.argv[2])
st.kernel.ready()
gates, to = Path(sys.argv[3]), sys.argv[4]
for code in sys.argv[5:]:
    print("at", code, flush=True)
    while not (gates / code).exists():  # both supervisors are released together, tool by tool
        time.sleep(0.0005)
    try:
        st.tools.issue(code, to)
        print(code, "issued", flush=True)
    except StaleError as exc:
        print(code, "refused:", exc, flush=True)
"""


def test_two_supervisors_issuing_the_same_tool_at_once(staff, db_url, tmp_path):
    sup = staff["cs_supervisor"]
    sup.staff.add_staff("sup2", "Second supervisor", "cs_supervisor")
    codes = [f"T{i:02d}" for i in range(20)]
    for code in codes:
        sup.tools.add_tool(code, f"工具 {code}")
    gates = tmp_path / "gates"
    gates.mkdir()
    procs = {
        to: subprocess.Popen(
            [sys.executable, "-c", ISSUER, db_url, login, str(gates), to, *codes],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for login, to in (("sup", "tech"), ("sup2", "eng"))
    }
    said: dict[str, dict[str, str]] = {}
    for code in codes:
        for p in procs.values():
            assert p.stdout is not None and p.stdout.readline().strip() == f"at {code}"
        (gates / code).touch()
        for to, p in procs.items():
            line = p.stdout.readline().strip()  # type: ignore[union-attr]
            issued, outcome = line.split(" ", 1)
            assert issued == code, line
            said.setdefault(code, {})[to] = outcome
    for p in procs.values():
        _, err = p.communicate(timeout=60)
        assert p.returncode == 0 and "locked" not in err, err
    holders = {v.tool.code: v.tool.holder for v in sup.tools.list_tools()}
    for code in codes:
        outcomes = said[code]
        winner = [to for to, outcome in outcomes.items() if outcome == "issued"]
        assert len(winner) == 1, outcomes  # exactly one of the two issued it
        [loser] = [to for to in outcomes if to != winner[0]]
        assert outcomes[loser].startswith("refused:") and f"out with {winner[0]}" in outcomes[loser]
        assert holders[code] == winner[0]

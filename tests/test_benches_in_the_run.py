"""Nothing is left out of CI: `.ci/run` runs `uv run pytest` (the README's command), then what it
leaves (tests/two_runs.py: its selection's exact complement, "e2e or bench") as two runs side by
side, the end-to-end tests and `uv run pytest tests/bench`, which collects every bench there at its
small size, marked `bench` — nothing in the configuration leaves one out — and fails if either
fails."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

from two_runs import FIRST_RUN, SECOND_RUN

ROOT = Path(__file__).resolve().parents[1]


def test_ci_runs_the_readme_command_and_then_what_it_leaves():
    ci = (ROOT / ".ci" / "run").read_text()
    lines = [line.strip() for line in ci.splitlines()]
    readme_run = lines.index("uv run pytest")
    # then the end-to-end tests and the benches side by side, and the run fails if either fails
    bench = lines.index('uv run pytest tests/bench -n 1 >"$bench_log" 2>&1 &')
    e2e = lines.index("uv run pytest -m e2e || e2e_status=$?")
    assert readme_run < bench < e2e, (readme_run, bench, e2e)
    assert 'wait "$bench_pid" || bench_status=$?' in lines[e2e:]
    assert lines[-1] == '[ "$e2e_status" = 0 ] && [ "$bench_status" = 0 ]', lines[-1]
    assert "set -euo pipefail" in lines
    assert SECOND_RUN == "e2e or bench"  # what the last two run between them
    assert "not bench" not in ci and "--ignore" not in ci and "--deselect" not in ci
    assert f"not ({SECOND_RUN})" == FIRST_RUN  # the two together: every test, once
    readme = (ROOT / "README.md").read_text()
    assert "uv run pytest" in readme


def test_the_second_run_collects_every_bench():
    benches = sorted(p.name for p in (ROOT / "tests" / "bench").glob("test_*.py"))
    assert len(benches) >= 15, benches
    # Every run starts from testpaths; what the second run collects under tests/bench, with its own
    # options (addopts, markers, conftest), is what this collects (only there: the rest of the
    # tree's modules need not be imported to see it).
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["pytest"]["ini_options"]
    assert config["testpaths"] == ["tests"], config["testpaths"]
    assert not {"-m", "--ignore", "--deselect", "-k"} & set(config["addopts"].split()), config["addopts"]
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-n", "0", "-m", SECOND_RUN, "tests/bench"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    collected = {line.split("::")[0].rsplit("/", 1)[-1] for line in done.stdout.splitlines() if "::" in line}
    assert set(benches) <= collected, sorted(set(benches) - collected)

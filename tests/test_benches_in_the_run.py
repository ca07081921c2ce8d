"""The benches cannot rot unseen: `uv run pytest` (what `.ci/run` runs) collects every bench in
tests/bench, at its small size, marked `bench` — nothing in the configuration leaves them out."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_default_run_collects_every_bench():
    benches = sorted(p.name for p in (ROOT / "tests" / "bench").glob("test_*.py"))
    assert len(benches) >= 15, benches
    # The default run starts from testpaths; what it collects under tests/bench, with its own
    # options (addopts, markers, conftest), is what this collects (only there: the rest of the
    # tree's modules need not be imported to see it).
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["pytest"]["ini_options"]
    assert config["testpaths"] == ["tests"], config["testpaths"]
    assert not {"-m", "--ignore", "--deselect", "-k"} & set(config["addopts"].split()), config["addopts"]
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-n", "0", "-m", "bench", "tests/bench"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    collected = {line.split("::")[0].rsplit("/", 1)[-1] for line in done.stdout.splitlines() if "::" in line}
    assert set(benches) <= collected, sorted(set(benches) - collected)
    ci = (ROOT / ".ci" / "run").read_text()
    assert "uv run pytest\n" in ci and "not bench" not in ci and "--ignore" not in ci

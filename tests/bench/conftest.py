"""The benches' fixtures: the environment of a desk run in a pseudo-terminal, and the bare Textual
app it is measured against. Their size, timeouts and figures: tests/bench_sizing.py."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent.parent / "ui"))  # pty_app

HERE = Path(__file__).parent


@pytest.fixture(scope="session")
def compiled(tmp_path_factory) -> dict[str, str]:
    """What a program the benches start needs to run byte-compiled, as a site install does (README):
    a byte-code folder of the run's own (never a __pycache__ in the checkout), written by a warm-up
    run and read by every run after it, the desk's and its baseline's alike."""
    env = dict(os.environ, PYTHONPYCACHEPREFIX=str(tmp_path_factory.mktemp("pycache")))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


@pytest.fixture
def bench_env(tmp_path, compiled) -> dict[str, str]:
    env = dict(compiled)
    env.update(
        XDG_CONFIG_HOME=str(tmp_path / "cfg"),
        XDG_DATA_HOME=str(tmp_path / "data"),
        LIYUAN_LANG="en",
        LIYUAN_CONFIG=str(tmp_path / "etc-config.toml"),
    )
    for name in ("LIYUAN_USER", "LIYUAN_PROCEDURES"):
        env.pop(name, None)
    return env


@pytest.fixture
def baseline_command():
    def command(rows: int, tick: bool = False) -> list[str]:
        return [sys.executable, str(HERE / "baseline_app.py"), str(rows), *(["--tick"] if tick else [])]

    return command

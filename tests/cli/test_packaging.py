"""The wheel really ships screens/ and data/: build it, install it into a fresh virtual
environment, and run `liyuan check` there."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_the_wheel_installs_and_runs_check(tmp_path):
    uv = shutil.which("uv")
    if uv is None:
        pytest.skip("uv is needed to build the wheel")
    dist = tmp_path / "dist"
    subprocess.run([uv, "build", "--wheel", "--out-dir", str(dist), str(ROOT)], check=True,
                   capture_output=True, timeout=300)
    wheel = next(dist.glob("liyuan_tui-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "liyuan_tui/data/procedures/medical.toml" in names
    assert "liyuan_tui/data/messages/core.toml" in names
    assert "liyuan_tui/screens/__init__.py" in names
    for revision in (ROOT / "liyuan_tui" / "store" / "migrations" / "versions").glob("*.py"):  # the schema's history
        assert f"liyuan_tui/store/migrations/versions/{revision.name}" in names
    assert "liyuan_tui/store/migrations/env.py" in names
    stylesheets = [p.relative_to(ROOT) for p in (ROOT / "screens").glob("*.tcss")]
    assert "liyuan_tui/app.tcss" in names
    for sheet in stylesheets:  # each screen's own stylesheet ships beside it
        assert f"liyuan_tui/screens/{sheet.name}" in names
    assert not any(n.startswith("screens/") or n.startswith("data/") for n in names)
    for init in (ROOT / "liyuan_tui").rglob("__init__.py"):  # no subpackage forgotten in pyproject
        assert init.relative_to(ROOT).as_posix() in names

    venv = tmp_path / "venv"
    subprocess.run([uv, "venv", "--python", sys.executable, str(venv)], check=True, capture_output=True, timeout=120)
    py = venv / "bin" / "python"
    subprocess.run([uv, "pip", "install", "--python", str(py), str(wheel)], check=True, capture_output=True,
                   timeout=600)
    env = dict(os.environ, LIYUAN_DB=str(tmp_path / "w.db"), LIYUAN_LANG="en",
               XDG_DATA_HOME=str(tmp_path / "d"), XDG_CONFIG_HOME=str(tmp_path / "c"))
    env.pop("PYTHONPATH", None)
    check = subprocess.run([str(venv / "bin" / "liyuan"), "check"], env=env, capture_output=True, text=True,
                           timeout=120, cwd=tmp_path)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "7 procedures loaded" in check.stdout and "all good" in check.stdout
    screens = subprocess.run([str(py), "-c", "import liyuan_tui.screens, liyuan_tui.data; print('ok')"],
                             env=env, capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert screens.stdout.strip() == "ok", screens.stderr

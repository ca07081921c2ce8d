"""The layers, proven statically: import-linter's contracts (pyproject.toml) over the package as
it is installed — screens/ and data/ inside liyuan_tui — and a planted upward import must fail."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SKIP = shutil.ignore_patterns("__pycache__", "*.pyc")


def staged_package(tmp_path: Path) -> Path:
    """A copy of the package laid out as the wheel installs it (liyuan_tui.screens, .data)."""
    root = tmp_path / "staged"
    pkg = root / "liyuan_tui"
    shutil.copytree(ROOT / "liyuan_tui", pkg, ignore=SKIP)
    shutil.copytree(ROOT / "screens", pkg / "screens", ignore=SKIP)
    shutil.copytree(ROOT / "data", pkg / "data", ignore=SKIP)
    return root


def lint_imports(root: Path, tmp_path: Path) -> subprocess.CompletedProcess:
    code = "import sys; from importlinter.cli import lint_imports_command; sys.exit(lint_imports_command())"
    env = dict(os.environ, PYTHONPATH=str(root))
    return subprocess.run(
        [sys.executable, "-c", code, "--no-cache", "--no-logo", str(ROOT / "pyproject.toml")],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_import_contracts_hold(tmp_path):
    result = lint_imports(staged_package(tmp_path), tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout and "5 kept" in result.stdout


def test_an_upward_import_breaks_the_contract(tmp_path):
    root = staged_package(tmp_path)
    planted = root / "liyuan_tui" / "domain" / "deadlines.py"
    planted.write_text(planted.read_text() + "\nfrom liyuan_tui.store import Store  # planted\n")
    other = root / "liyuan_tui" / "screens" / "pages" / "queue.py"
    other.write_text(other.read_text() + "\nfrom .request import RequestScreen  # planted\n")
    dialog = root / "liyuan_tui" / "screens" / "dialogs" / "pick.py"
    dialog.write_text(dialog.read_text() + "\nfrom ..pages.queue import QueueScreen  # planted\n")
    result = lint_imports(root, tmp_path)
    assert result.returncode != 0
    assert "liyuan_tui.domain.deadlines -> liyuan_tui.store" in result.stdout
    assert "liyuan_tui.screens.pages.queue -> liyuan_tui.screens.pages.request" in result.stdout
    assert "liyuan_tui.screens.dialogs.pick -> liyuan_tui.screens.pages.queue" in result.stdout

"""The layers, proven statically: import-linter's contracts (pyproject.toml) over the package as
the tree lays it out — `liyuan_tui/screens` is a link to the top-level `screens/`, so the tools see
`liyuan_tui.screens` in the working tree as the wheel installs it — and a planted violation of
each contract must fail."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SKIP = shutil.ignore_patterns("__pycache__", "*.pyc")
LINT = "import sys; from importlinter.cli import lint_imports_command; sys.exit(lint_imports_command())"


def lint_imports(cwd: Path, *pythonpath: Path) -> subprocess.CompletedProcess[str]:
    """`lint-imports` as typed, run from `cwd` (the tree, or a planted copy of the package)."""
    env = dict(os.environ, PYTHONPATH=":".join(str(p) for p in pythonpath))
    return subprocess.run(
        [sys.executable, "-c", LINT, "--no-cache", "--no-logo", "--config", str(ROOT / "pyproject.toml")],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def planted(tmp_path: Path, plants: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """A copy of the package (the screens link followed) with `plants` appended to its modules
    (paths under liyuan_tui/; a module that is not there is made), linted."""
    root = tmp_path / "planted"
    shutil.copytree(ROOT / "liyuan_tui", root / "liyuan_tui", ignore=SKIP)
    for name, code in plants.items():
        module = root / "liyuan_tui" / name
        module.write_text((module.read_text() if module.exists() else "") + "\n" + code + "  # planted\n")
    return lint_imports(tmp_path, root)


def test_the_screens_link_is_the_top_level_folder():
    link = ROOT / "liyuan_tui" / "screens"
    assert link.is_symlink() and link.resolve() == (ROOT / "screens").resolve()


def test_the_import_contracts_hold_in_the_tree(tmp_path):
    result = lint_imports(ROOT, ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout and "Missing layer" not in result.stdout


def test_an_upward_import_breaks_the_layers(tmp_path):
    result = planted(
        tmp_path,
        {
            "domain/deadlines.py": "from liyuan_tui.store import Store",
            "screens/queue.py": "from .request import RequestScreen",
        },
    )
    assert result.returncode != 0
    assert "liyuan_tui.domain.deadlines -> liyuan_tui.store" in result.stdout
    assert "liyuan_tui.screens.queue -> liyuan_tui.screens.request" in result.stdout

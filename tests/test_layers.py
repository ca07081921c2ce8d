"""The layers and the design's other rules, proven statically: import-linter's contracts
(pyproject.toml) over the package as the tree lays it out — `liyuan_tui/screens` is a link to the
top-level `screens/`, so the tools see `liyuan_tui.screens` in the working tree as the wheel
installs it — and the house rules import-linter cannot see (tests/house_rules.py). A planted
violation of each contract and each rule must fail."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from house_rules import MAX_LINES, long_modules, violations

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
    assert "7 kept" in result.stdout  # the layers, pages, pages > parts > dialogs, textual, rich, db, door


def test_an_upward_import_breaks_the_layers(tmp_path):
    result = planted(
        tmp_path,
        {
            "domain/deadlines.py": "from liyuan_tui.store import Store",
            "screens/pages/queue.py": "from .request import RequestScreen",  # a page opening a page
            "screens/dialogs/pick.py": "from ..pages.queue import QueueScreen",  # a dialog opening a page
            "screens/parts/steps.py": "from ..pages.request import RequestScreen",  # a part opening a page
            "screens/dialogs/form.py": "from ..parts.charges import Charges",  # a dialog above a part
        },
    )
    assert result.returncode != 0
    assert "liyuan_tui.domain.deadlines -> liyuan_tui.store" in result.stdout
    assert "liyuan_tui.screens.pages.queue -> liyuan_tui.screens.pages.request" in result.stdout
    assert "liyuan_tui.screens.dialogs.pick -> liyuan_tui.screens.pages.queue" in result.stdout
    assert "liyuan_tui.screens.parts.steps -> liyuan_tui.screens.pages.request" in result.stdout
    assert "liyuan_tui.screens.dialogs.form -> liyuan_tui.screens.parts.charges" in result.stdout


# --- what the design says, beyond the layers (each contract broken once on purpose) --------------


def test_no_database_library_above_the_store(tmp_path):
    result = planted(
        tmp_path,
        {
            "domain/deadlines.py": "from sqlmodel import Session",  # the domain opening a session
            "screens/pages/queue.py": "import sqlalchemy",
            "cli/check.py": "import sqlite3",
            "reports/handover.py": "from sqlmodel import select",
            "widgets/store_work.py": "import psycopg",
            "app.py": "import alembic",
        },
    )
    assert result.returncode != 0
    broken = result.stdout[result.stdout.index("No database library above the store") :]
    for line in (
        "liyuan_tui.domain.deadlines -> sqlmodel",
        "liyuan_tui.screens.pages.queue -> sqlalchemy",
        "liyuan_tui.cli.check -> sqlite3",
        "liyuan_tui.reports.handover -> sqlmodel",
        "liyuan_tui.widgets.store_work -> psycopg",
        "liyuan_tui.app -> alembic",
    ):
        assert line in broken, line
    assert "liyuan_tui.domain.models -> sqlmodel" not in broken  # where the tables are declared


def test_nothing_outside_the_store_imports_the_kernel_or_the_engine(tmp_path):
    result = planted(
        tmp_path,
        {
            "cli/backup.py": "from liyuan_tui.store.kernel import Kernel",
            "app.py": "from liyuan_tui.store.engine import make_engine",
            "reports/stock.py": "from liyuan_tui.store import kernel",
        },
    )
    assert result.returncode != 0
    broken = result.stdout[result.stdout.index("Nothing outside the store reaches the kernel") :]
    for line in (
        "liyuan_tui.cli.backup -> liyuan_tui.store.kernel",
        "liyuan_tui.app -> liyuan_tui.store.engine",
        "liyuan_tui.reports.stock -> liyuan_tui.store.kernel",
    ):
        assert line in broken, line


def test_the_house_rules_hold_in_the_tree():
    assert violations(ROOT / "liyuan_tui") == []


def planted_rules(tmp_path: Path, plants: dict[str, str]) -> list[str]:
    """The house rules (tests/house_rules.py) on a copy of the package with `plants` appended."""
    package = tmp_path / "liyuan_tui"
    shutil.copytree(ROOT / "liyuan_tui", package, ignore=SKIP)
    for name, code in plants.items():
        module = package / name
        module.write_text(module.read_text() + "\n" + code + "\n")
    return violations(package)


def test_only_the_store_reaches_the_kernel_and_the_engine(tmp_path):
    found = planted_rules(
        tmp_path,
        {
            "cli/copy.py": "def sneak(ctx):\n    ctx.store.kernel.ready()",
            "screens/pages/queue.py": "def sneak(self):\n    return self.app.store.engine.url",
        },
    )
    assert any(v.startswith("cli/copy.py:") and "the-store-is-the-door: reaches .kernel" in v for v in found)
    assert any(v.startswith("screens/pages/queue.py:") and "reaches .engine" in v for v in found)


def test_database_errors_are_said_in_one_place(tmp_path):
    found = planted_rules(
        tmp_path,
        {
            "widgets/store_work.py": (
                "from sqlalchemy.exc import OperationalError\n"
                "def again(call):\n    try:\n        call()\n    except OperationalError:\n        pass"
            ),
            "store/lookup.py": (  # a second place inside the store is one too many as well
                "import sqlite3\n"
                "def again(call):\n    try:\n        call()\n    except sqlite3.OperationalError:\n        pass"
            ),
        },
    )
    rule = "one-place-for-database-errors"
    assert any(
        v.startswith("widgets/store_work.py:") and f"{rule}: imports sqlalchemy.exc" in v for v in found
    )
    assert any(
        v.startswith("widgets/store_work.py:") and f"{rule}: catches OperationalError" in v for v in found
    )
    assert any(
        v.startswith("store/lookup.py:") and f"{rule}: catches sqlite3.OperationalError" in v for v in found
    )


def test_no_lazy_import_dodges_the_contracts(tmp_path):
    found = planted_rules(
        tmp_path,
        {
            "cli/main.py": "import importlib\nKERNEL = importlib.import_module('liyuan_tui.store.kernel')",
            "app.py": "ENGINE = __import__('liyuan_tui.store.engine')",
        },
    )
    assert any(
        v.startswith("cli/main.py:") and "no-lazy-imports: calls importlib.import_module()" in v
        for v in found
    )
    assert any(v.startswith("app.py:") and "no-lazy-imports: calls __import__()" in v for v in found)


def test_one_clock(tmp_path):
    found = planted_rules(
        tmp_path,
        {
            "widgets/poller.py": "import time\ndef nap():\n    time.sleep(1)\n    return time.monotonic()",
            "store/lookup.py": "from datetime import datetime\ndef when():\n    return datetime.now()",
        },
    )
    assert any(v.startswith("widgets/poller.py:") and "one-clock: calls time.sleep()" in v for v in found)
    assert any(v.startswith("widgets/poller.py:") and "one-clock: calls time.monotonic()" in v for v in found)
    assert any(v.startswith("store/lookup.py:") and "one-clock: calls datetime.now()" in v for v in found)


def test_the_schemas_modules_declare_tables_and_open_no_session(tmp_path):
    found = planted_rules(tmp_path, {"domain/models.py": "from sqlmodel import Session, select"})
    assert any(
        v.startswith("domain/models.py:") and "schema-declares-tables-only: imports Session, select" in v
        for v in found
    )


def test_reports_read_through_the_typed_protocol(tmp_path):
    found = planted_rules(
        tmp_path,
        {"reports/stock.py": "from typing import Any\ndef sneak(store: Any) -> None:\n    store.kernel"},
    )
    assert any("reports-read-through-the-protocol: sneak(store: Any)" in v for v in found)


def test_no_test_file_is_over_400_lines():
    """The suite's files too (issue 19: no file over 400 lines)."""
    sprawling = [
        f"{path.relative_to(ROOT)}: {count} lines"
        for path in sorted((ROOT / "tests").rglob("*.py"))
        if (count := path.read_text(encoding="utf-8").count("\n")) > MAX_LINES
    ]
    assert sprawling == []


def test_no_module_is_over_400_lines(tmp_path):
    assert long_modules(ROOT / "liyuan_tui") == []
    package = tmp_path / "liyuan_tui"
    shutil.copytree(ROOT / "liyuan_tui", package, ignore=SKIP)
    (package / "store" / "sprawl.py").write_text("x = 1\n" * 401)
    (package / "screens" / "pages" / "sprawl.py").write_text("x = 1\n" * 401)
    (package / "widgets" / "sprawl.py").write_text("x = 1\n" * 401)
    with (package / "app.py").open("a") as app:
        app.write("x = 1\n" * 401)
    assert sorted(long_modules(package)) == [
        f"app.py: {(package / 'app.py').read_text().count(chr(10))} lines",
        "screens/pages/sprawl.py: 401 lines",
        "store/sprawl.py: 401 lines",
        "widgets/sprawl.py: 401 lines",
    ]

"""Layering at run time (DESIGN.md): only app.py, widgets/ and screens/ import textual; the
import-linter contracts in pyproject.toml prove the same statically (tests/test_layers.py).

All non-UI modules are imported one after the other in one fresh interpreter; textual appearing
in sys.modules right after an import names the module that pulled it in."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import liyuan_tui

UI = ("liyuan_tui.app", "liyuan_tui.widgets", "liyuan_tui.screens")


def non_ui_modules() -> list[str]:
    names = []
    for info in pkgutil.walk_packages(liyuan_tui.__path__, "liyuan_tui."):
        if any(info.name == ui or info.name.startswith(ui + ".") for ui in UI) or info.name.endswith(
            ".__main__"
        ):
            continue
        names.append(info.name)
    return names


def test_there_are_domain_modules_to_check():
    names = non_ui_modules()
    for expected in (
        "liyuan_tui.store",
        "liyuan_tui.domain.deadlines",
        "liyuan_tui.domain.procedures",
        "liyuan_tui.cli",
        "liyuan_tui.domain.models",
        "liyuan_tui.cli.requests",
        "liyuan_tui.store.kernel",
        "liyuan_tui.reports.month",
    ):
        assert expected in names


def test_no_textual_outside_the_ui():
    code = (
        "import importlib, sys\n"
        "for name in sys.argv[1:]:\n"
        "    importlib.import_module(name)\n"
        "    if any(m == 'textual' or m.startswith('textual.') for m in sys.modules):\n"
        "        print(name)\n"
        "        break\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, *non_ui_modules()], capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "", f"{out.stdout.strip()} pulls textual in"


def test_cli_subcommands_do_not_import_textual(tmp_path):
    code = (
        "import sys\n"
        "from liyuan_tui.cli import main\n"
        "assert main(['--db', sys.argv[1], 'init']) == 0\n"
        "rc = main(['--db', sys.argv[1], 'queue', '--json'])\n"
        "assert rc == 0, rc\n"
        "print(any(m.startswith('textual') for m in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "x.db")], capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == "False"


# (the end of a program's code: the modules a call of the desk's should not have imported)
PRINT_HEAVY = (
    "heavy = ('sqlmodel', 'pydantic', 'textual', 'rich', 'alembic')\n"
    "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy\n"
    "             or m.startswith('sqlalchemy.orm') or m == 'liyuan_tui.domain.models'))\n"
)


def test_a_program_reading_the_queue_or_a_request_does_not_import_the_orm(tmp_path):
    """`queue --json` and `show REF` read without the ORM (store/glance.py): a program calling the
    desk does not pay for SQLModel, pydantic, the ORM or the desk's tables (issue 23)."""
    db = str(tmp_path / "x.db")
    made = (
        "import sys\n"
        "from liyuan_tui.cli import main\n"
        "assert main(['--db', sys.argv[1], 'init']) == 0\n"
        "assert main(['--db', sys.argv[1], 'log', '--category', 'repair', '--unit', '1-101', '--phone', '139']) == 0\n"
    )
    logged = subprocess.run([sys.executable, "-c", made, db], capture_output=True, text=True, timeout=60)
    assert logged.returncode == 0, logged.stderr
    ref = logged.stdout.split()[-1]
    code = (
        "import sys\n"
        "from liyuan_tui.cli import main\n"
        "for argv in (['queue', '--json'], ['show', sys.argv[2]], ['show', sys.argv[2], '--json']):\n"
        "    assert main(['--db', sys.argv[1], *argv]) == 0, argv\n" + PRINT_HEAVY
    )
    out = subprocess.run([sys.executable, "-c", code, db, ref], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert ref in out.stdout
    assert out.stdout.strip().splitlines()[-1] == "[]"


def test_a_program_logging_a_request_does_not_import_the_orm(tmp_path):
    """`log` writes through the kernel with SQLAlchemy Core (store/rows.py): a phone system logging a
    call, and the repeat of an earlier repair found and named, pays for no SQLModel, pydantic, ORM
    or desk's tables (issue 23)."""
    db = str(tmp_path / "x.db")
    made = "import sys\nfrom liyuan_tui.cli import main\nassert main(['--db', sys.argv[1], 'init']) == 0\n"
    inited = subprocess.run([sys.executable, "-c", made, db], capture_output=True, text=True, timeout=60)
    assert inited.returncode == 0, inited.stderr  # (made in a process of its own: making imports the ORM)
    code = (
        "import sys\n"
        "from liyuan_tui.cli import main\n"
        "log = ['--db', sys.argv[1], 'log', '--category', 'repair', '--unit', '1-101', '--phone', '139']\n"
        "assert main(log) == 0\n"
        "assert main([*log, '--fault-kind', 'water']) == 0\n"
        "assert main([*log, '--fault-kind', 'water']) == 0\n" + PRINT_HEAVY
    )
    out = subprocess.run([sys.executable, "-c", code, db], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    *refs, modules = out.stdout.strip().splitlines()
    assert len(refs) == 3 and refs[1] in out.stderr  # the earlier repair, named
    assert modules == "[]"

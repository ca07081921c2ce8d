"""Layering (DESIGN.md): only app.py, widgets/ and screens/ import textual. Each other module is
imported in a fresh interpreter and must leave `textual` out of sys.modules."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import liyuan_tui

UI = ("liyuan_tui.app", "liyuan_tui.widgets", "liyuan_tui.screens")


def non_ui_modules() -> list[str]:
    names = []
    for info in pkgutil.walk_packages(liyuan_tui.__path__, "liyuan_tui."):
        if any(info.name == ui or info.name.startswith(ui + ".") for ui in UI):
            continue
        names.append(info.name)
    return names


def test_there_are_domain_modules_to_check():
    names = non_ui_modules()
    for expected in ("liyuan_tui.store", "liyuan_tui.deadlines", "liyuan_tui.procedures", "liyuan_tui.cli",
                     "liyuan_tui.models", "liyuan_tui.commands.requests"):
        assert expected in names


def test_no_textual_outside_the_ui():
    code = (
        "import importlib, sys\n"
        "bad = []\n"
        "for name in sys.argv[1:]:\n"
        "    before = set(sys.modules)\n"
        "    importlib.import_module(name)\n"
        "    if any(m == 'textual' or m.startswith('textual.') for m in sys.modules):\n"
        "        bad.append(name)\n"
        "        break\n"
        "print(','.join(bad))\n"
    )
    # One fresh interpreter per module: an import that pulls textual in is caught by name.
    offenders = []
    for name in non_ui_modules():
        out = subprocess.run([sys.executable, "-c", code, name], capture_output=True, text=True, timeout=60)
        assert out.returncode == 0, out.stderr
        if out.stdout.strip():
            offenders.append(name)
    assert offenders == []


def test_cli_subcommands_do_not_import_textual(tmp_path):
    code = (
        "import sys\n"
        "from liyuan_tui.cli import main\n"
        "rc = main(['--db', sys.argv[1], 'queue', '--json'])\n"
        "assert rc == 0, rc\n"
        "print(any(m.startswith('textual') for m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path / "x.db")], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == "False"

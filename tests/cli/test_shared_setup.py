"""The shared multi-user set-up (README): a group-owned folder with mode 2770, and `liyuan check`
reporting wrong permissions, an unreadable database and one held locked."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from cli_runner import run_liyuan


def liyuan(env, *args):
    return run_liyuan(env, *args)


@pytest.fixture
def shared(tmp_path, cli_env):
    folder = tmp_path / "srv-liyuan"
    folder.mkdir()
    os.chmod(folder, 0o3770)  # as `site init` makes it: setgid and sticky
    env = dict(cli_env, LIYUAN_DB=str(folder / "desk.db"))
    return folder, env


def test_the_shared_folder_set_up_checks_clean(shared):
    folder, env = shared
    os.umask(0o022)  # a typical login umask must not make the database world-readable
    assert liyuan(env, "init").returncode == 0
    assert liyuan(env, "log", "--category", "B", "--unit", "1", "--phone", "123").returncode == 0
    db = folder / "desk.db"
    assert stat.S_IMODE(db.stat().st_mode) == 0o660
    assert db.stat().st_gid == folder.stat().st_gid  # setgid folder: the group is shared
    check = liyuan(env, "check")
    assert check.returncode == 0, check.stdout
    assert "!" not in check.stdout and "✗" not in check.stdout


def test_check_reports_an_open_folder_and_a_world_readable_file(shared):
    folder, env = shared
    liyuan(env, "init")
    os.chmod(folder, 0o2777)
    os.chmod(folder / "desk.db", 0o664)
    check = liyuan(env, "check")
    assert check.returncode == 1
    assert "2770" in check.stdout and "chmod 660" in check.stdout
    assert "chmod +t" in check.stdout  # and a member could move it away


def test_check_reports_a_file_that_is_not_a_database(shared):
    folder, env = shared
    (folder / "desk.db").write_bytes(b"this is a spreadsheet, not a database" * 100)
    os.chmod(folder / "desk.db", 0o660)
    check = liyuan(env, "check")
    assert (
        check.returncode == 1
        and "not a database" in check.stdout
        and "Traceback" not in check.stdout + check.stderr
    )


def test_check_reports_an_unreadable_database(tmp_path, cli_env):
    """Run as a user without the right to read the file (as `nobody` when the tests run as root,
    since root reads every file)."""
    import shutil
    import tempfile

    base = Path(tempfile.mkdtemp(dir="/tmp"))
    try:
        os.chmod(base, 0o755)
        folder = base / "desk"
        folder.mkdir()
        os.chmod(folder, 0o711)  # others may pass through, not list
        env = dict(
            cli_env,
            LIYUAN_DB=str(folder / "desk.db"),
            XDG_CONFIG_HOME=str(base / "c"),
            XDG_DATA_HOME=str(base / "d"),
            HOME=str(base),
            LIYUAN_CONFIG=str(base / "none.toml"),
        )
        assert liyuan(env, "init").returncode == 0
        if os.geteuid() == 0:
            prefix = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"]
            if shutil.which("setpriv") is None:
                pytest.skip("setpriv is needed to run as another user")
        else:
            prefix = []
            os.chmod(folder / "desk.db", 0o000)
        check = subprocess.run(
            [*prefix, sys.executable, "-m", "liyuan_tui.cli", "check"],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            cwd=base,
        )
        assert check.returncode == 1, check.stdout + check.stderr
        assert "cannot read the database file" in check.stdout and "Traceback" not in check.stderr
    finally:
        shutil.rmtree(base, ignore_errors=True)


HOLDER = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
time.sleep(60)
"""


@pytest.mark.e2e
def test_check_reports_a_database_held_locked(shared):
    folder, env = shared
    liyuan(env, "init")
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(folder / "desk.db")], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        started = time.monotonic()
        check = liyuan(env, "check")
        assert check.returncode == 1 and "locked" in check.stdout, check.stdout + check.stderr
        assert time.monotonic() - started < 30
    finally:
        holder.kill()
        holder.wait()

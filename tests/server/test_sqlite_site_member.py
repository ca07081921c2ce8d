"""A SQLite site against one of its own group members: the folder's sticky bit keeps them from
moving the root-owned desk.db away, and `liyuan init` at the site's path is for root only — so a
member cannot put a database of their own, with themselves its supervisor, where every desk looks."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import tempfile
import uuid
from pathlib import Path

import pytest
from cli_runner import run_liyuan
from os_logins import run_as, throwaway_logins

pytestmark = pytest.mark.e2e


@pytest.fixture
def group():
    if os.geteuid() != 0 or shutil.which("groupadd") is None:
        pytest.skip("making a throwaway group needs root")
    name = f"desk_{uuid.uuid4().hex[:6]}"
    subprocess.run(["groupadd", name], check=True)
    try:
        yield name
    finally:
        subprocess.run(["groupdel", name], capture_output=True, check=False)


def test_a_member_cannot_replace_the_site_database(group, installed, cli_env):
    base = Path(tempfile.mkdtemp(dir="/tmp", prefix="liyuan-sticky-"))
    os.chmod(base, 0o755)
    try:
        with throwaway_logins("sup", "mem") as (sup, mem):
            for login in (sup, mem):
                subprocess.run(["usermod", "-aG", group, login], check=True)
            config = base / "etc" / "config.toml"
            env = dict(cli_env, LIYUAN_CONFIG=str(config))
            env.pop("LIYUAN_DB")
            folder = base / "srv"
            done = run_liyuan(
                env, "site", "init", "--group", group, "--dir", str(folder), "--supervisor", sup
            )
            assert done.returncode == 0, done.stderr
            db = folder / "desk.db"
            assert stat.S_IMODE(folder.stat().st_mode) == 0o3770 and db.stat().st_uid == 0
            their = {
                "PATH": "/usr/sbin:/usr/bin:/sbin:/bin",
                "LIYUAN_CONFIG": str(config),
                "HOME": str(base),
                "LIYUAN_LANG": "en",
            }
            moved = run_as(mem, "mv", str(db), str(folder / "old.db"), env=their)
            assert moved.returncode != 0 and "not permitted" in moved.stderr and db.exists()
            removed = run_as(mem, "rm", "-f", str(db), env=their)
            assert removed.returncode != 0 and db.exists()
            # Even with the file gone (root moved it), the site's path is made by root only.
            db.rename(folder / "kept.db")
            made = run_as(mem, str(installed), "init", env=their)
            assert made.returncode == 2 and "only root" in made.stderr, made.stderr
            assert not db.exists()
    finally:
        shutil.rmtree(base, ignore_errors=True)

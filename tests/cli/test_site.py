"""`liyuan site init --group G --dir D --supervisor LOGIN` (as root): the 2770 group folder, the
database in it (0660, the group's) with its first supervisor and the event saying so, and the shared
config naming it (LIYUAN_CONFIG stands in for /etc/liyuan/config.toml here). Everything is checked
first: a refusal is one line and makes nothing."""

from __future__ import annotations

import grp
import json
import os
import shutil
import sqlite3
import stat
import tempfile
from pathlib import Path

import pytest
from cli_runner import run_liyuan

needs_root = pytest.mark.skipif(os.geteuid() != 0, reason="setting up a site (chgrp, /etc) is root's")


@pytest.fixture
def site(cli_env):
    """A place like /srv and /etc: under /tmp, reachable by every login (pytest's own tmp is not)."""
    base = Path(tempfile.mkdtemp(dir="/tmp", prefix="liyuan-site-"))
    os.chmod(base, 0o755)
    env = dict(cli_env, LIYUAN_CONFIG=str(base / "etc" / "liyuan" / "config.toml"))
    env.pop("LIYUAN_DB")
    yield base, env
    shutil.rmtree(base, ignore_errors=True)


GROUP = "users"


@needs_root
def test_site_init_makes_the_folder_the_database_and_the_config(site):
    base, env = site
    done = run_liyuan(
        env,
        "site",
        "init",
        "--group",
        GROUP,
        "--dir",
        str(base / "srv" / "liyuan"),
        "--supervisor",
        "nobody",
        "--name",
        "周敏",
    )
    assert done.returncode == 0, done.stderr
    folder, db = base / "srv" / "liyuan", base / "srv" / "liyuan" / "desk.db"
    gid = grp.getgrnam(GROUP).gr_gid
    # setgid (the group is kept) and sticky (a member cannot move desk.db away, issue 18)
    assert (stat.S_IMODE(folder.stat().st_mode), folder.stat().st_gid) == (0o3770, gid)
    assert (stat.S_IMODE(db.stat().st_mode), db.stat().st_gid) == (0o660, gid)
    assert not Path(f"{db}-wal").exists() or Path(f"{db}-wal").stat().st_gid == gid
    config = Path(env["LIYUAN_CONFIG"])
    assert f'db = "{db}"' in config.read_text() and stat.S_IMODE(config.stat().st_mode) == 0o644
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT login, name, role FROM staff").fetchall() == [
            ("nobody", "周敏", "cs_supervisor")
        ]
        kinds = [k for (k,) in conn.execute("SELECT kind FROM event ORDER BY id")]
    assert kinds == ["staff_added", "staff_changed", "rules_published"]  # the site's first rules
    # Every login finds it through the config alone (no LIYUAN_DB, no login shell needed).
    listed = run_liyuan(dict(env, LIYUAN_USER="nobody"), "staff", "list", "--json")
    assert json.loads(listed.stdout)[0]["login"] == "nobody"
    checked = run_liyuan(dict(env, LIYUAN_USER="nobody"), "check")
    assert checked.returncode == 0 and env["LIYUAN_CONFIG"] in checked.stdout, checked.stdout
    again = run_liyuan(env, "site", "init", "--group", GROUP, "--dir", str(folder), "--supervisor", "nobody")
    assert again.returncode == 2 and "not empty" in again.stderr


@needs_root
def test_site_init_keeps_the_configs_other_settings(site):
    base, env = site
    config = Path(env["LIYUAN_CONFIG"])
    config.parent.mkdir(parents=True)
    config.write_text('lang = "en"\n\n[extra]\nnote = "kept"\n', encoding="utf-8")
    assert (
        run_liyuan(
            env, "site", "init", "--group", GROUP, "--dir", str(base / "srv"), "--supervisor", "nobody"
        ).returncode
        == 0
    )
    text = config.read_text()
    assert (
        text.startswith(f'db = "{base / "srv" / "desk.db"}"')
        and 'lang = "en"' in text
        and 'note = "kept"' in text
    )


@needs_root
@pytest.mark.parametrize(
    "change,said",
    [
        (lambda base, argv: argv.__setitem__(argv.index("--group") + 1, "no-such-group-x"), "no group"),
        (lambda base, argv: argv.__setitem__(argv.index("--supervisor") + 1, "no-such-login-x"), "no login"),
        (
            lambda base, argv: argv.__setitem__(argv.index("--supervisor") + 1, "bad login!"),
            "not a valid login",
        ),
        (lambda base, argv: argv.__setitem__(argv.index("--dir") + 1, "srv/liyuan"), "not an absolute path"),
        (
            lambda base, argv: (base / "srv").mkdir() or (base / "srv" / "old.txt").write_text("x"),
            "not empty",
        ),
        (lambda base, argv: (base / "srv").write_text("x"), "not a folder"),
        (
            lambda base, argv: (
                (base / "private").mkdir(mode=0o700)
                or argv.__setitem__(argv.index("--dir") + 1, str(base / "private" / "srv"))
            ),
            "cannot pass through",
        ),
        (
            lambda base, argv: (
                (base / "etc" / "liyuan").mkdir(parents=True)
                or (base / "etc" / "liyuan" / "config.toml").write_text('db = "/srv/other/desk.db"\n')
            ),
            "already names another database",
        ),
    ],
)
def test_site_init_refuses_in_one_line_and_makes_nothing(site, change, said):
    base, env = site
    argv = ["site", "init", "--group", GROUP, "--dir", str(base / "srv"), "--supervisor", "nobody"]
    change(base, argv)
    before = sorted(str(p) for p in base.rglob("*"))
    done = run_liyuan(env, *argv)
    assert done.returncode == 2, done.stdout
    [line] = done.stderr.strip().splitlines()
    assert said in line, line
    assert sorted(str(p) for p in base.rglob("*")) == before


def test_init_names_someone_else_only_as_root(staff, cli_env, tmp_path, clock, procedures):
    from liyuan_tui.domain.errors import PermissionDenied
    from liyuan_tui.store.site import create_database

    url = f"sqlite:///{tmp_path / 'new.db'}"
    with pytest.raises(PermissionDenied):
        create_database(
            url, clock, "zhou.min", procedures=procedures, tz="Asia/Shanghai", os_login="ann", os_root=False
        )
    assert not (tmp_path / "new.db").exists()
    me = create_database(
        url, clock, "ann", procedures=procedures, tz="Asia/Shanghai", os_login="ann", os_root=False
    )
    assert (me.login, me.role) == ("ann", "cs_supervisor")

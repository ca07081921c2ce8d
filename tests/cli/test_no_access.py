"""Only the desk itself (`liyuan`) or `init` makes a database: a command that reads or records never
does (once, with no site config reachable, `queue` made a personal database and the guard its
supervisor). A site config or database this login may not reach says so in the user's language
and names the group to join — not "no database", not the system's "Permission denied"."""

from __future__ import annotations

import os

import pytest
from cli_runner import run_liyuan
from os_logins import open_folder, run_as, shared_install, throwaway_logins

READ_AND_RECORD = [
    ("queue",),
    ("show", "202611-0001"),
    ("handover",),
    ("followup", "due"),
    ("order", "list"),
    ("report", "--month", "2026-11"),
    ("log", "--category", "B", "--unit", "1-101", "--phone", "139"),
]


@pytest.mark.parametrize("args", READ_AND_RECORD, ids=lambda a: a[0])
def test_a_command_never_makes_the_personal_database(cli_env, tmp_path, args):
    env = {k: v for k, v in cli_env.items() if k != "LIYUAN_DB"}  # no flag, environment or config
    done = run_liyuan(env, *args)
    assert done.returncode == 2 and "no database" in done.stderr, done.stderr
    assert not list((tmp_path / "xdg-data").rglob("*.db"))  # nothing made, nobody made supervisor


@pytest.fixture(scope="module")
def installed():
    with open_folder("liyuan-desk-") as folder:
        yield shared_install(folder)


@pytest.mark.e2e
def test_a_login_outside_the_group_is_told_which_group_to_join(installed):
    with throwaway_logins("guard") as (guard,), open_folder("liyuan-site-") as base:
        desk = base / "desk"  # the site's folder: group root here, 2770, the guard not a member
        desk.mkdir()
        os.chmod(desk, 0o2770)
        config = base / "config.toml"
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(base),
            "XDG_DATA_HOME": str(base / "data"),
            "XDG_CONFIG_HOME": str(base / "cfg"),
            "LIYUAN_CONFIG": str(config),
        }
        made = run_liyuan(dict(env, LIYUAN_DB=str(desk / "desk.db")), "init", "--supervisor", "root")
        assert made.returncode == 0, made.stderr
        config.write_text(f'db = "{desk / "desk.db"}"\n', encoding="utf-8")

        os.chmod(config, 0o640)  # the config itself out of reach
        shut_out = run_as(guard, str(installed), "queue", env=env)
        assert shut_out.returncode == 2
        assert f"无法读取 {config}" in shut_out.stderr and "用户组 root" in shut_out.stderr, shut_out.stderr
        assert f"usermod -aG root {guard}" in shut_out.stderr and "Permission denied" not in shut_out.stderr

        os.chmod(config, 0o644)  # the config readable, the database's folder not
        for lang, said in (("zh", f"无法读取 {desk}"), ("en", f"cannot read {desk}")):
            shut_out = run_as(guard, str(installed), "queue", env=dict(env, LIYUAN_LANG=lang))
            assert shut_out.returncode == 2 and said in shut_out.stderr, shut_out.stderr
            assert "root" in shut_out.stderr and "Permission denied" not in shut_out.stderr
        assert not (base / "data").exists()  # and no personal database instead

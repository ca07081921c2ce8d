"""Who the desk thinks you are: the name of the process's real uid, never $USER or $LOGNAME; acting
as another login (--user, LIYUAN_USER) only for root and the roles that may act for others
(supervisors and the manager), recorded with the real login; refused otherwise in one line."""

from __future__ import annotations

import json
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from liyuan_tui.domain.config import load_settings
from liyuan_tui.domain.errors import PermissionDenied
from liyuan_tui.store import Store
from liyuan_tui.store.backup import copy_database

ME = pwd.getpwuid(os.getuid()).pw_name


def test_user_and_logname_do_not_say_who_you_are():
    s = load_settings({}, {"USER": "zhou.min", "LOGNAME": "zhou.min"}, ())
    assert s.login == ME and s.os_login == ME
    s = load_settings({}, {"LIYUAN_USER": "ann", "USER": "zhou.min"}, ())
    assert s.login == "ann" and s.os_login == ME  # asked for; the store decides whether it is allowed


def store_as(db_url, clock, procedures, login: str, os_login: str, os_root: bool = False) -> Store:
    return Store(db_url, clock, login, procedures=procedures, os_login=os_login, os_root=os_root)


def test_an_assistant_may_not_act_as_a_supervisor(staff, db_url, clock, procedures):
    posing = store_as(db_url, clock, procedures, "sup", os_login="ann")
    try:
        with pytest.raises(PermissionDenied) as refused:
            posing.staff.update_staff("ann", role="cs_supervisor")
        assert refused.value.key == "error.act_as_refused"
    finally:
        posing.close()
    assert staff["cs_supervisor"].staff.me().role == "cs_supervisor"
    assert {s.login: s.role for s in staff["cs_supervisor"].staff.list_staff()}["ann"] == "assistant"


@pytest.mark.parametrize("real", ["gd", "lead", "eng", "stranger"])
def test_no_one_but_supervisors_and_the_manager_acts_for_others(staff, db_url, clock, procedures, real):
    posing = store_as(db_url, clock, procedures, "ann", os_login=real)
    try:
        with pytest.raises(PermissionDenied):
            posing.lookup.open_requests()
    finally:
        posing.close()


@pytest.mark.parametrize("real,root", [("mgr", False), ("sup", False), ("root", True)])
def test_a_supervisor_the_manager_or_root_acts_for_another_and_the_event_says_so(
    staff, db_url, clock, procedures, real, root
):
    acting = store_as(db_url, clock, procedures, "ann", os_login=real, os_root=root)
    try:
        req = acting.intake.create_request(category="B", unit="1", phone="123", complete=True)
        [event] = acting.lookup.detail(req.ref).events
    finally:
        acting.close()
    assert event.actor == "ann" and json.loads(event.payload)["os_login"] == real


def test_a_deactivated_supervisor_acts_for_no_one(staff, db_url, clock, procedures):
    staff["cs_supervisor"].staff.add_staff("sup2", "Sup Two", "cs_supervisor")
    staff["cs_supervisor"].staff.update_staff("sup2", active=False)
    posing = store_as(db_url, clock, procedures, "ann", os_login="sup2")
    try:
        with pytest.raises(PermissionDenied):
            posing.lookup.open_requests()
    finally:
        posing.close()


@pytest.mark.e2e
@pytest.mark.sqlite_only  # (PostgreSQL's peer authentication: tests/server)
def test_a_non_root_login_is_refused_acting_as_another_in_a_real_process(staff):
    """As the throwaway login `nobody` (setpriv, when the tests run as root): on the staff list as an
    assistant, it may not pose as the supervisor by --user or LIYUAN_USER, and $USER / $LOGNAME
    change nothing."""
    if os.geteuid() != 0 or shutil.which("setpriv") is None:
        pytest.skip("needs root and setpriv to run as a throwaway non-root login")
    staff["cs_supervisor"].staff.add_staff("nobody", "Night Owl", "assistant")
    base = Path(tempfile.mkdtemp(dir="/tmp", prefix="liyuan-identity-"))
    try:
        os.chmod(base, 0o777)
        db = base / "desk.db"
        copy_database(
            staff["cs_supervisor"].kernel.path, db
        )  # a copy nobody may write, apart from root's files
        os.chmod(db, 0o666)
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "LIYUAN_DB": str(db),
            "LIYUAN_LANG": "en",
            "LIYUAN_CONFIG": str(base / "none.toml"),
            "HOME": str(base),
            "XDG_CONFIG_HOME": str(base / "c"),
            "XDG_DATA_HOME": str(base / "d"),
            "PYTHONPATH": os.pathsep.join(sys.path),
        }

        def as_nobody(*args: str, **extra: str) -> subprocess.CompletedProcess:
            return subprocess.run(
                [
                    "setpriv",
                    "--reuid=nobody",
                    "--regid=nogroup",
                    "--clear-groups",
                    sys.executable,
                    "-m",
                    "liyuan_tui.cli",
                    *args,
                ],
                env={**env, **extra},
                capture_output=True,
                text=True,
                timeout=120,
                cwd=base,
            )

        probe = as_nobody("check")
        if "Permission denied" in probe.stderr and "python" in probe.stderr.lower():
            pytest.skip("this machine's Python is not readable by other logins")
        for refused in (
            as_nobody("--user", "sup", "staff", "role", "nobody", "cs_supervisor"),
            as_nobody("staff", "role", "nobody", "cs_supervisor", LIYUAN_USER="sup"),
        ):
            assert refused.returncode == 2, refused.stderr
            assert refused.stderr.strip().count("\n") == 0 and "may not act as 'sup'" in refused.stderr
            assert "you are nobody" in refused.stderr and "Traceback" not in refused.stderr
        pretending = as_nobody("staff", "role", "nobody", "cs_supervisor", USER="sup", LOGNAME="sup")
        assert pretending.returncode == 2 and "assistant" in pretending.stderr  # still nobody, an assistant
        logged = as_nobody(
            "log", "--category", "B", "--unit", "1", "--phone", "123", USER="sup", LOGNAME="sup"
        )
        assert logged.returncode == 0, logged.stderr
        shown = json.loads(as_nobody("show", logged.stdout.strip(), "--json").stdout)
        assert shown["created_by"] == "nobody" and "os_login" not in shown["events"][0]["payload"]
        staff_now = json.loads(
            subprocess.run(
                [sys.executable, "-m", "liyuan_tui.cli", "staff", "list", "--json", "--user", "sup"],
                env=env,
                capture_output=True,
                text=True,
                timeout=120,
            ).stdout
        )
        assert {s["login"]: s["role"] for s in staff_now}["nobody"] == "assistant"
    finally:
        shutil.rmtree(base, ignore_errors=True)

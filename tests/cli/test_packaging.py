"""The wheel really ships screens/ and data/, and the README's "Install on the desk machine" works:
built, installed once into a shared prefix on the system's Python with the command linked into a
bin folder, `liyuan site init` run as root, then the desk's commands run by two throwaway non-root
logins (`nobody` and `daemon`, given the desk's group as setpriv allows) who find the database
through the shared config alone — and cannot pose as each other."""

from __future__ import annotations

import grp
import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SYSTEM_PYTHON = Path("/usr/bin/python3")


def build_wheel(out: Path) -> Path:
    uv = shutil.which("uv")
    if uv is None:
        pytest.skip("uv is needed to build the wheel")
    subprocess.run(
        [uv, "build", "--wheel", "--out-dir", str(out), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return next(out.glob("liyuan_tui-*.whl"))


def check_contents(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    assert "liyuan_tui/data/procedures/medical.toml" in names
    assert "liyuan_tui/data/messages/core.toml" in names
    assert "liyuan_tui/screens/__init__.py" in names
    for revision in (ROOT / "liyuan_tui" / "store" / "migrations" / "versions").glob(
        "*.py"
    ):  # the schema's history
        assert f"liyuan_tui/store/migrations/versions/{revision.name}" in names
    assert "liyuan_tui/store/migrations/env.py" in names
    assert "liyuan_tui/app.tcss" in names
    for sheet in (ROOT / "screens").rglob("*.tcss"):  # each page's own stylesheet ships beside it
        assert f"liyuan_tui/screens/{sheet.relative_to(ROOT / 'screens').as_posix()}" in names
    for init in (ROOT / "screens").rglob("__init__.py"):  # the pages, their parts, the dialogs
        assert f"liyuan_tui/screens/{init.relative_to(ROOT / 'screens').as_posix()}" in names
    for messages in (ROOT / "data" / "messages").glob("*.toml"):
        assert f"liyuan_tui/data/messages/{messages.name}" in names
    assert not any(n.startswith(("screens/", "data/")) for n in names)
    for init in (ROOT / "liyuan_tui").rglob("__init__.py"):  # no subpackage forgotten in pyproject
        assert init.relative_to(ROOT).as_posix() in names


def install_for_every_login(wheel: Path, prefix: Path, bin_dir: Path) -> Path:
    """The README's root commands: a venv on the system Python, the wheel in it byte-compiled (the
    desk logins cannot write root's __pycache__), the command linked."""
    uv = shutil.which("uv")
    subprocess.run(
        [uv, "venv", "--python", str(SYSTEM_PYTHON), str(prefix)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    subprocess.run(
        [uv, "pip", "install", "--compile-bytecode", "--python", str(prefix / "bin" / "python"), str(wheel)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    bin_dir.mkdir(parents=True, exist_ok=True)
    (bin_dir / "liyuan").symlink_to(prefix / "bin" / "liyuan")
    return bin_dir / "liyuan"


@pytest.mark.e2e
def test_the_wheel_installs_for_every_login_and_a_non_root_login_runs_the_desk():
    if os.geteuid() != 0 or shutil.which("setpriv") is None:
        pytest.skip("needs root and setpriv to run the desk as throwaway non-root logins")
    if not SYSTEM_PYTHON.exists():
        pytest.skip("no system Python at /usr/bin/python3")
    base = Path(tempfile.mkdtemp(dir="/tmp", prefix="liyuan-install-"))  # not under root's private tmp
    try:
        os.chmod(base, 0o755)
        wheel = build_wheel(base / "dist")
        check_contents(wheel)
        liyuan = install_for_every_login(wheel, base / "opt" / "liyuan", base / "usr-local-bin")
        site_packages = next((base / "opt" / "liyuan" / "lib").glob("python3*/site-packages"))
        for package in ("liyuan_tui/cli", "liyuan_tui/store", "sqlalchemy/orm", "sqlmodel"):  # compiled once
            assert list((site_packages / package / "__pycache__").glob("*.pyc")), f"{package} not compiled"
        group = grp.getgrnam("users")  # any group nobody and daemon are not in: setpriv gives it to them
        config = base / "etc" / "liyuan" / "config.toml"
        env = {
            "PATH": f"{liyuan.parent}:/usr/bin:/bin",
            "LANG": "C.UTF-8",
            "LIYUAN_LANG": "en",
            "LIYUAN_CONFIG": str(config),
            "HOME": str(base),
        }

        site = subprocess.run(
            [
                str(liyuan),
                "site",
                "init",
                "--group",
                group.gr_name,
                "--dir",
                str(base / "srv"),
                "--supervisor",
                "nobody",
                "--name",
                "Zhou Min",
            ],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            cwd=base,
        )
        assert site.returncode == 0, site.stdout + site.stderr
        assert "not yet a member" in site.stdout  # nobody is not in the group on this machine: said
        db = base / "srv" / "desk.db"
        assert (db.stat().st_mode & 0o7777, db.stat().st_gid) == (0o660, group.gr_gid)
        assert ((base / "srv").stat().st_mode & 0o7777, (base / "srv").stat().st_gid) == (
            0o3770,  # setgid and sticky
            group.gr_gid,
        )
        assert f'db = "{db}"' in config.read_text()

        def as_login(login: str, *args: str, **extra: str) -> subprocess.CompletedProcess:
            prefix = [
                "setpriv",
                f"--reuid={login}",
                f"--regid={login if login != 'nobody' else 'nogroup'}",
                f"--groups={group.gr_gid}",
                "--",
            ]
            return subprocess.run(
                [*prefix, "liyuan", *args],
                env={**env, **extra},
                capture_output=True,
                text=True,
                timeout=120,
                cwd="/",
            )

        checked = as_login("nobody", "check")
        assert checked.returncode == 0, checked.stdout + checked.stderr
        assert (
            str(config) in checked.stdout and "all good" in checked.stdout
        )  # found through the config alone
        assert "nobody — Zhou Min" in checked.stdout
        assert (
            as_login(
                "nobody", "staff", "add", "daemon", "--name", "Night One", "--role", "assistant"
            ).returncode
            == 0
        )
        logged = as_login(
            "daemon",
            "log",
            "--category",
            "B",
            "--unit",
            "3-1201",
            "--phone",
            "13800000000",
            USER="nobody",
            LOGNAME="nobody",
        )  # the environment does not say who you are
        assert logged.returncode == 0, logged.stderr
        shown = json.loads(as_login("nobody", "show", logged.stdout.strip(), "--json").stdout)
        assert shown["created_by"] == "daemon" and shown["events"][0]["actor"] == "daemon"

        posing = as_login("daemon", "--user", "nobody", "staff", "role", "daemon", "cs_supervisor")
        assert posing.returncode == 2 and len(posing.stderr.strip().splitlines()) == 1, posing.stderr
        assert "may not act as 'nobody'" in posing.stderr and "Traceback" not in posing.stderr
        posing = as_login("daemon", "staff", "list", LIYUAN_USER="nobody")
        assert posing.returncode == 2 and "may not act as" in posing.stderr
        staff = json.loads(as_login("nobody", "staff", "list", "--json").stdout)
        assert {s["login"]: s["role"] for s in staff} == {"nobody": "cs_supervisor", "daemon": "assistant"}

        # The supervisor may act for another login; the event records who really did it.
        done = as_login("nobody", "--user", "daemon", "reply", logged.stdout.strip())
        assert done.returncode == 0, done.stderr
        shown = json.loads(as_login("nobody", "show", logged.stdout.strip(), "--json").stdout)
        assert (
            shown["events"][-1]["actor"] == "daemon"
            and shown["events"][-1]["payload"]["os_login"] == "nobody"
        )
        assert (db.stat().st_mode & 0o7777) == 0o660
    finally:
        shutil.rmtree(base, ignore_errors=True)


@pytest.mark.e2e
def test_the_installed_package_imports_its_screens_and_data(tmp_path):
    """Without root: the wheel's own venv imports the UI and the data (no desk is run)."""
    uv = shutil.which("uv")
    if uv is None:
        pytest.skip("uv is needed to build the wheel")
    if os.geteuid() == 0:
        pytest.skip("covered by the install test above, which runs as root")
    wheel = build_wheel(tmp_path / "dist")
    check_contents(wheel)
    venv = tmp_path / "venv"
    subprocess.run(
        [uv, "venv", "--python", sys.executable, str(venv)], check=True, capture_output=True, timeout=120
    )
    py = venv / "bin" / "python"
    subprocess.run(
        [uv, "pip", "install", "--python", str(py), str(wheel)], check=True, capture_output=True, timeout=600
    )
    out = subprocess.run(
        [str(py), "-c", "import liyuan_tui.screens, liyuan_tui.data; print('ok')"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert out.stdout.strip() == "ok", out.stderr

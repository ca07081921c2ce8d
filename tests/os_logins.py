"""Throwaway OS logins for tests that must prove what another user can and cannot do (run as
root; skipped otherwise), and the desk installed for every login in a shared folder (Debian's
python3 and the project's wheel: root's own interpreter is not reachable by other logins)."""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def need_root_and_tools() -> None:
    if os.geteuid() != 0:
        pytest.skip("making throwaway logins needs root")
    for tool in ("useradd", "userdel", "runuser"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} is not installed")


@contextmanager
def throwaway_logins(*names: str) -> Iterator[list[str]]:
    """OS logins named `<name>_<random>`, removed afterwards."""
    need_root_and_tools()
    made = []
    try:
        for name in names:
            login = f"{name}_{uuid.uuid4().hex[:6]}"
            subprocess.run(
                ["useradd", "--system", "--no-create-home", "--shell", "/bin/sh", login],
                check=True,
                capture_output=True,
            )
            made.append(login)
        yield made
    finally:
        for login in made:
            subprocess.run(["userdel", login], capture_output=True)


def shared_install(folder: Path) -> Path:
    """The desk installed into `folder` for every login; returns its `liyuan` command."""
    python = shutil.which("python3", path="/usr/bin:/bin")
    uv = shutil.which("uv")
    if python is None or uv is None:
        pytest.skip("a system python3 and uv are needed to install the desk for other logins")
    venv = folder / "venv"
    subprocess.run([uv, "venv", "--python", python, str(venv)], check=True, capture_output=True, timeout=120)
    subprocess.run(
        [uv, "pip", "install", "--python", str(venv / "bin" / "python"), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    for path in [folder, *folder.rglob("*")]:
        mode = path.stat().st_mode
        path.chmod(mode | 0o055 if path.is_dir() else mode | 0o044)
    return venv / "bin" / "liyuan"


@contextmanager
def open_folder(prefix: str) -> Iterator[Path]:
    """A folder every login can reach (pytest's own tmp folders are root's alone)."""
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix=prefix))
    folder.chmod(0o777)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def run_as(login: str, *command: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["runuser", "-u", login, "--", *command],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd="/",
    )

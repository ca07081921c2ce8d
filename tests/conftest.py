"""Shared fixtures: a temp-file database, a FakeClock, stores acting as different staff."""

from __future__ import annotations

import os
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

import pytest

from liyuan_tui.domain.clock import FakeClock
from liyuan_tui.domain.procedure_files import load_procedures
from liyuan_tui.store import Store

# 2026-11-27 22:00 in Shanghai: the night shift.
START = datetime(2026, 11, 27, 14, 0, tzinfo=timezone.utc)


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch, tmp_path):
    """No test reads the developer's own settings or database."""
    for name in ("LIYUAN_DB", "LIYUAN_LANG", "LIYUAN_TZ", "LIYUAN_PROCEDURES", "LIYUAN_FEES", "LIYUAN_USER"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    # Not the machine's /etc/liyuan/config.toml: the shared config of a site the test sets up, if any.
    monkeypatch.setenv("LIYUAN_CONFIG", str(tmp_path / "etc-liyuan" / "config.toml"))


@pytest.fixture(scope="session")
def procedures():
    return load_procedures()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "desk.db"


@pytest.fixture
def db_url(db_path) -> str:
    return f"sqlite:///{db_path}"


@pytest.fixture
def store_for(db_url, clock, procedures) -> Callable[[str], Store]:
    """store_for("login") → a Store acting as that login on the test database."""
    stores: list[Store] = []

    def make(login: str) -> Store:
        st = Store(db_url, clock, login, procedures=procedures, tz="Asia/Shanghai", create=True)
        st.init_schema()
        stores.append(st)
        return st

    yield make
    for st in stores:
        st.close()


@pytest.fixture
def supervisor(store_for) -> Store:
    """The first user of a fresh database: a customer-service supervisor."""
    st = store_for("sup")
    st.staff.ensure_identity()
    return st


@pytest.fixture
def staff(supervisor, store_for) -> dict[str, Store]:
    """One store per role, all on the same file."""
    people = {
        "cs_supervisor": supervisor,
    }
    for login, role in (("ann", "assistant"), ("mgr", "manager"), ("lead", "security_lead"),
                        ("gd", "guard"), ("eng", "dept_staff")):
        supervisor.staff.add_staff(login, login.upper(), role)
        people[role] = store_for(login)
    return people


@pytest.fixture
def desk(staff) -> Store:
    """The night-shift assistant's store."""
    return staff["assistant"]


@pytest.fixture
def cli_env(db_path, tmp_path) -> dict[str, str]:
    """Environment for running `liyuan` on the test database (named by LIYUAN_DB: it must be
    made first, by the `staff` fixtures or by `cli_desk`)."""
    env = dict(os.environ)
    env.update(LIYUAN_DB=str(db_path), XDG_CONFIG_HOME=str(tmp_path / "xdg-config"),
               XDG_DATA_HOME=str(tmp_path / "xdg-data"), LIYUAN_LANG="en",
               LIYUAN_CONFIG=str(tmp_path / "etc-liyuan" / "config.toml"))
    env.pop("LIYUAN_USER", None)
    return env


@pytest.fixture
def cli_desk(request, cli_env, db_path) -> dict[str, str]:
    """cli_env on a database made as the README says (`liyuan init`): the OS login running the
    tests is its first supervisor. A test that also has the `staff` stores gets their database
    (made by the store, "sup" its first supervisor)."""
    from cli_runner import run_liyuan

    if {"staff", "supervisor", "desk"} & set(request.fixturenames):
        request.getfixturevalue("supervisor")
        return cli_env
    made = run_liyuan(cli_env, "init")
    assert made.returncode == 0 and db_path.exists(), made.stderr
    return cli_env

"""Shared fixtures: a test database (a temp SQLite file; for the store, CLI, report and procedure
suites also a PostgreSQL database on the throwaway cluster, see tests/pg.py), a FakeClock, stores
acting as different staff."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import pytest
from db_templates import STAFF, START, Templates, fill
from hypothesis import settings as hypothesis_settings
from textual import _wait

from liyuan_tui.domain.clock import FakeClock
from liyuan_tui.domain.procedure_files import load_procedures
from liyuan_tui.store import Store

# No deadline on a generated example: on two shared cores it measures the machine's load, not the
# code, and failed tests at random (a test's own @settings still says more).
hypothesis_settings.register_profile("desk", deadline=None)
hypothesis_settings.load_profile("desk")

# The loopback receivers (SMTP and HTTP) and the pager config the pager tests share; the benches'
# size, figures and timeouts (tests/bench); the default run and the end-to-end run (two_runs.py).
pytest_plugins = ["pager_receivers", "bench_sizing", "two_runs"]


MEMORY = Path("/dev/shm")

# Pilot waits after each key until the process has been idle for one SLEEP_GRANULARITY (1/50 s):
# 40 ms a key at least, most of a typing test's time spent asleep. 2 ms idle says the same (no
# thread of the process, the desk's workers included, did any work meanwhile); what a test needs
# finished it waits for by name (tests/ui/ui_helpers.settle), never by the clock.
_wait.SLEEP_GRANULARITY = 1 / 500
_wait.SLEEP_IDLE = _wait.SLEEP_GRANULARITY / 20


def pytest_configure(config):
    """The tests' temporary files (their databases among them) in memory where the machine has a
    roomy tmpfs: SQLite's fsync on every commit is then free, as the throwaway PostgreSQL cluster's
    is (fsync=off). TMPDIR (or pytest's --basetemp) set by whoever runs the tests is kept."""
    if os.environ.get("TMPDIR") or config.option.basetemp or not MEMORY.is_dir():
        return
    try:
        room = os.statvfs(MEMORY)
    except OSError:
        return
    roomy = room.f_bavail * room.f_frsize >= 4 << 30  # (a container's 64 MB /dev/shm is not)
    if roomy and not room.f_flag & os.ST_NOEXEC and os.access(MEMORY, os.W_OK | os.X_OK):
        os.environ["TMPDIR"] = str(MEMORY)  # for the workers and the programs the tests start too
        tempfile.tempdir = None  # (read again from TMPDIR)


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch, tmp_path):
    """No test reads the developer's own settings or database."""
    for name in (
        "LIYUAN_DB",
        "LIYUAN_LANG",
        "LIYUAN_TZ",
        "LIYUAN_PROCEDURES",
        "LIYUAN_FEES",
        "LIYUAN_ANSWERS",
        "LIYUAN_USER",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    # Not the machine's /etc/liyuan/config.toml: the shared config of a site the test sets up, if any.
    monkeypatch.setenv("LIYUAN_CONFIG", str(tmp_path / "etc-liyuan" / "config.toml"))
    # Not the machine's /etc/liyuan/pager.toml either: the pager's config of the test, if any.
    monkeypatch.setenv("LIYUAN_PAGER_CONFIG", str(tmp_path / "etc-liyuan" / "pager.toml"))


@pytest.fixture(scope="session")
def procedures():
    return load_procedures()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


# Suites run on both engines: each test of theirs that uses `db_url` but not the SQLite file itself.
BOTH_ENGINES = ("store", "cli", "reports", "procedures")


def pytest_generate_tests(metafunc):
    folder = metafunc.definition.path.parent.name
    names = metafunc.fixturenames
    if (
        folder in BOTH_ENGINES
        and "db_url" in names
        and "db_path" not in names
        and not metafunc.definition.get_closest_marker("sqlite_only")
    ):
        metafunc.parametrize("engine_name", ["sqlite", "postgresql"])


@pytest.fixture
def engine_name() -> str:
    """Which database the test runs on (parametrised for the suites in BOTH_ENGINES)."""
    return "sqlite"


@pytest.fixture
def db_path(tmp_path) -> Path:
    """The test's SQLite file (tests that read the file itself run on SQLite only)."""
    return tmp_path / "desk.db"


def template_for(request) -> str | None:
    """Which new database the test's fixtures make: the staff of every role, the first supervisor
    only, or none (db_templates.py)."""
    if "staff" in request.fixturenames:
        return "staffed"
    return "supervisor" if "supervisor" in request.fixturenames else None


@pytest.fixture
def db_url(request, engine_name, tmp_path):
    if engine_name == "sqlite":
        yield f"sqlite:///{tmp_path / 'desk.db'}"
        return
    import pg

    pg.need_cluster()
    name = request.getfixturevalue("db_templates").new_database(template_for(request))
    try:
        yield pg.url(name)
    finally:
        pg.drop_database(name)


@pytest.fixture(scope="session")
def db_templates(tmp_path_factory, procedures):
    """The new databases the fixtures below make, made once per worker and copied (db_templates.py)."""
    templates = Templates(tmp_path_factory.mktemp("db-templates"), procedures)
    yield templates
    templates.drop()


@pytest.fixture
def store_for(db_url, clock, procedures, db_templates) -> Callable[[str], Store]:
    """store_for("login") → a Store acting as that login on the test database."""
    stores: list[Store] = []

    def make(login: str) -> Store:
        if not stores:  # a new database has its schema made by the first store: copied instead
            db_templates.place("schema", db_url, clock)
        st = Store(db_url, clock, login, procedures=procedures, tz="Asia/Shanghai", create=True)
        st.init_schema()
        stores.append(st)
        return st

    yield make
    for st in stores:
        st.close()


@pytest.fixture
def from_template(request, db_url, clock, db_templates) -> str | None:
    """Which template the test's database is a copy of when `supervisor` and `staff` come to fill
    it, None if they fill it themselves (db_templates.py)."""
    if db_url.startswith("sqlite"):
        kind = template_for(request) or "supervisor"
        return kind if db_templates.place(kind, db_url, clock) else None
    return db_templates.confirm(db_url, clock)


@pytest.fixture
def supervisor(from_template, store_for) -> Store:
    """The first user of a fresh database: a customer-service supervisor."""
    return fill("supervisor", store_for)


class Desks(Mapping[str, Store]):
    """role → a store acting as that role's login, opened when the test first asks for it (most
    tests act as two or three of the seven roles: a store opened costs an engine and a connection)."""

    def __init__(self, supervisor: Store, store_for: Callable[[str], Store]) -> None:
        self._opened = {"cs_supervisor": supervisor}
        self._logins = {role: login for login, role in STAFF}
        self._store_for = store_for

    def __getitem__(self, role: str) -> Store:
        if role not in self._opened:
            self._opened[role] = self._store_for(self._logins[role])
        return self._opened[role]

    def __iter__(self) -> Iterator[str]:
        return iter(["cs_supervisor", *self._logins])

    def __len__(self) -> int:
        return 1 + len(self._logins)


@pytest.fixture
def staff(supervisor, store_for, from_template) -> Mapping[str, Store]:
    """One store per role, all on the same file."""
    if from_template != "staffed":
        for login, role in STAFF:
            supervisor.staff.add_staff(login, login.upper(), role)
    return Desks(supervisor, store_for)


@pytest.fixture
def desk(staff) -> Store:
    """The night-shift assistant's store."""
    return staff["assistant"]


@pytest.fixture
def cli_env(db_url, tmp_path) -> dict[str, str]:
    """Environment for running `liyuan` on the test database (named by LIYUAN_DB: it must be
    made first, by the `staff` fixtures or by `cli_desk`)."""
    env = dict(os.environ)
    db = db_url[len("sqlite:///") :] if db_url.startswith("sqlite:///") else db_url
    env.update(
        LIYUAN_DB=db,
        XDG_CONFIG_HOME=str(tmp_path / "xdg-config"),
        XDG_DATA_HOME=str(tmp_path / "xdg-data"),
        LIYUAN_LANG="en",
        LIYUAN_CONFIG=str(tmp_path / "etc-liyuan" / "config.toml"),
    )
    env.pop("LIYUAN_USER", None)
    return env


@pytest.fixture
def cli_desk(request, cli_env) -> dict[str, str]:
    """cli_env on a database made as the README says (`liyuan init`): the OS login running the
    tests is its first supervisor. A test that also has the `staff` stores gets their database
    (made by the store, "sup" its first supervisor)."""
    from cli_runner import run_liyuan

    if {"staff", "supervisor", "desk"} & set(request.fixturenames):
        request.getfixturevalue("supervisor")
        return cli_env
    made = run_liyuan(cli_env, "init")
    assert made.returncode == 0, made.stderr
    return cli_env

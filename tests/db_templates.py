"""Test databases from templates: each kind of new database the fixtures make (the schema only; its
first supervisor; the staff of every role) is made once per test session and worker, the way the
fixtures make it, then copied for each test that wants one (a file copy on SQLite, CREATE DATABASE
… TEMPLATE on PostgreSQL). A copy is placed only where the test's database is still untouched (no
file yet; a PostgreSQL database with no tables and no desk connected) and, for the kinds with
staff, only while the test's clock still reads START, so the copy holds exactly the rows the
fixtures would have written; otherwise the fixtures make the database themselves.
tests/test_db_templates.py proves a copy is the database the fixtures make.

What is copied was made by the store itself (`create_schema`, `ensure_identity`, `add_staff`); the
tests of making and migrating a database (`liyuan init`, `site init`, tests/store/test_migrations.py)
never ask for a copy and keep making theirs for real."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from liyuan_tui.domain.clock import FakeClock
from liyuan_tui.store import Store

START = datetime(2026, 11, 27, 14, 0, tzinfo=UTC)  # 22:00 in Shanghai: the night shift

FIRST_SUPERVISOR = "sup"
# The staff the `staff` fixture adds, login → role, in the order it adds them.
STAFF = (
    ("ann", "assistant"),
    ("mgr", "manager"),
    ("lead", "security_lead"),
    ("gd", "guard"),
    ("eng", "dept_staff"),
    ("tech", "technician"),
)
KINDS = ("schema", "supervisor", "staffed")


def fill(kind: str, make: Callable[[str], Store]) -> Store | None:
    """Make a database of `kind` with `make(login)` (a store on it acting as that login): what the
    fixtures do on a new database, and what a template holds. Returns the first supervisor's store."""
    first = make(FIRST_SUPERVISOR)
    if kind == "schema":
        return None
    first.staff.ensure_identity()
    if kind == "staffed":
        for login, role in STAFF:
            first.staff.add_staff(login, login.upper(), role)
    return first


def sqlite_file(url: str) -> Path | None:
    return Path(url[len("sqlite:///") :]) if url.startswith("sqlite:///") else None


class Templates:
    """The session's templates, made when first asked for (one worker's: xdist runs each session
    fixture once per worker)."""

    def __init__(self, folder: Path, procedures) -> None:
        self.folder = folder
        self.procedures = procedures
        self.sqlite: dict[str, Path] = {}
        self.postgres: dict[str, str] = {}  # kind → template database
        self.made: dict[str, str] = {}  # test database → the template it is a copy of
        self.marks: dict[str, tuple] = {}  # kind → what its template holds, in short (pg.marks)

    def place(self, kind: str, url: str, clock: FakeClock) -> bool:
        """SQLite: make the test's file at `url` a copy of the `kind` template, if there is no file
        yet (and, for a kind with staff, the clock is still at START). True when it was placed."""
        path = sqlite_file(url)
        if path is None or (kind != "schema" and clock.now() != START):
            return False
        return self._place_file(kind, path)

    def _build(self, kind: str, url: str) -> None:
        """Make the template at `url` as the fixtures make a test's database, then close it."""
        stores: list[Store] = []

        def make(login: str) -> Store:
            st = Store(
                url, FakeClock(START), login, procedures=self.procedures, tz="Asia/Shanghai", create=True
            )
            st.init_schema()
            stores.append(st)
            return st

        try:
            fill(kind, make)
        finally:
            for st in stores:
                st.close()

    # --- SQLite: a closed file, its journal folded in, copied ---------------------------------------

    def _place_file(self, kind: str, path: Path) -> bool:
        if path.exists() or not path.parent.is_dir():
            return False
        template = self.sqlite.get(kind)
        if template is None:
            template = self.folder / f"{kind}.db"
            self._build(kind, f"sqlite:///{template}")  # closed: the last connection checkpoints the WAL
            assert not Path(f"{template}-wal").exists(), "the template's journal was not folded in"
            self.sqlite[kind] = template
        shutil.copyfile(template, path)
        os.chmod(path, 0o660)  # as the store makes it (engine.prepare_file)
        return True

    # --- PostgreSQL: CREATE DATABASE … TEMPLATE -------------------------------------------------------
    # A new database costs a CREATE DATABASE either way, so the test's database is made from the
    # template at once (`new_database`) and checked when the fixture would have filled it (`confirm`).

    def new_database(self, kind: str | None) -> str:
        """A new PostgreSQL database: a copy of the `kind` template, or empty (kind None)."""
        import pg

        if kind is None:
            return pg.create_database()  # (made[…] None: the fixtures fill it if they come)
        if kind not in self.postgres:
            template = pg.create_database()
            self._build(kind, pg.url(template))
            self.marks[kind] = pg.marks(template)
            pg.close_to_connections(template)
            self.postgres[kind] = template
        name = pg.create_database(self.postgres[kind])
        self.made[name] = kind
        return name

    def confirm(self, url: str, clock: FakeClock) -> str | None:
        """The template the database at `url` was copied from, when the fixture comes to fill it:
        None for a database made empty, or emptied again here because the clock has moved since
        START (the fixture writes it then). A copy written to before the fixture came is an error,
        not something to paper over."""
        import pg

        name = pg.database_of(url)
        kind = self.made.pop(name, None) if name is not None else None
        if name is None or kind is None:
            return None
        now = pg.marks(name)
        assert now == self.marks[kind], (
            f"the test's database was written to before its `{kind}` fixture: {now} (was {self.marks[kind]})"
        )
        if clock.now() == START:
            return kind
        pg.replace_from_template(name, "template1")
        return None

    def drop(self) -> None:
        if self.postgres:
            import pg

            for template in self.postgres.values():
                pg.drop_database(template)

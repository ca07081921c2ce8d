"""The transaction kernel: the one place that opens connections and sessions on the desk's database.

Every user action is one `Kernel.write()` transaction (BEGIN IMMEDIATE on SQLite; on PostgreSQL no
lock of the whole database, only row locks with FOR UPDATE and the short ones of transaction.py)
that checks the acting user's role, changes rows with a compare-and-set on the request's version,
and appends exactly one Event (what a transaction can do is `Tx`, in transaction.py). The area
modules receive a Kernel and say what changes; how a transaction is opened, which dialect it speaks
and how a stale write is refused is said here only. A transaction is a SQLAlchemy Core connection:
who acts, the rules in force and the event are read and written with Core (rows.py), and the ORM's
session is opened on the same connection only when an action asks for it (`tx.s`), so logging a
request loads no ORM. Reads return detached objects, never live sessions.

Nothing is opened until the first session is asked for (`ready()`): the database is checked, the
acting user identified (and, acting for another login, allowed to) then, so input refused before
that writes nothing at all. A database is made only when the kernel was told it may (`create`:
the personal default of one user trying the desk, or `liyuan init` / `site init`); a file named by
flag, environment or config that is not there is an error saying how to create it. Before and
after every write the kernel checks that the file and its journal are still the ones it opened
(dbfiles.py): a desk whose journal was removed or replaced stops writing.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, Engine, text

from liyuan_tui.domain.access import blocked_by
from liyuan_tui.domain.clock import Clock
from liyuan_tui.domain.errors import NotFound, PermissionDenied, UnknownUser, ValidationError
from liyuan_tui.domain.events import EventKind
from liyuan_tui.domain.permissions import ACT_FOR_OTHERS, Action
from liyuan_tui.domain.procedures import Procedure, Procedures, request_conditions

from . import faults
from .dbfiles import BUSY_TIMEOUT_MS, JournalGuard, JournalLost, NoDatabase
from .engine import DESK_ACTION, WRITE, WRITE_LOCK_KEY, make_engine, prepare_file
from .rows import StaffRow, Who, as_model, new_staff, rows_of, typed
from .rules import NEWEST_COLUMNS, RulesInForce
from .schema import check_revision, create_schema, revision_of
from .transaction import Tx
from .urls import sqlite_path
from .written import Recorder

# (the ORM: imported by what reads or writes through it, never to log a request: rows.py)
if TYPE_CHECKING:
    from sqlmodel import Session

    from liyuan_tui.domain.models import Request, Staff


class Kernel:
    """Sessions, identity and the event of each action, for one acting login on one database."""

    def __init__(
        self,
        url: str,
        clock: Clock,
        login: str,
        *,
        procedures: Procedures | Callable[[], Procedures],
        tz: tzinfo | str,
        os_login: str | None = None,
        os_root: bool = False,
        create: bool = False,
        engine: Engine | None = None,
        busy_timeout_ms: int | None = None,
        fees_file: Path | None = None,
        own_rules: bool = False,
        answers_dir: Path | None = None,
        service: bool = False,
    ) -> None:
        self.url = url
        # A service (the pager's sender) is not a person on the staff list: it writes only its own
        # events, with no role, and may not take a desk action (`write(action)` refuses it).
        self.service = service
        self.clock = clock
        self.login = login
        self.os_login = os_login if os_login is not None else login
        self.os_root = os_root  # root may act as any login
        self.create = create  # may make the database if it is not there (and its first user a supervisor)
        self.tz = ZoneInfo(tz) if isinstance(tz, str) else tz
        # The rules in force: the site's published version, else `procedures` (rules.py).
        self.rules = RulesInForce(procedures, fees_file, own_rules, answers_dir)
        self.path: Path | None = sqlite_path(url) if engine is None else None
        self.created_file = False
        self.first_user = False  # this store made its login the first supervisor of a new database
        self.on_first_user: Callable[[str], None] | None = None
        self.busy_timeout_ms = busy_timeout_ms or BUSY_TIMEOUT_MS
        self.engine = engine if engine is not None else make_engine(url, self.busy_timeout_ms)
        self.written = Recorder()  # the desk's own writes, delivered by the desk (written.py)
        self.files = JournalGuard(self.path, self.busy_timeout_ms) if self.path is not None else None
        self.db_roles = False  # PostgreSQL set up by `site init`: the database enforces the roles
        self.last_event_sql = "SELECT coalesce(max(id), 0) FROM event"  # (lookup.last_event_id)
        self._ready_lock = threading.Lock()
        self._me: StaffRow | None = None  # who acts, as read when the database was opened
        self._identity: Staff | None = None  # the same, as the ORM's Staff (`identity()`)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @property
    def sqlite(self) -> bool:
        return self.dialect == "sqlite"

    @property
    def procedures(self) -> Procedures:
        """The procedures in force: the database is opened first (its published version rules)."""
        self.ready()
        return self.rules.procedures

    def ready(self) -> None:
        """Open the database for this login, once: make the file (never world-readable), create
        the schema on a new database and identify the user (the first user of a new database
        becomes its supervisor). Raises UnknownUser for a login not on the staff list."""
        if self._me is not None:
            return
        with self._ready_lock, self.said():
            if self._me is not None:
                return
            self.init_schema()
            if self.files is not None:
                self.files.open()
            if not self.sqlite:
                self._server_identity()
            self.check_acting_as()
            # (a service is nobody on the staff list: no name, no role)
            self._me = (
                self._identify() if not self.service else StaffRow(new_staff(self.login, "", "", id=None))
            )
            with self.engine.connect() as conn:
                self.rules.refresh(conn)

    def _server_identity(self) -> None:
        """PostgreSQL: who you are is who the server says (peer authentication maps the OS login
        to its role); a login given for acting as someone else is kept, and the server still
        records the real one on every event (`event.db_user`)."""
        from .postgres import last_event_sql, roles_enforced

        with self.engine.connect() as conn:
            self.db_roles = roles_enforced(conn)
            self.last_event_sql = last_event_sql(conn)
            server_user = str(conn.execute(text("SELECT session_user")).scalar())
        if self.db_roles and self.login == self.os_login:
            self.login = self.os_login = server_user

    # --- who acts ---------------------------------------------------------------------------------

    @property
    def acting_for_another(self) -> bool:
        return bool(self.login) and self.login != self.os_login

    def check_acting_as(self) -> None:
        """Acting as another login (--user, LIYUAN_USER) is for root and for roles that may act
        for others (ACT_FOR_OTHERS); every event then records the real login beside it."""
        if not self.acting_for_another or self.os_root:
            return
        row = self._staff_row(self.os_login)
        if row is None or not row.active or row.role not in ACT_FOR_OTHERS:
            raise PermissionDenied(
                "error.act_as_refused", "user", login=self.login, os_login=self.os_login or "?"
            )

    def _staff_row(self, login: str) -> Any:
        with self.said(), self.engine.connect() as conn:
            return conn.execute(
                text("SELECT role, active FROM staff WHERE login = :login"), {"login": login}
            ).first()

    def role_in_any_release(self) -> str:
        """The acting user's role read with plain SQL, on a database of an older release too (to back
        it up or migrate it): an unknown or deactivated login, or acting for another unallowed, refused."""
        if self.path is not None:
            self.check_reachable()
            if not self.path.exists():
                raise self.no_database()
        self.check_acting_as()
        return str(self._checked(self._staff_row(self.login)).role)

    def identity(self) -> Staff:
        """The acting user's staff record, as found when the database was opened."""
        self.ready()
        if self._identity is None:
            self._identity = as_model(self._me)
        assert self._identity is not None
        return self._identity

    def init_schema(self) -> None:
        """Create the tables on a new database; refuse one made by an older or newer release
        (saying what to run). A database already made is only read, so opening the desk never
        waits for another terminal's write."""
        if self.path is not None:
            self.check_reachable()
            if not self.path.exists() and not self.create:
                raise self.no_database()
            if not self.create and self.path.stat().st_size == 0:
                raise self.no_database(empty=True)  # (opening it would write a header: leave it be)
            self.created_file = prepare_file(self.path) or self.created_file
        with self.said(), self.engine.connect() as conn:
            revision = revision_of(conn)
        if revision is not None:
            check_revision(revision)
            return
        if not self.create:
            raise self.no_database(empty=True)
        with self.engine.connect().execution_options(**{WRITE: True}) as conn:
            if revision_of(conn) is None:  # another terminal may have made it meanwhile
                create_schema(conn)
            conn.commit()

    def _identify(self) -> StaffRow:
        with self.engine.connect() as conn:
            me = self._actor_row(conn)
            anyone = me is not None or conn.execute(text("SELECT id FROM staff LIMIT 1")).first() is not None
        if not anyone and self.login and self.create:  # one user trying the desk on their own database
            me = self._first_user()
        return self._checked(me)

    def _first_user(self) -> StaffRow | None:
        """The first user of a new database becomes its supervisor (unless another was first)."""
        with self._transaction() as tx:
            if not self.sqlite:  # (two first users at once: one becomes the supervisor)
                tx.conn.execute(text(f"SELECT pg_advisory_xact_lock({WRITE_LOCK_KEY})"))
            if tx.conn.execute(text("SELECT id FROM staff LIMIT 1")).first() is not None:
                return self._actor_row(tx.conn)
            me = tx.insert(StaffRow, new_staff(self.login, self.login, "cs_supervisor"))
            tx.record(
                None,
                EventKind.STAFF_ADDED,
                {"login": self.login, "role": "cs_supervisor", "first_user": True},
            )
        self.first_user = True
        if self.on_first_user is not None:
            self.on_first_user(self.login)
        return me

    def check_reachable(self) -> None:
        """A file this login may not reach is said as such, with the group to join (never "no
        database", never the system's "Permission denied")."""
        blocked = blocked_by(self.path) if self.path is not None else None
        if blocked is not None:
            raise NoDatabase(
                "error.no_access", path=str(blocked[0]), group=blocked[1], login=self.os_login or "?"
            )

    def no_database(self, empty: bool = False) -> NoDatabase:
        where = str(self.path) if self.path is not None else self.url
        return NoDatabase("error.no_database_empty" if empty else "error.no_database", "db", path=where)

    def close(self) -> None:
        if self.files is not None:
            self.files.close()
        self.engine.dispose()

    @property
    def broken(self) -> JournalLost | None:
        """Set once the journal was found removed or replaced: this desk writes nothing more."""
        return self.files.broken if self.files is not None else None

    def check_files(self, after_commit: bool = False) -> None:
        if self.files is not None:
            self.files.check(self.os_login or self.login, self.clock.now(), after_commit)

    @contextmanager
    def said(self) -> Iterator[None]:
        """Database errors leave as the desk's refusals (faults.py): a lock held past the timeout
        says who may be holding it, that nothing was written, and to try again."""
        with faults.said(self.url, self.path, self.busy_timeout_ms):
            yield

    # --- sessions ---------------------------------------------------------------------------------

    @contextmanager
    def connect(self) -> Iterator[Connection]:
        """A read-only connection, to read with SQLAlchemy Core (rows.py)."""
        self.ready()
        with self.said(), self.engine.connect() as conn:
            yield conn

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only session; the objects read stay usable after it ends."""
        from sqlmodel import Session

        self.ready()
        with self.said(), Session(self.engine, expire_on_commit=False) as s:
            try:
                yield s
            finally:
                s.expunge_all()
                s.rollback()

    @contextmanager
    def write(self, action: Action | None = None) -> Iterator[Tx]:
        """One write transaction: BEGIN IMMEDIATE … COMMIT, rolled back on any error. With an
        action, the acting user must be allowed it (checked inside the transaction)."""
        self.ready()
        with self._transaction(action) as tx:
            yield tx

    @contextmanager
    def _transaction(self, action: Action | None = None) -> Iterator[Tx]:
        self.check_files()
        with (
            self.said(),
            self.engine.connect().execution_options(**{WRITE: True, DESK_ACTION: True}) as conn,
        ):
            tx = Tx(self, conn)  # (its ORM session, on the same connection, opened if asked for)
            try:
                if self._me is not None and action is not None and not self.rules.own:
                    tx.me_as_of(self._actor_and_rules(conn))  # (one round trip for both)
                elif self._me is not None:
                    self.rules.refresh(conn)  # a version published meanwhile is followed at once
                if action is not None:
                    tx.require(action)
                yield tx
                tx.flush()
                if tx.changed and not tx.events:
                    raise AssertionError("a write transaction changed rows without recording an event")
                self.check_files()  # (SQLite) holding the write lock: nobody else's checkpoint moves them now
                self.written.before_commit(tx)
                conn.commit()
            except BaseException:
                tx.close()
                conn.rollback()
                self.written.rolled_back(tx)  # (SQLite gives a rolled-back event's id again)
                raise
            tx.close()
            self.check_files(after_commit=True)
            self.written.after_commit(tx)  # (a journal lost at the commit: nothing shown as saved)

    # --- identity ---------------------------------------------------------------------------------

    def actor(self, s: Session) -> Staff:
        """Who acts, as the ORM's Staff, read in the session's transaction."""
        me: Staff = as_model(self.actor_row(s.connection()))
        return me

    def actor_row(self, conn: Connection) -> StaffRow:
        """Who acts, read in this connection's transaction (refused if unknown or deactivated)."""
        return self._checked(self._actor_row(conn))

    def _actor_row(self, conn: Connection) -> StaffRow | None:
        found = rows_of(conn, "staff", "login = :login", {"login": self.login}, StaffRow)
        return found[0] if found else None

    def _actor_and_rules(self, conn: Connection) -> StaffRow:
        """Who acts and the newest published rules' versions in one statement; the rules followed."""
        query = typed("staff", text(f"SELECT *, {NEWEST_COLUMNS} FROM staff WHERE login = :login"))
        row = conn.execute(query, {"login": self.login}).first()
        if row is None:
            return self._checked(None)
        values = row._asdict()
        self.rules.follow(conn, values)  # (the rules' columns taken out: the staff row's remain)
        return self._checked(StaffRow(values))

    def _checked(self, me: Who | None) -> Who:
        if me is None:
            raise UnknownUser("error.unknown_user", login=self.login or "?")
        if not me.active:
            raise UnknownUser("error.inactive_user", login=self.login)
        return me

    # --- reading requests -------------------------------------------------------------------------

    def load(self, s: Session, ref: str, *, for_update: bool = False) -> Request:
        from sqlmodel import select

        from liyuan_tui.domain.models import Request

        stmt = select(Request).where(Request.ref == ref.strip())
        if for_update and not self.sqlite:
            stmt = stmt.with_for_update()
        req = s.exec(stmt).first()
        if req is None:
            raise NotFound("error.ref_unknown", "ref", value=ref)
        return req

    def procedure_of(self, req: Any) -> Procedure:
        proc = self.procedures.get(req.category)
        if proc is None:
            raise ValidationError("error.category_missing", "category")
        return proc

    @staticmethod
    def conditions(req: Any) -> set[str]:
        return request_conditions(req.major, req.escalated_at is not None, req.channel, req.confidential)

    def hhmm(self, when: datetime | None) -> str:
        return when.astimezone(self.tz).strftime("%H:%M") if when else "?"


__all__ = ["Kernel", "Tx"]

"""One open write transaction (`with kernel.write(Action.X) as tx:`): who acts, its connection,
and what an action may do inside it — lock and load a request, check it is still as the user saw
it, change it with a compare-and-set on its version (`apply`), add rows, number a month's series,
and record the action's one event (`record`). The kernel (kernel.py) opens it, commits it, and
refuses one that changed rows without an event. Who acts, the month's number, a row inserted with
`insert` and the event are SQLAlchemy Core statements on the connection (rows.py); the ORM's
session (`tx.s`) is opened on the same connection when an action first asks for it, and what it
holds is written before any statement of ours (`flushed`), so the order of the writes is the
action's.

On PostgreSQL nothing here locks the whole database: a request is locked by its row (`load`,
FOR UPDATE) and changed with a compare-and-set; a month's series is locked while a ref is numbered
(`next_seq`), and the events' order from the first event to the commit (`record`) — each only from
the statement that needs it to the commit, one or two round trips when the action numbers and
records last.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TypeVar, cast

from sqlalchemy import Connection, CursorResult, text, update

from liyuan_tui.domain.errors import PermissionDenied, StaleError, ValidationError
from liyuan_tui.domain.events import EventKind
from liyuan_tui.domain.permissions import Action, allowed, allowed_on_own, owns
from liyuan_tui.domain.validation import ascii_digits

from .engine import EVENT_ORDER_KEY, SERIES_KEY
from .rows import EventRow, R, StaffRow, as_model, insert

# (the ORM's session and tables: opened and imported only by an action that uses them; logging a
# request and recording an event do not, rows.py)
if TYPE_CHECKING:
    from sqlmodel import Session
    from sqlmodel.sql.expression import SelectOfScalar

    from liyuan_tui.domain.models import Event, Request, Staff

    from .kernel import Kernel

T = TypeVar("T")


# The series the server numbers on a site (rows hidden from the writer by row-level security count).
# (the month, checked to be digits, is written into the SQL: `next_seq` sends two statements at once)
SERVER_NUMBERED = {
    "request": "SELECT public.liyuan_max_request_seq('{m}')",
    "receipt": "SELECT public.liyuan_max_receipt_seq('{m}')",
}
SERIES = tuple(SERVER_NUMBERED)  # the tables numbered by month
# PostgreSQL without the server numbering the events: the id of a transaction's first event, taken
# once the events' order is this transaction's (the lock's row is scanned before the id is drawn),
# in the event's own INSERT: no round trip of its own.
IN_ORDER = (
    f"(SELECT nextval(pg_get_serial_sequence('event', 'id')) FROM pg_advisory_xact_lock({EVENT_ORDER_KEY}))"
)


class Tx:
    """One open write transaction: who acts, its connection (and the ORM's session on it, opened
    when first asked for), and the event(s) it has recorded."""

    def __init__(self, kernel: Kernel, conn: Connection, session: Session | None = None) -> None:
        """`session`: one already open on `conn` (migrating, `site init`); else opened on first use."""
        self.k = kernel
        self.conn = conn
        self.events: list[EventRow | Event] = []
        self.rows: list[Any] = []  # rows added or changed, as written (written.py hands them on)
        self.changed = False
        self._session = session
        self._who: StaffRow | None = None
        self._me: Staff | None = None
        self.own_only: Action | None = None  # allowed only on the user's own requests (permissions.owns)

    @property
    def s(self) -> Session:
        """The ORM's session, in this transaction (on its connection)."""
        if self._session is None:
            from sqlmodel import Session

            if not self.conn.in_transaction():
                self.conn.begin()  # (the session joins it: the kernel commits or rolls back)
            self._session = Session(bind=self.conn, expire_on_commit=False)
        return self._session

    @property
    def flushed(self) -> Connection:
        """The connection, every row the session holds written to it first (as the session's own
        statements autoflush): for the statements run on it directly."""
        self.flush()
        return self.conn

    def flush(self) -> None:
        if self._session is not None:
            self._session.flush()

    def close(self) -> None:
        if self._session is not None:
            self._session.expunge_all()
            self._session.close()

    @property
    def who(self) -> StaffRow:
        """Who acts, read in this transaction."""
        if self._who is None:
            self._who = self.k.actor_row(self.conn)
        return self._who

    @property
    def me(self) -> Staff:
        """Who acts, as the ORM's Staff."""
        if self._me is None:
            self._me = as_model(self.who)
        assert self._me is not None
        return self._me

    @property
    def now(self) -> datetime:
        return self.k.clock.now()

    def me_as_of(self, who: StaffRow) -> None:
        """Who acts, as the kernel has just read them in this transaction."""
        self._who = who

    def require(self, action: Action) -> StaffRow:
        if not allowed(self.who.role, action):
            if not allowed_on_own(self.who.role, action):
                raise PermissionDenied("error.not_allowed", role=self.who.role, action=str(action))
            self.own_only = action  # every request this transaction loads must be the user's own
        return self.who

    def check_own(self, req: Request) -> None:
        """Refuse a request that is not the user's own when the action is allowed on those only."""
        if self.own_only is not None and not owns(self.who.role, self.who.login, req):
            raise PermissionDenied(
                "error.not_your_request", ref=req.ref, role=self.who.role, action=str(self.own_only)
            )

    def add(self, row: Any) -> None:
        """A new row (or a changed one that is not a request) in this transaction."""
        self.s.add(row)
        self.rows.append(row)
        self.changed = True

    def insert(self, kind: type[R], values: dict[str, Any]) -> R:
        """A new row written at once with SQLAlchemy Core (rows.py), given back as written."""
        row = insert(self.flushed, kind, values, {})
        self.rows.append(row)
        self.changed = True
        return row

    def insert_rows(
        self, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]], times: Iterable[str] = ()
    ) -> None:
        """Many rows at once through the driver's executemany, past SQLAlchemy's per-value work
        (bulk imports): the `times` columns are written as the desk's time columns store them."""
        if self.k.sqlite:
            at = [i for i, c in enumerate(columns) if c in set(times)]
            stored = []
            for row in rows:
                values = list(row)
                for i in at:
                    values[i] = _stored(values[i])
                stored.append(tuple(values))
            rows = stored
        else:
            rows = list(rows)
        if rows:
            marks = ", ".join("?" if self.k.sqlite else f"%({i})s" for i in range(len(columns)))
            sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"
            if self.k.sqlite:
                self.flushed.exec_driver_sql(sql, rows)
            else:
                self.flushed.exec_driver_sql(sql, [{str(i): v for i, v in enumerate(r)} for r in rows])
            self.changed = True

    def load(self, ref: str) -> Request:
        """The request, locked for this transaction where the database locks rows (and the
        user's own, where the action is allowed on those only)."""
        req = self.k.load(self.s, ref, for_update=True)
        self.check_own(req)
        return req

    def locked(self, stmt: SelectOfScalar[T]) -> T | None:
        """The first row `stmt` selects, locked for this transaction where the database locks
        rows (SQLite's BEGIN IMMEDIATE has already locked the whole file); None if there is none."""
        return self.s.exec(stmt if self.k.sqlite else stmt.with_for_update()).first()

    def open_request(self, ref: str, expected_version: int | None = None) -> Request:
        """The usual start of an action on an open request: which request (locked), still as the
        user saw it, and not closed. The role was checked by `Kernel.write(action)`."""
        req = self.load(ref)
        self.check_version(req, expected_version)
        self.check_open(req)
        return req

    def next_seq(self, table: str, month: str) -> int:
        """The next number of a month's series (`ref_month`, `ref_seq`), counting every row: on
        SQLite the file's write lock makes it safe; on PostgreSQL the series' own lock, taken here
        and held to the commit — call it as late as the action can, just before the row is added
        (only writers numbering the same month's series wait for it). On a database that hides
        rows (row-level security) the server counts for us."""
        if not ascii_digits(month) or table not in SERIES:  # (both are written into the SQL)
            raise ValueError(f"not a month's series: {table} {month!r}")
        if self.k.db_roles:
            top_sql = SERVER_NUMBERED[table].format(m=month)
        else:
            top_sql = f"SELECT max(ref_seq) FROM {table} WHERE ref_month = '{month}'"
        if self.k.sqlite:
            return (self.flushed.execute(text(top_sql)).scalar() or 0) + 1
        # The lock, then the count in a statement of its own (its snapshot taken once the last
        # holder has committed: it sees that holder's row), sent together: one round trip.
        lock_sql = f"SELECT pg_advisory_xact_lock({SERIES_KEY}, hashtext('{table}:{month}'))"
        cursor = self.flushed.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        try:
            cursor.execute(f"{lock_sql}; {top_sql}")
            cursor.nextset()
            row = cursor.fetchone()
        finally:
            cursor.close()
        return ((row[0] if row else None) or 0) + 1

    def sync_login(self, login: str) -> None:
        """Where the database enforces the roles, make the staff member's login role what the
        staff list now says (created on first use, in its desk role's group; a deactivated one
        may no longer log in): the one narrow path of postgres_sql.py."""
        if self.k.db_roles:
            from .postgres import sync_login

            sync_login(self.flushed, login)

    def check_version(self, req: Request, expected: int | None) -> None:
        if expected is not None and expected != req.version:
            raise self.stale(req)

    @staticmethod
    def check_open(req: Request) -> None:
        if not req.is_open:
            raise ValidationError("error.status_closed", "ref", ref=req.ref)

    def apply(self, req: Request, changes: dict[str, Any]) -> None:
        """Write `changes` with a compare-and-set on the version; the caller records the event."""
        if not self.compare_and_set(req, dict(changes, updated_at=self.now)):
            raise self.stale(req)

    def compare_and_set(self, row: Any, changes: dict[str, Any]) -> bool:
        """Write `changes` to a versioned row (a request, a work order, a tool …) only if it is
        still at the version this transaction read; False when someone changed it meanwhile."""
        from sqlalchemy.orm.attributes import set_committed_value
        from sqlmodel import col

        table = type(row)
        stmt = (
            update(table)
            .where(col(table.id) == row.id, col(table.version) == row.version)
            .values(**dict(changes, version=row.version + 1))
            .execution_options(synchronize_session=False)
        )
        # The row as written, without the ORM ever writing it a second time: read back in the
        # UPDATE itself on PostgreSQL (one round trip), after it on SQLite.
        if self.k.sqlite:
            if cast(CursorResult[Any], self.s.execute(stmt)).rowcount != 1:
                return False
            self.s.refresh(row)
        else:
            columns = list(table.__table__.columns)
            written = self.s.execute(stmt.returning(*columns)).first()
            if written is None:
                return False
            for column, value in zip(columns, written, strict=True):
                set_committed_value(row, column.key, value)
        self.changed = True
        if not any(r is row for r in self.rows):
            self.rows.append(row)
        return True

    def stale(self, req: Request) -> StaleError:
        from sqlmodel import col, select

        from liyuan_tui.domain.models import Event

        last = self.s.exec(
            select(Event).where(Event.request_id == req.id).order_by(col(Event.id).desc())
        ).first()
        by = last.actor if last else "?"
        at = last.at.astimezone(self.k.tz).strftime("%H:%M:%S") if last else "?"
        return StaleError("error.stale", ref=req.ref, by=by, at=at, what=last.kind if last else "?")

    def record(
        self,
        request: Any,
        kind: EventKind,
        payload: dict[str, Any] | None = None,
        *,
        dedupe_key: str | None = None,
        actor: str | None = None,
    ) -> EventRow:
        """Append the action's event (the audit log is never updated or deleted).

        On PostgreSQL the events' order is held from here to the commit (engine.EVENT_ORDER_KEY, or
        the server's counter where it numbers the events), so a desk never reads an id past one
        still to be committed. Every row this transaction changed so far is written first, so its
        row locks are all taken before: record an action's event after its other writes."""
        conn = self.flushed
        data = dict(payload or {})
        if self.k.os_login and self.k.os_login != self.k.login:
            data["os_login"] = self.k.os_login
        values = {
            "request_id": request.id if request is not None else None,
            "at": self.now,
            "actor": actor or self.k.login,
            "kind": str(kind),
            "payload": json.dumps(data, ensure_ascii=False, default=_json_default),
            "dedupe_key": dedupe_key,
            "db_user": self.k.os_login or self.k.login,  # on PostgreSQL the server writes its own
        }
        # (the first event on PostgreSQL: the events' order taken in its own INSERT)
        first = not self.k.sqlite and not self.k.db_roles and not self.events
        ev = insert(conn, EventRow, values, {"id": IN_ORDER} if first else {})
        self.events.append(ev)
        return ev


def _stored(value: Any) -> Any:
    """A value as SQLite keeps it in the desk's tables: an aware time as naive UTC text."""
    if value is None:
        return None
    return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"cannot record {type(value).__name__} in an event")

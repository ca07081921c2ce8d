"""The desk's rows without the ORM: read and written with SQLAlchemy Core and plain SQL against the
tables by name, typed as the tables are (times aware, flags booleans), each row an object with
every column an attribute, as the ORM would give it.

What a program calling the desk runs is a fresh process each time: importing SQLModel and declaring
the desk's tables would cost it more than its work (issue 23: a call ≤ 1.1× a bare `import
sqlmodel`). So `queue --json` and `show` read through here (glance.py), and the kernel writes a
logged request and every event through here (transaction.py: `Tx.insert`), inside its one
transaction; the desk's other writes use the ORM on the same connection. `as_model` gives a row the
ORM's class where the desk shows it (written.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from sqlalchemy import BindParameter, Boolean, Connection, TextClause, bindparam, text
from sqlalchemy.sql.selectable import TextualSelect

from liyuan_tui.domain.column_types import UTCDateTime
from liyuan_tui.domain.request_facts import RequestFacts
from liyuan_tui.domain.vocabulary import DEFAULT_ESTATE

R = TypeVar("R", bound="Row")

# The times and flags of the tables read and written here (models.py, records.py,
# desk_records.py): read and written with the ORM's own types (tests/store/test_glance.py holds
# these to the tables' own columns).
TIMES: dict[str, tuple[str, ...]] = {
    "request": (
        "received_at",
        "reply_due_at",
        "replied_at",
        "escalated_at",
        "major_at",
        "acknowledged_at",
        "major_ack_at",
        "closed_at",
        "updated_at",
        "followup_due_at",
    ),
    "steprecord": ("done_at",),
    "event": ("at",),
    "charge": ("at",),
    "followup": ("at", "due_at"),
    "receipt": ("created_at", "paid_at"),
    "staff": (),
    "feeitem": (),
}
FLAGS: dict[str, tuple[str, ...]] = {
    "request": ("major", "confidential"),
    "followup": ("reached", "solved"),
    "staff": ("active",),
    "feeitem": ("active",),
}


class Row:
    """A row as the ORM would give it: every column an attribute."""

    table = ""  # the table it is a row of (the classes below)

    def __init__(self, values: Mapping[str, Any]) -> None:
        self.__dict__.update(values)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.__dict__!r})"

    if TYPE_CHECKING:  # (a table's other columns: there, as the table has them)

        def __getattr__(self, name: str) -> Any: ...


class RequestRow(RequestFacts, Row):
    """A request without the ORM, with models.Request's own properties."""

    table = "request"
    id: int
    ref: str
    branches: str
    status: str
    repeat_of: str | None
    estate: str


class EventRow(Row):
    """An event as written (transaction.py: `Tx.record`)."""

    table = "event"
    id: int
    request_id: int | None
    at: datetime
    actor: str
    kind: str
    payload: str
    dedupe_key: str | None
    db_user: str | None


class StaffRow(Row):
    """A staff member: who acts (kernel.py reads it in every write)."""

    table = "staff"
    id: int
    login: str
    name: str
    role: str
    phone: str
    active: bool
    estate: str


class Active(Protocol):
    active: bool


Who = TypeVar("Who", bound=Active)  # a staff row: the ORM's or StaffRow


def new_staff(login: str, name: str, role: str, **more: Any) -> dict[str, Any]:
    """A new staff member's row: what models.Staff gives one by default, and `more`."""
    return {
        "login": login,
        "name": name,
        "role": role,
        "phone": "",
        "active": True,
        "estate": DEFAULT_ESTATE,
        **more,
    }


def typed(table: str, query: TextClause) -> TextualSelect:
    """`query`'s result columns of `table` read as the ORM reads them."""
    return query.columns(
        **dict.fromkeys(TIMES[table], UTCDateTime()), **dict.fromkeys(FLAGS.get(table, ()), Boolean())
    )


def rows_of(
    conn: Connection, table: str, where: str, params: Mapping[str, Any], kind: type[Row]
) -> list[Any]:
    """`SELECT * FROM table WHERE …`, each row as the ORM would give it."""
    query = text(f"SELECT * FROM {table} WHERE {where}").bindparams(*_times(params))
    return [kind(row._asdict()) for row in conn.execute(typed(table, query), params)]


def request_by_ref(conn: Connection, ref: str) -> RequestRow | None:
    """The request `ref` names, as it is now (None: no such request)."""
    found: list[RequestRow] = rows_of(conn, "request", "ref = :ref", {"ref": ref.strip()}, RequestRow)
    return found[0] if found else None


def insert(conn: Connection, kind: type[R], values: Mapping[str, Any], sql: Mapping[str, str]) -> R:
    """Insert one row of `kind`'s table and give it back as written (its id, the server's defaults
    and whatever the server set). `sql`: columns whose value is an SQL expression of the desk's own
    (never data: that is bound)."""
    table = kind.table
    names = [*values, *sql]
    marks = [f":{name}" for name in values] + list(sql.values())
    query = text(f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join(marks)}) RETURNING *")
    query = query.bindparams(*_times(values))
    written = conn.execute(typed(table, query), dict(values)).one()
    return kind(written._asdict())


def _times(params: Mapping[str, Any]) -> list[BindParameter[Any]]:
    """The parameters that are times, bound as the desk's time columns store them."""
    return [bindparam(name, type_=UTCDateTime()) for name, v in params.items() if isinstance(v, datetime)]


def as_model(row: Any) -> Any:
    """A row read or written here as its ORM class's object (detached, every column set); any other
    row as it is."""
    if not isinstance(row, Row) or not row.table:
        return row
    from liyuan_tui.domain.models import Event, Request, Staff

    model: Any = {"request": Request, "event": Event, "staff": Staff}[row.table]
    return model(**row.__dict__)

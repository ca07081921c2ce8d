"""Reading the desk without the ORM: what a program calling `liyuan queue --json` or `liyuan show
REF` needs (the open requests; one request in full, with the staff's and the fee items' names),
read with SQLAlchemy Core and plain SQL against the tables it needs only.

A phone system or cron calling the desk starts a fresh process each time: importing SQLModel and
declaring the desk's tables would cost it more than the reading (issue 23: a call ≤ 1.1× a bare
`import sqlmodel`). So a glance opens the database as the kernel does — the file reachable and
there, its revision this release's (one plain query: schema.py's `revision_of` inspects only
when that fails), on PostgreSQL the server's word on who you are, acting for another login only
where allowed, the acting user on the staff list and active, the rules in force the site's
published ones else the fallback — and reads rows as the ORM would give them: every column an
attribute, times aware (the same UTCDateTime type), flags booleans. It never writes and never
makes a database; the kernel (kernel.py) stays the one place that does.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, text

from liyuan_tui.domain.access import blocked_by
from liyuan_tui.domain.errors import NotFound, PermissionDenied, UnknownUser
from liyuan_tui.domain.permissions import ACT_FOR_OTHERS
from liyuan_tui.domain.procedure_files import procedures_from
from liyuan_tui.domain.vocabulary import OPEN_STATUSES

from . import faults
from .dbfiles import BUSY_TIMEOUT_MS, NoDatabase
from .engine import make_engine
from .rows import RequestRow, Row, request_by_ref, rows_of
from .schema import check_revision, revision_of
from .urls import sqlite_path

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from liyuan_tui.domain.clock import Clock
    from liyuan_tui.domain.procedures import Procedures

    from .request_detail import RequestDetail


class Glance:
    """Read-only, for one acting login on one database: opened on first use, like the kernel."""

    def __init__(
        self,
        url: str,
        clock: Clock,
        login: str,
        *,
        procedures: Callable[[], Procedures],
        tz: tzinfo | str,
        os_login: str | None = None,
        os_root: bool = False,
        own_rules: bool = False,
    ) -> None:
        """`procedures`: the fallback rules, loaded only when the site has published none (or
        `own_rules`: a personal database's own files win)."""
        self.url = url
        self.clock = clock
        self.login = login
        self.os_login = os_login if os_login is not None else login
        self.os_root = os_root
        self.tz = ZoneInfo(tz) if isinstance(tz, str) else tz
        self.path = sqlite_path(url)
        self._fallback = procedures
        self._own_rules = own_rules
        self._engine: Engine | None = None
        self._me: Row | None = None
        self._procedures: Procedures | None = None

    # --- opening, as the kernel does (kernel.py: ready) -------------------------------------------

    @contextmanager
    def _connection(self) -> Iterator[Connection]:
        if self._engine is None:
            self._engine = make_engine(self.url, BUSY_TIMEOUT_MS)
        with faults.said(self.url, self.path, BUSY_TIMEOUT_MS), self._engine.connect() as conn:
            yield conn

    def ready(self) -> None:
        if self._me is not None:
            return
        if self.path is not None:
            with faults.said(self.url, self.path, BUSY_TIMEOUT_MS):  # (a file it cannot read, said)
                self._check_file(self.path)
        with self._connection() as conn:
            revision = _revision(conn)
            if revision is None:
                raise NoDatabase(
                    "error.no_database_empty", "db", path=str(self.path) if self.path else self.url
                )
            check_revision(revision)
            if conn.dialect.name != "sqlite":
                self._server_identity(conn)
            self._check_acting_as(conn)
            me = conn.execute(text("SELECT * FROM staff WHERE login = :login"), {"login": self.login}).first()
            if me is None:
                raise UnknownUser("error.unknown_user", login=self.login or "?")
            if not me.active:
                raise UnknownUser("error.inactive_user", login=self.login)
            self._procedures = self._rules(conn)
            self._me = Row({**me._asdict(), "active": bool(me.active)})

    def _check_file(self, path: Path) -> None:
        """The file reachable and there, never made (kernel.py: check_reachable, init_schema)."""
        blocked = blocked_by(path)
        if blocked is not None:
            raise NoDatabase(
                "error.no_access", path=str(blocked[0]), group=blocked[1], login=self.os_login or "?"
            )
        if not path.exists():
            raise NoDatabase("error.no_database", "db", path=str(path))
        if path.stat().st_size == 0:
            raise NoDatabase("error.no_database_empty", "db", path=str(path))

    def _server_identity(self, conn: Connection) -> None:
        """PostgreSQL: who you are is who the server says, as for the kernel (kernel.py)."""
        from .postgres import roles_enforced

        if roles_enforced(conn) and self.login == self.os_login:
            self.login = self.os_login = str(conn.execute(text("SELECT session_user")).scalar())

    def _check_acting_as(self, conn: Connection) -> None:
        if not self.login or self.login == self.os_login or self.os_root:
            return
        row = conn.execute(
            text("SELECT role, active FROM staff WHERE login = :login"), {"login": self.os_login}
        ).first()
        if row is None or not row.active or row.role not in ACT_FOR_OTHERS:
            raise PermissionDenied(
                "error.act_as_refused", "user", login=self.login, os_login=self.os_login or "?"
            )

    def _rules(self, conn: Connection) -> Procedures:
        """The procedures in force: the site's newest published version, else the fallback
        (rules.py: RulesInForce)."""
        if not self._own_rules:
            row = conn.execute(
                text(
                    "SELECT version, content FROM site_rules WHERE kind = 'procedures' "
                    "ORDER BY version DESC LIMIT 1"
                )
            ).first()
            if row is not None:
                return procedures_from(published_files(row.content, "rules", row.version))
        return self._fallback()

    # --- what is read -----------------------------------------------------------------------------

    @property
    def me(self) -> Any:
        """The acting user's staff row (login, name, role, estate, active …)."""
        self.ready()
        return self._me

    @property
    def procedures(self) -> Procedures:
        self.ready()
        assert self._procedures is not None
        return self._procedures

    def open_requests(self, estate: str | None = None) -> list[Any]:
        """Every open request, or one estate's, as lookup.open_requests gives them (RequestRow:
        the attributes of models.Request)."""
        from liyuan_tui.domain import validation as check

        marks = ", ".join(f":s{i}" for i in range(len(OPEN_STATUSES)))
        where = f"status IN ({marks})" + (" AND estate = :estate" if estate is not None else "")
        params: dict[str, Any] = {f"s{i}": status for i, status in enumerate(OPEN_STATUSES)}
        if estate is not None:
            params["estate"] = check.estate(estate)  # checked before it reaches the database
        self.ready()
        with self._connection() as conn:
            return rows_of(conn, "request", where, params, RequestRow)

    def detail(self, ref: str) -> RequestDetail:
        """One request in full, as lookup.detail reads it (its work orders left out: `show` does
        not print them)."""
        from .request_detail import RequestDetail

        self.ready()
        with self._connection() as conn:
            req: Any = request_by_ref(conn, ref)  # (RequestDetail reads it as it reads models.Request)
            if req is None:
                raise NotFound("error.ref_unknown", "ref", value=ref)
            mine = {"id": req.id}
            steps = {
                r.step_key: r for r in rows_of(conn, "steprecord", "request_id = :id ORDER BY id", mine, Row)
            }
            events = rows_of(conn, "event", "request_id = :id ORDER BY id", mine, Row)
            charges = rows_of(conn, "charge", "request_id = :id ORDER BY id", mine, Row)
            followups = rows_of(conn, "followup", "request_id = :id ORDER BY id", mine, Row)
            receipts = {r.charge_id: r for r in rows_of(conn, "receipt", "request_id = :id", mine, Row)}
            first = req.incident or req.ref
            refs = [
                r
                for (r,) in conn.execute(
                    text(
                        "SELECT ref FROM request WHERE incident = :first OR ref = :first "
                        "ORDER BY received_at, id"
                    ),
                    {"first": first},
                )
                if r != req.ref
            ]
            if req.incident and req.incident in refs:  # the first call heads the list (incidents.py)
                refs.remove(req.incident)
                refs.insert(0, req.incident)
        return RequestDetail(req, steps, events, charges, [], followups, receipts, refs)

    def staff_names(self) -> dict[str, str]:
        """Every login's name (the staff list, staff.list_staff)."""
        self.ready()
        with self._connection() as conn:
            rows = conn.execute(text("SELECT login, name FROM staff"))
            return {str(login): str(name) for login, name in rows}

    def fee_item_names(self) -> dict[str, tuple[str, str]]:
        """Fee items by code: (zh name, en name), as charges.item_names reads them."""
        self.ready()
        with self._connection() as conn:
            rows = conn.execute(text("SELECT code, name_zh, name_en FROM feeitem"))
            return {code: (zh, en) for code, zh, en in rows}

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()


def _revision(conn: Connection) -> str | None:
    """The database's revision: one row of alembic_version, else schema.py's look at its tables
    (an empty database, one made before revisions)."""
    try:
        with conn.begin_nested():
            found = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except Exception:  # no such table: an empty database, or one older than revisions
        return revision_of(conn)
    return found if found is not None else revision_of(conn)


def published_files(content: str, what: str, version: int) -> dict[str, tuple[str, str]]:
    """A published version's files (rules.py): file name → (where it came from, TOML text)."""
    return {name: (f"site {what} v{version}/{name}", body) for name, body in json.loads(content).items()}

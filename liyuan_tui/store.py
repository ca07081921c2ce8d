"""Store: the one place that reads and writes the database.

Every user action is one short write transaction (BEGIN IMMEDIATE on SQLite) that checks the
acting user's role, applies the change with a compare-and-set on the request's version, and
appends exactly one Event. Reads return detached objects, never live sessions, so the UI can hand
them between threads.
"""

from __future__ import annotations

import json
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import Any, Iterator
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, or_, update
from sqlmodel import Session, SQLModel, col, select

from .archive import ArchiveActions
from .charges import ChargeActions
from .clock import Clock
from .db import SCHEMA_VERSION, WRITE, make_engine, prepare_file, sqlite_path
from .errors import DeskError, NotFound, PermissionDenied, StaleError, UnknownUser, ValidationError
from .import_actions import ImportActions
from .intake_actions import EDITABLE_FIELDS, RequestIntake
from .ladder import DeadlineLadder
from .lifecycle import OUTCOME_KINDS, RequestLifecycle
from .models import OPEN_STATUSES, Charge, Event, Request, Staff, StepRecord
from .permissions import Action, allowed
from .procedures import Procedure, Procedures, load_procedures, request_conditions
from .staff_actions import StaffActions

# The audit log is append-only, also for anyone who opens the file with another SQLite client.
APPEND_ONLY_TRIGGERS = (
    "CREATE TRIGGER IF NOT EXISTS event_append_only_update BEFORE UPDATE ON event "
    "BEGIN SELECT RAISE(ABORT, 'events are append-only'); END",
    "CREATE TRIGGER IF NOT EXISTS event_append_only_delete BEFORE DELETE ON event "
    "BEGIN SELECT RAISE(ABORT, 'events are append-only'); END",
)


@dataclass
class RequestDetail:
    """A request with its checklist records, its events and its charges, as read in one go."""

    request: Request
    steps: dict[str, StepRecord] = field(default_factory=dict)
    events: list[Event] = field(default_factory=list)
    charges: list[Charge] = field(default_factory=list)


class Store(RequestIntake, RequestLifecycle, StaffActions, DeadlineLadder, ChargeActions, ImportActions,
            ArchiveActions):
    """The desk's database. The actions live in mixins by area (intake_actions, lifecycle,
    staff_actions, ladder, charges, import_actions, archive); this class holds the sessions,
    identity, events, reads and the helpers they share."""

    def __init__(
        self,
        url: str,
        clock: Clock,
        login: str,
        *,
        procedures: Procedures | None = None,
        tz: tzinfo | str = "Asia/Shanghai",
        os_login: str | None = None,
        engine: Engine | None = None,
    ) -> None:
        self.url = url
        self.clock = clock
        self.login = login
        self.os_login = os_login if os_login is not None else login
        self.tz = ZoneInfo(tz) if isinstance(tz, str) else tz
        self.procedures = procedures if procedures is not None else load_procedures()
        self.created_file = False
        self._rungs_recorded: set[str] = set()
        path = sqlite_path(url)
        if path is not None and engine is None:
            self.created_file = prepare_file(path)
        self.engine = engine if engine is not None else make_engine(url)

    # --- set-up ---------------------------------------------------------------------------------

    def init_schema(self) -> None:
        """Create the tables on a new database. An up-to-date one is only read, so opening the
        desk never waits for another terminal's write."""
        if self._sqlite:
            with self.engine.connect() as conn:
                if conn.exec_driver_sql("PRAGMA user_version").scalar() == SCHEMA_VERSION:
                    return
        with self.engine.connect().execution_options(**{WRITE: True}) as conn:
            SQLModel.metadata.create_all(conn)
            if self._sqlite:
                for statement in APPEND_ONLY_TRIGGERS:
                    conn.exec_driver_sql(statement)
                conn.exec_driver_sql(f"PRAGMA user_version = {SCHEMA_VERSION}")
            conn.commit()

    @property
    def _sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def _read(self) -> Iterator[Session]:
        with Session(self.engine, expire_on_commit=False) as s:
            yield s
            s.expunge_all()

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A read-only session for modules that aggregate (reports); never used to write."""
        with self._read() as s:
            yield s
            s.rollback()

    @contextmanager
    def _write(self) -> Iterator[Session]:
        """One write transaction: BEGIN IMMEDIATE … COMMIT, rolled back on any error."""
        with self.engine.connect().execution_options(**{WRITE: True}) as conn:
            with Session(bind=conn, expire_on_commit=False) as s:
                try:
                    yield s
                    s.commit()
                except BaseException:
                    s.rollback()
                    raise
                s.expunge_all()

    # --- identity -------------------------------------------------------------------------------

    def ensure_identity(self) -> tuple[Staff, bool]:
        """The acting user's staff record; on a brand-new database the first user becomes a
        supervisor (returns True then). An unknown or deactivated login is refused."""
        with self._read() as s:
            me = s.exec(select(Staff).where(Staff.login == self.login)).first()
            anyone = me is not None or s.exec(select(Staff.id).limit(1)).first() is not None
        if not anyone:
            with self._write() as s:
                me = s.exec(select(Staff).where(Staff.login == self.login)).first()
                if me is None and s.exec(select(Staff.id).limit(1)).first() is None and self.login:
                    me = Staff(login=self.login, name=self.login, role="cs_supervisor")
                    s.add(me)
                    self._event(s, None, "staff_added",
                                {"login": self.login, "role": "cs_supervisor", "first_user": True})
                    return me, True
        if me is None:
            raise UnknownUser("error.unknown_user", login=self.login or "?")
        if not me.active:
            raise UnknownUser("error.inactive_user", login=self.login)
        return me, False

    def me(self) -> Staff:
        with self._read() as s:
            return self._actor(s)

    def _actor(self, s: Session) -> Staff:
        me = s.exec(select(Staff).where(Staff.login == self.login)).first()
        if me is None:
            raise UnknownUser("error.unknown_user", login=self.login or "?")
        if not me.active:
            raise UnknownUser("error.inactive_user", login=self.login)
        return me

    def _require(self, s: Session, action: Action) -> Staff:
        me = self._actor(s)
        if not allowed(me.role, action):
            raise PermissionDenied("error.not_allowed", role=me.role, action=str(action))
        return me

    # --- events ---------------------------------------------------------------------------------

    def _event(self, s: Session, request: Request | None, kind: str, payload: dict[str, Any] | None = None,
               *, dedupe_key: str | None = None, actor: str | None = None) -> Event:
        data = dict(payload or {})
        if self.os_login and self.os_login != self.login:
            data["os_login"] = self.os_login
        ev = Event(
            request_id=request.id if request is not None else None,
            at=self.clock.now(),
            actor=actor or self.login,
            kind=kind,
            payload=json.dumps(data, ensure_ascii=False, default=_json_default),
            dedupe_key=dedupe_key,
        )
        s.add(ev)
        s.flush()
        return ev

    def last_event_id(self) -> int:
        """The newest event's id: one indexed look-up, for terminals polling for changes."""
        with self.engine.connect() as conn:
            return conn.exec_driver_sql("SELECT coalesce(max(id), 0) FROM event").scalar() or 0

    def changes_since(self, event_id: int, limit: int = 500) -> list[tuple[Event, Request | None]]:
        """Events after `event_id`, each with its request as it is now (one query), for the
        terminals' notifications."""
        with self._read() as s:
            stmt = (select(Event, Request).join(Request, col(Event.request_id) == Request.id, isouter=True)
                    .where(Event.id > event_id).order_by(Event.id).limit(limit))
            return [(ev, req) for ev, req in s.exec(stmt)]

    def open_step_keys(self) -> dict[int, set[str]]:
        """The ticked steps of every open request, by request id (for role views)."""
        with self._read() as s:
            stmt = (select(StepRecord.request_id, StepRecord.step_key)
                    .join(Request, col(StepRecord.request_id) == Request.id)
                    .where(col(Request.status).in_(OPEN_STATUSES)))
            done: dict[int, set[str]] = {}
            for request_id, key in s.exec(stmt):
                done.setdefault(request_id, set()).add(key)
            return done

    # --- reading requests -----------------------------------------------------------------------

    def open_requests(self) -> list[Request]:
        with self._read() as s:
            return list(s.exec(select(Request).where(col(Request.status).in_(OPEN_STATUSES))))

    def get_request(self, ref: str) -> Request:
        with self._read() as s:
            return self._load(s, ref)

    def detail(self, ref: str) -> RequestDetail:
        with self._read() as s:
            req = self._load(s, ref)
            steps = {r.step_key: r for r in s.exec(select(StepRecord).where(StepRecord.request_id == req.id))}
            events = list(s.exec(select(Event).where(Event.request_id == req.id).order_by(Event.id)))
            charges = list(s.exec(select(Charge).where(Charge.request_id == req.id).order_by(Charge.id)))
            return RequestDetail(req, steps, events, charges)

    def search(self, text: str, limit: int = 50) -> list[Request]:
        """Requests (open or not) whose ref, unit, phone or requester's name contains `text`."""
        like = f"%{text.strip()}%"
        with self._read() as s:
            stmt = (
                select(Request)
                .where(or_(col(Request.ref).like(like), col(Request.unit).like(like),
                           col(Request.phone).like(like), col(Request.requester_name).like(like)))
                .order_by(col(Request.received_at).desc())
                .limit(limit)
            )
            return list(s.exec(stmt))

    def _load(self, s: Session, ref: str, *, for_update: bool = False) -> Request:
        stmt = select(Request).where(Request.ref == ref.strip())
        if for_update and not self._sqlite:
            stmt = stmt.with_for_update()
        req = s.exec(stmt).first()
        if req is None:
            raise NotFound("error.ref_unknown", "ref", value=ref)
        return req

    def procedure(self, category: str) -> Procedure | None:
        return self.procedures.get(category)

    # --- shared by the actions (intake, lifecycle, staff, charges, imports) -----------------------

    def _open_for(self, s: Session, ref: str, action: Action, expected_version: int | None = None) -> tuple[Staff, Request]:
        """The usual start of an action on an open request: who may, which request (locked for
        the transaction), still as the user saw it, and not closed."""
        me = self._require(s, action)
        req = self._load(s, ref, for_update=True)
        self._check_version(s, req, expected_version)
        self._check_open(req)
        return me, req

    def _apply(self, s: Session, req: Request, changes: dict[str, Any]) -> None:
        """Write `changes` with a compare-and-set on the version; the caller adds the event."""
        changes = dict(changes, version=req.version + 1, updated_at=self.clock.now())
        result = s.execute(
            update(Request)
            .where(col(Request.id) == req.id, col(Request.version) == req.version)
            .values(**changes)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:
            raise self._stale(s, req)
        s.refresh(req)  # the row as written, without the ORM ever writing it a second time

    def _check_version(self, s: Session, req: Request, expected: int | None) -> None:
        if expected is not None and expected != req.version:
            raise self._stale(s, req)

    def _stale(self, s: Session, req: Request) -> StaleError:
        last = s.exec(select(Event).where(Event.request_id == req.id).order_by(col(Event.id).desc())).first()
        by = last.actor if last else "?"
        at = last.at.astimezone(self.tz).strftime("%H:%M:%S") if last else "?"
        return StaleError("error.stale", ref=req.ref, by=by, at=at, what=last.kind if last else "?")

    @staticmethod
    def _check_open(req: Request) -> None:
        if not req.is_open:
            raise ValidationError("error.status_closed", "ref", ref=req.ref)

    def _procedure_of(self, req: Request) -> Procedure:
        proc = self.procedures.get(req.category)
        if proc is None:
            raise ValidationError("error.category_missing", "category")
        return proc

    @staticmethod
    def _conditions(req: Request) -> set[str]:
        return request_conditions(req.major, req.escalated_at is not None, req.channel, req.confidential)

    def _hhmm(self, when: datetime | None) -> str:
        return when.astimezone(self.tz).strftime("%H:%M") if when else "?"


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"cannot record {type(value).__name__} in an event")


__all__ = ["Store", "RequestDetail", "DeskError", "OUTCOME_KINDS", "EDITABLE_FIELDS"]

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

from sqlalchemy import Engine, func, or_, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, SQLModel, col, select

from . import validation as check
from .archive import ArchiveActions
from .charges import ChargeActions
from .clock import Clock
from .db import SCHEMA_VERSION, WRITE, make_engine, prepare_file, sqlite_path
from .deadlines import reply_due_at
from .errors import DeskError, NotFound, PermissionDenied, StaleError, UnknownUser, ValidationError
from .import_actions import ImportActions
from .ladder import DeadlineLadder
from .models import OPEN_STATUSES, Charge, Event, Request, Staff, StepRecord
from .permissions import Action, allowed, may_close_escalated, may_tick
from .procedures import MANAGER_INFORMED, Procedure, Procedures, load_procedures, named_steps, request_conditions

# The audit log is append-only, also for anyone who opens the file with another SQLite client.
APPEND_ONLY_TRIGGERS = (
    "CREATE TRIGGER IF NOT EXISTS event_append_only_update BEFORE UPDATE ON event "
    "BEGIN SELECT RAISE(ABORT, 'events are append-only'); END",
    "CREATE TRIGGER IF NOT EXISTS event_append_only_delete BEFORE DELETE ON event "
    "BEGIN SELECT RAISE(ABORT, 'events are append-only'); END",
)
OUTCOME_KINDS = ("resolved", "handed_on", "withdrawn", "other")
EDITABLE_FIELDS = ("category", "channel", "unit", "phone", "requester_name", "description", "major",
                   "confidential", "received_at")


@dataclass
class RequestDetail:
    """A request with its checklist records, its events and its charges, as read in one go."""

    request: Request
    steps: dict[str, StepRecord] = field(default_factory=dict)
    events: list[Event] = field(default_factory=list)
    charges: list[Charge] = field(default_factory=list)


class Store(DeadlineLadder, ChargeActions, ImportActions, ArchiveActions):
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

    def events_since(self, event_id: int, limit: int = 500) -> list[Event]:
        with self._read() as s:
            return list(s.exec(select(Event).where(Event.id > event_id).order_by(Event.id).limit(limit)))

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

    # --- creating and editing -------------------------------------------------------------------

    def create_request(
        self,
        *,
        category: str = "",
        channel: str = "phone",
        unit: str = "",
        phone: str = "",
        requester_name: str = "",
        description: str = "",
        received_at: datetime | None = None,
        major: bool = False,
        confidential: bool = False,
        complete: bool = False,
    ) -> Request:
        """Log a request. The intake form calls it bare the moment `n` is pressed (the clock runs
        from the call); a script passes every field and `complete=True` (category, unit and phone
        required)."""
        now = self.clock.now()
        fields = {
            "category": check.category(category, self.procedures) if (category or complete) else "",
            "channel": check.channel(channel),
            "unit": check.unit(unit, required=complete),
            "phone": check.phone(phone, required=complete),
            "requester_name": check.name(requester_name),
            "description": check.text(description),
        }
        received = received_at or now
        if received > now + check.FUTURE_TOLERANCE:
            raise ValidationError("error.time_future", "received_at")
        with self._write() as s:
            me = self._require(s, Action.CREATE)
            month = received.astimezone(self.tz).strftime("%Y%m")
            seq = (s.exec(select(func.max(Request.ref_seq)).where(Request.ref_month == month)).one() or 0) + 1
            req = Request(
                ref=f"{month}-{seq:04d}",
                ref_month=month,
                ref_seq=seq,
                received_at=received,
                reply_due_at=reply_due_at(received, self.procedures.reply_limit(fields["category"])),
                major=major,
                major_at=now if major else None,
                confidential=confidential,
                created_by=me.login,
                assignee=me.login if me.role == "assistant" else None,
                updated_at=now,
                **fields,
            )
            s.add(req)
            s.flush()
            payload = {k: v for k, v in fields.items() if v}
            payload.update(received_at=received, major=major, confidential=confidential)
            self._event(s, req, "created", payload)
            return req

    def update_fields(self, ref: str, expected_version: int | None = None, **changes: Any) -> Request:
        """Save intake fields as they are left; a changed category moves the reply deadline."""
        unknown = set(changes) - set(EDITABLE_FIELDS)
        if unknown:
            raise ValueError(f"not editable: {', '.join(sorted(unknown))}")
        clean = self._clean(changes)
        with self._write() as s:
            self._require(s, Action.UPDATE)
            req = self._load(s, ref, for_update=True)
            self._check_version(s, req, expected_version)
            self._check_open(req)
            diff = {k: v for k, v in clean.items() if getattr(req, k) != v}
            if not diff:
                return req
            now = self.clock.now()
            if "major" in diff:
                diff["major_at"] = now if diff["major"] else None
            if ("category" in diff or "received_at" in diff) and req.replied_at is None:
                received = diff.get("received_at", req.received_at)
                diff["reply_due_at"] = reply_due_at(received, self.procedures.reply_limit(diff.get("category", req.category)))
            payload = {k: [getattr(req, k), v] for k, v in diff.items() if k in EDITABLE_FIELDS}
            self._apply(s, req, diff)
            self._event(s, req, "updated", payload)
            return req

    def _clean(self, changes: dict[str, Any]) -> dict[str, Any]:
        clean: dict[str, Any] = {}
        for key, value in changes.items():
            if key == "category":
                clean[key] = check.category(value, self.procedures)
            elif key == "channel":
                clean[key] = check.channel(value)
            elif key == "unit":
                clean[key] = check.unit(value, required=False)
            elif key == "phone":
                clean[key] = check.phone(value, required=False)
            elif key == "requester_name":
                clean[key] = check.name(value)
            elif key == "description":
                clean[key] = check.text(value)
            elif key in ("major", "confidential"):
                clean[key] = bool(value)
            elif key == "received_at":
                if not isinstance(value, datetime) or value.tzinfo is None:
                    raise ValidationError("error.time_malformed", "received_at", value=value)
                if value > self.clock.now() + check.FUTURE_TOLERANCE:
                    raise ValidationError("error.time_future", "received_at")
                clean[key] = value
        return clean

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

    # --- the request's life ---------------------------------------------------------------------

    def mark_replied(self, ref: str, expected_version: int | None = None) -> Request:
        with self._write() as s:
            me = self._require(s, Action.REPLY)
            req = self._load(s, ref, for_update=True)
            self._check_version(s, req, expected_version)
            self._check_open(req)
            if req.replied_at is not None:
                raise ValidationError("error.already_replied", "ref", ref=req.ref, by=req.replied_by,
                                      at=self._hhmm(req.replied_at))
            now = self.clock.now()
            status = "replied" if req.status == "open" else req.status
            self._apply(s, req, {"replied_at": now, "replied_by": me.login, "status": status})
            self._event(s, req, "replied", {"late_seconds": max(0, int((now - req.reply_due_at).total_seconds()))})
            return req

    def escalate(self, ref: str, to: str = "cs_supervisor", note: str = "",
                 expected_version: int | None = None) -> Request:
        """Report to the supervisor (4.1.2 A): recorded, and every supervisor's terminal is told."""
        note = check.text(note, "note")
        with self._write() as s:
            me = self._require(s, Action.ESCALATE)
            req = self._load(s, ref, for_update=True)
            self._check_version(s, req, expected_version)
            self._check_open(req)
            if req.escalated_at is not None:
                raise ValidationError("error.already_escalated", "ref", ref=req.ref, by=req.escalated_by,
                                      at=self._hhmm(req.escalated_at))
            self._apply(s, req, {"escalated_at": self.clock.now(), "escalated_to": to, "escalated_by": me.login})
            self._event(s, req, "escalated", {"to": to, "note": note} if note else {"to": to})
            return req

    def set_major(self, ref: str, major: bool = True, expected_version: int | None = None) -> Request:
        """Mark (or unmark) a request major: it tops every queue and needs "manager informed"."""
        with self._write() as s:
            me = self._require(s, Action.MARK_MAJOR)
            if not major and not allowed(me.role, Action.REASSIGN):
                raise PermissionDenied("error.not_allowed", role=me.role, action="unmark_major")
            req = self._load(s, ref, for_update=True)
            self._check_version(s, req, expected_version)
            self._check_open(req)
            if req.major == major:
                return req
            self._apply(s, req, {"major": major, "major_at": self.clock.now() if major else None})
            self._event(s, req, "major" if major else "major_cleared", {})
            return req

    def acknowledge(self, ref: str, note: str = "") -> Request:
        """A supervisor answers an escalation; the manager takes note of a major case (and may
        answer an escalation too). The assistant sees who acknowledged, and when."""
        note = check.text(note, "note")
        with self._write() as s:
            me = self._require(s, Action.ACKNOWLEDGE)
            req = self._load(s, ref, for_update=True)
            now = self.clock.now()
            changes: dict[str, Any] = {}
            if req.escalated_at is not None and req.acknowledged_at is None:
                changes.update(acknowledged_at=now, acknowledged_by=me.login)
            if req.major and req.major_ack_at is None and me.role == "manager":
                changes.update(major_ack_at=now, major_ack_by=me.login)
            if not changes:
                raise ValidationError("error.nothing_to_acknowledge", "ref", ref=req.ref)
            self._apply(s, req, changes)
            payload: dict[str, Any] = {"role": me.role, "escalation": "acknowledged_at" in changes,
                                       "major": "major_ack_at" in changes}
            if note:
                payload["note"] = note
            self._event(s, req, "acknowledged", payload)
            return req

    def choose_branch(self, ref: str, branch: str, expected_version: int | None = None) -> Request:
        with self._write() as s:
            self._require(s, Action.TICK)
            req = self._load(s, ref, for_update=True)
            self._check_version(s, req, expected_version)
            self._check_open(req)
            proc = self._procedure_of(req)
            if proc.branch(branch) is None:
                raise ValidationError("error.branch_unknown", "branch", value=branch, category=proc.key,
                                      choices=", ".join(b.key for b in proc.branches) or "-")
            if branch in req.branch_list:
                raise ValidationError("error.branch_already", "branch", value=branch)
            self._apply(s, req, {"branches": ",".join(req.branch_list + [branch])})
            self._event(s, req, "branch", {"branch": branch})
            return req

    def tick_step(self, ref: str, step_key: str, *, note: str = "", value: str = "",
                  expected_version: int | None = None) -> Request:
        """Tick one checklist step with who and when. A step of a branch not yet chosen chooses it."""
        note, value = check.text(note, "note"), check.text(value, "value")
        with self._write() as s:
            me = self._require(s, Action.TICK)
            req = self._load(s, ref, for_update=True)
            self._check_version(s, req, expected_version)
            self._check_open(req)
            proc = self._procedure_of(req)
            step = proc.step(step_key)
            if step is None:
                raise ValidationError("error.step_unknown", "step", value=step_key, category=proc.key,
                                      choices=", ".join(x.key for x in proc.steps))
            if not may_tick(me.role, step.role):
                raise PermissionDenied("error.not_allowed_step", step_role=step.role, role=me.role)
            done = {r.step_key: r for r in s.exec(select(StepRecord).where(StepRecord.request_id == req.id))}
            if step_key in done:
                rec = done[step_key]
                raise ValidationError("error.step_already_done", "step", value=step_key, by=rec.done_by,
                                      at=self._hhmm(rec.done_at))
            branches = req.branch_list
            added_branch = None
            if step.branch and step.branch not in branches:
                added_branch = step.branch
                branches = branches + [step.branch]
            # A step outside this request's conditions (manager told of an ordinary case, a written
            # answer to an oral question) is still a fact worth recording: it is not refused.
            blockers = proc.blocking(step, branches, self._conditions(req), done)
            if blockers:
                raise ValidationError("error.step_blocked_by", "step", steps=named_steps(blockers))
            if step.input == "value" and not value:
                raise ValidationError("error.step_needs_value", "value", prompt=step.prompt or step_key)
            if step.input == "note" and not note:
                raise ValidationError("error.step_needs_note", "note", prompt=step.prompt or step_key)
            now = self.clock.now()
            s.add(StepRecord(request_id=req.id, step_key=step_key, done_at=now, done_by=me.login, note=note, value=value))
            changes: dict[str, Any] = {}
            if added_branch:
                changes["branches"] = ",".join(branches)
            self._apply(s, req, changes)
            payload: dict[str, Any] = {"step": step_key}
            if note:
                payload["note"] = note
            if value:
                payload["value"] = value
            if added_branch:
                payload["branch_added"] = added_branch
            self._event(s, req, "step", payload)
            return req

    def close_request(self, ref: str, outcome: str, *, kind: str = "", handed_to: str = "",
                      expected_version: int | None = None) -> Request:
        """Close with an outcome. Refused while required steps are open, a major request has no
        "manager informed", or a request handed on does not say to whom (never pass the buck)."""
        outcome = check.text(outcome, "outcome")
        handed_to = " ".join(handed_to.split())
        kind = kind or ("handed_on" if handed_to else "resolved")
        if kind not in OUTCOME_KINDS:
            raise ValidationError("error.outcome_kind", "outcome", value=kind, choices=", ".join(OUTCOME_KINDS))
        if not outcome:
            raise ValidationError("error.outcome_empty", "outcome")
        if kind == "handed_on" and not handed_to:
            raise ValidationError("error.handed_to_missing", "handed_to")
        with self._write() as s:
            me = self._require(s, Action.CLOSE)
            req = self._load(s, ref, for_update=True)
            self._check_version(s, req, expected_version)
            self._check_open(req)
            if req.escalated_at is not None and not may_close_escalated(me.role):
                raise PermissionDenied("error.escalated_close")
            if req.replied_at is None:
                raise ValidationError("error.close_not_replied", "ref")
            proc = self._procedure_of(req)
            if proc.branch_required and proc.branches and not req.branch_list:
                raise ValidationError("error.close_branch_missing", "branch",
                                      choices=", ".join(b.key for b in proc.branches))
            done = {r.step_key for r in s.exec(select(StepRecord).where(StepRecord.request_id == req.id))}
            missing = proc.missing_required(req.branch_list, self._conditions(req), done)
            if req.major and MANAGER_INFORMED not in done and all(m.key != MANAGER_INFORMED for m in missing):
                missing.append(proc.step(MANAGER_INFORMED))  # type: ignore[arg-type]
            if missing:
                raise ValidationError("error.close_steps_missing", "step", steps=named_steps(missing))
            now = self.clock.now()
            self._apply(s, req, {"status": "closed", "outcome": outcome, "outcome_kind": kind,
                                 "handed_to": handed_to, "closed_at": now, "closed_by": me.login})
            self._event(s, req, "closed", {"outcome": outcome, "kind": kind, "handed_to": handed_to} if handed_to
                        else {"outcome": outcome, "kind": kind})
            return req

    def reopen(self, ref: str, reason: str) -> Request:
        reason = check.text(reason, "reason")
        with self._write() as s:
            self._require(s, Action.REOPEN)
            req = self._load(s, ref, for_update=True)
            if req.is_open:
                raise ValidationError("error.status_not_closed", "ref", ref=req.ref)
            status = "replied" if req.replied_at else "open"
            self._apply(s, req, {"status": status, "closed_at": None, "closed_by": None})
            self._event(s, req, "reopened", {"reason": reason})
            return req

    def cancel(self, ref: str, reason: str, expected_version: int | None = None) -> Request:
        """Withdraw a request logged by mistake or twice; kept on record, out of the queue."""
        reason = check.text(reason, "reason")
        if not reason:
            raise ValidationError("error.unit_empty", "reason")
        with self._write() as s:
            self._require(s, Action.CANCEL)
            req = self._load(s, ref, for_update=True)
            self._check_version(s, req, expected_version)
            self._check_open(req)
            self._apply(s, req, {"status": "cancelled", "closed_at": self.clock.now(), "closed_by": self.login})
            self._event(s, req, "cancelled", {"reason": reason})
            return req

    def take(self, ref: str, expected_version: int | None = None) -> Request:
        """Take a request: refused with who holds it when someone else already does."""
        with self._write() as s:
            me = self._require(s, Action.TAKE)
            req = self._load(s, ref, for_update=True)
            self._check_open(req)
            if req.assignee == me.login:
                return req
            if req.assignee:
                raise StaleError("error.taken", ref=req.ref, by=req.assignee)
            self._check_version(s, req, expected_version)
            self._apply(s, req, {"assignee": me.login})
            self._event(s, req, "assigned", {"from": None, "to": me.login})
            return req

    def assign(self, ref: str, login: str, expected_version: int | None = None) -> Request:
        """Hand a request over: the holder hands on their own; a supervisor reassigns any."""
        login = check.login(login)
        with self._write() as s:
            me = self._actor(s)
            req = self._load(s, ref, for_update=True)
            self._check_version(s, req, expected_version)
            self._check_open(req)
            if req.assignee != me.login and not allowed(me.role, Action.REASSIGN):
                raise PermissionDenied("error.not_allowed", role=me.role, action=str(Action.REASSIGN))
            target = s.exec(select(Staff).where(Staff.login == login)).first()
            if target is None or not target.active:
                raise ValidationError("error.login_unknown", "assignee", value=login)
            self._apply(s, req, {"assignee": login})
            self._event(s, req, "assigned", {"from": req.assignee, "to": login})
            return req

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

    # --- staff ----------------------------------------------------------------------------------

    def add_staff(self, login: str, name: str, role: str, phone: str = "") -> Staff:
        login, role = check.login(login), check.role(role)
        name = check.name(name) or login
        phone = check.phone(phone, required=False)
        with self._write() as s:
            self._require(s, Action.MANAGE_STAFF)
            if s.exec(select(Staff).where(Staff.login == login)).first() is not None:
                raise ValidationError("error.login_exists", "login", value=login)
            staff = Staff(login=login, name=name, role=role, phone=phone)
            s.add(staff)
            try:
                s.flush()
            except IntegrityError:
                raise ValidationError("error.login_exists", "login", value=login) from None
            self._event(s, None, "staff_added", {"login": login, "name": name, "role": role})
            return staff

    def update_staff(self, login: str, *, role: str | None = None, name: str | None = None,
                     active: bool | None = None) -> Staff:
        login = check.login(login)
        with self._write() as s:
            self._require(s, Action.MANAGE_STAFF)
            staff = s.exec(select(Staff).where(Staff.login == login)).first()
            if staff is None:
                raise ValidationError("error.login_unknown", "login", value=login)
            changes: dict[str, Any] = {}
            if role is not None and check.role(role) != staff.role:
                changes["role"] = [staff.role, role]
                staff.role = role
            if name is not None and check.name(name) != staff.name:
                changes["name"] = [staff.name, name]
                staff.name = check.name(name)
            if active is not None and active != staff.active:
                changes["active"] = [staff.active, active]
                staff.active = active
            if changes:
                s.add(staff)
                self._event(s, None, "staff_changed", {"login": login, **changes})
            return staff

    def list_staff(self) -> list[Staff]:
        with self._read() as s:
            return list(s.exec(select(Staff).order_by(Staff.login)))

    def staff_by_login(self) -> dict[str, Staff]:
        return {st.login: st for st in self.list_staff()}


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"cannot record {type(value).__name__} in an event")


__all__ = ["Store", "RequestDetail", "DeskError", "OUTCOME_KINDS"]

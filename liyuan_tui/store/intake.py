"""Logging a request and saving its fields as the form is filled in.

Each field is checked here, once, before the transaction starts (the edge of the store): the
command line and the form pass what the user typed and show the refusal, naming the field.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from liyuan_tui.domain import validation as check
from liyuan_tui.domain.deadlines import reply_due_at
from liyuan_tui.domain.errors import ValidationError
from liyuan_tui.domain.events import EventKind
from liyuan_tui.domain.permissions import OWN_REQUEST_ROLES, Action

from .kernel import Kernel, Tx
from .repeats import earlier_repair, repeat_changes
from .rows import RequestRow, as_model, request_by_ref

if TYPE_CHECKING:
    from liyuan_tui.domain.models import Request

EDITABLE_FIELDS = (
    "category",
    "channel",
    "unit",
    "phone",
    "requester_name",
    "description",
    "major",
    "confidential",
    "received_at",
    "fault_kind",
)
# Fields that decide whether a request repeats an earlier repair.
REPEAT_FIELDS = frozenset({"unit", "category", "fault_kind", "received_at"})
# What a request logged has not yet, as models.Request says it (the columns the database has no
# default for: tests/store/test_intake.py holds these to the table's).
NOT_YET = {"status": "open", "branches": "", "outcome": "", "outcome_kind": "", "handed_to": "", "version": 1}


class Intake:
    """log_request (create_request), update_fields and the form's finish."""

    def __init__(self, kernel: Kernel) -> None:
        self.k = kernel

    def create_request(self, **fields: Any) -> Request:
        """`log_request`, the request given as the ORM's (the desk's form holds it)."""
        request: Request = as_model(self.log_request(**fields))
        return request

    def log_request(
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
        fault_kind: str = "",
        complete: bool = False,
    ) -> RequestRow:
        """Log a request. The intake form calls it bare the moment `n` is pressed (the clock runs
        from the call); a script passes every field and `complete=True` (category, unit and phone
        required). Written with SQLAlchemy Core (rows.py): a script logging one loads no ORM."""
        k = self.k
        now = k.clock.now()
        # (what needs no database first: the category is the site's published rules')
        fields: dict[str, Any] = {
            "channel": check.channel(channel),
            "unit": check.unit(unit, required=complete),
            "phone": check.phone(phone, required=complete),
            "requester_name": check.name(requester_name),
            "description": check.text(description),
        }
        received = self._received_at(received_at) if received_at is not None else now
        fields["category"] = check.category(category, k.procedures) if (category or complete) else ""
        fields["fault_kind"] = check.fault_kind(fault_kind, k.procedures.get(fields["category"]))
        with k.write(Action.CREATE) as tx:
            month = received.astimezone(k.tz).strftime("%Y%m")
            earlier = earlier_repair(
                tx.conn,
                k.procedures,
                unit=fields["unit"],
                category=fields["category"],
                fault_kind=fields["fault_kind"],
                received_at=received,
            )
            seq = tx.next_seq("request", month)  # (last: the month's series is held from here to the commit)
            me = tx.who
            req = tx.insert(
                RequestRow,
                dict(
                    NOT_YET,
                    ref=f"{month}-{seq:04d}",
                    ref_month=month,
                    ref_seq=seq,
                    received_at=received,
                    reply_due_at=reply_due_at(received, k.procedures.reply_limit(fields["category"])),
                    major=major,
                    major_at=now if major else None,
                    confidential=confidential,
                    created_by=me.login,
                    estate=me.estate,
                    assignee=me.login if me.role in OWN_REQUEST_ROLES else None,
                    updated_at=now,
                    procedures_version=k.rules.version("procedures"),
                    repeat_of=earlier.ref if earlier is not None else None,
                    **fields,
                ),
            )
            payload: dict[str, Any] = {name: v for name, v in fields.items() if v}
            if req.repeat_of:
                payload["repeat_of"] = req.repeat_of
            payload.update(received_at=received, major=major, confidential=confidential)
            event = tx.record(req, EventKind.CREATED, payload)
            if major:
                from . import outbox  # (the pager's tables: a major case only)

                outbox.page(tx, req, "major", event)  # the duty manager, at once (4.2.2)
            return req

    def repeated(self, req: RequestRow) -> RequestRow | None:
        """The earlier request a logged one repeats, as it is now (None: it repeats none)."""
        if not req.repeat_of:
            return None
        with self.k.connect() as conn:
            return request_by_ref(conn, req.repeat_of)

    def update_fields(self, ref: str, expected_version: int | None = None, **changes: Any) -> Request:
        """Save intake fields as they are left; a changed category moves the reply deadline."""
        clean = self._clean(changes)
        with self.k.write(Action.UPDATE) as tx:
            req = tx.open_request(ref, expected_version)
            self._record(tx, req, self._save(tx, req, clean))
            return req

    def finish(self, ref: str, **changes: Any) -> Request:
        """The form's done: the fields not yet saved and the steps the form answers (the patient's
        address, a contact phone: ticked with what it holds, steps.tick_from_form) in one
        transaction and one `updated` event, whose payload lists the steps ticked."""
        clean = self._clean(changes)
        from .steps import tick_from_form

        with self.k.write(Action.UPDATE) as tx:
            req = tx.open_request(ref)
            payload: dict[str, Any] = self._save(tx, req, clean)
            step_changes, ticked = tick_from_form(tx, req)
            if ticked:
                tx.apply(req, step_changes)
                payload["steps"] = ticked
            self._record(tx, req, payload)
            return req

    @staticmethod
    def _record(tx: Tx, req: Any, payload: dict[str, Any]) -> None:
        """The `updated` event of what was saved (none if nothing changed); a request marked major
        in the form pages the duty manager in the same transaction."""
        if not payload:
            return
        event = tx.record(req, EventKind.UPDATED, payload)
        if payload.get("major", [False, False])[1]:
            from . import outbox  # (the pager's tables: a major case only)

            outbox.page(tx, req, "major", event)  # marked major in the form: the duty manager

    def _save(self, tx: Tx, req: Request, clean: dict[str, Any]) -> dict[str, Any]:
        """Write the fields that differ (and what follows from them: the reply deadline of a new
        category, the earlier repair this one repeats); returns the event's payload (old, new)."""
        if "fault_kind" in clean:  # one of the kinds of the category it will have
            clean["fault_kind"] = check.fault_kind(
                clean["fault_kind"], self.k.procedures.get(clean.get("category", req.category))
            )
        diff = {name: v for name, v in clean.items() if getattr(req, name) != v}
        if diff.keys() & REPEAT_FIELDS:
            diff.update(repeat_changes(tx.flushed, self.k.procedures, req, diff))
        if not diff:
            return {}
        if "major" in diff:
            diff["major_at"] = tx.now if diff["major"] else None
        if ("category" in diff or "received_at" in diff) and req.replied_at is None:
            received = diff.get("received_at", req.received_at)
            limit = self.k.procedures.reply_limit(diff.get("category", req.category))
            diff["reply_due_at"] = reply_due_at(received, limit)
        payload = {
            name: [getattr(req, name), v]
            for name, v in diff.items()
            if name in EDITABLE_FIELDS or name == "repeat_of"
        }
        tx.apply(req, diff)
        return payload

    def _clean(self, changes: dict[str, Any]) -> dict[str, Any]:
        unknown = set(changes) - set(EDITABLE_FIELDS)
        if unknown:
            raise ValueError(f"not editable: {', '.join(sorted(unknown))}")
        clean: dict[str, Any] = {}
        for key, value in changes.items():
            if key == "category":
                clean[key] = check.category(value, self.k.procedures)
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
                clean[key] = self._received_at(value)
            elif key == "fault_kind":
                clean[key] = check.plain(
                    value, "fault_kind", max_len=40
                )  # checked against the category later
        return clean

    def _received_at(self, value: Any) -> datetime:
        if not isinstance(value, datetime) or value.tzinfo is None:
            raise ValidationError("error.time_malformed", "received_at", value=value)
        check.in_range(value, "received_at")
        if value > self.k.clock.now() + check.FUTURE_TOLERANCE:
            raise ValidationError("error.time_future", "received_at")
        return value

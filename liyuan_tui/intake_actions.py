"""Store mixin: logging a request and saving its fields as the form is filled in."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import func, select

from . import validation as check
from .deadlines import reply_due_at
from .errors import ValidationError
from .models import Request
from .permissions import Action

EDITABLE_FIELDS = ("category", "channel", "unit", "phone", "requester_name", "description", "major",
                   "confidential", "received_at")


class RequestIntake:
    """create_request and update_fields (uses the Store's _write, _require, _load, _apply, _event)."""

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
            _, req = self._open_for(s, ref, Action.UPDATE, expected_version)
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

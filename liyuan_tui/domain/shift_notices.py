"""Who is told of the shift's own events (pure, like notices.py): a handover signed is told to its
receiver and the supervisors (until it is accepted, the handover screen shows it to them too, and
a desk opened meanwhile says so: `waiting_notices`); an acceptance to whoever signed it."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import tzinfo

from .desk_records import Handover
from .events import EventKind
from .models import Event, Staff
from .notices import Notice
from .permissions import SUPERVISORS


def shift_notices(events: Iterable[Event], viewer: Staff) -> list[Notice]:
    out = []
    for ev in events:
        if ev.actor == viewer.login or ev.kind not in (
            EventKind.HANDOVER_SIGNED,
            EventKind.HANDOVER_ACCEPTED,
        ):
            continue
        payload = json.loads(ev.payload or "{}")
        if ev.kind == EventKind.HANDOVER_SIGNED:
            if payload.get("to") == viewer.login or viewer.role in SUPERVISORS:
                params = {"by": ev.actor, "to": payload.get("to", "")}
                key = (
                    "notice.handover_to_you"
                    if payload.get("to") == viewer.login
                    else "notice.handover_signed"
                )
                out.append(Notice("handover", "", key, params, "warning"))
        elif payload.get("from") == viewer.login:
            out.append(Notice("handover", "", "notice.handover_accepted", {"by": ev.actor}))
    return out


def waiting_notices(waiting: Iterable[Handover], tz: tzinfo) -> list[Notice]:
    """What a desk says as it opens of the handovers not yet accepted that its user should see
    (to them; every one for a supervisor: store.shift.pending)."""
    return [
        Notice(
            "handover",
            "",
            "shift.pending",
            {"by": h.signed_by, "to": h.to_login, "at": f"{h.signed_at.astimezone(tz):%m-%d %H:%M}"},
            "warning",
        )
        for h in waiting
    ]

"""The handover sheet's own record of the shift: the duty log's lines since the shift began, the
newest signed handover (by, to, when, accepted when), and the handovers not yet accepted that the
reader should chase (their own, or every one for a supervisor)."""

from __future__ import annotations

from datetime import datetime, time, tzinfo
from typing import Any

from liyuan_tui.domain.desk_records import DutyNote, Handover
from liyuan_tui.domain.i18n import Translator

from .source import ReportSource
from .tables import md_text


def default_since(store: ReportSource, now: datetime, at: time) -> datetime:
    """Where the sheet starts when not told: the most recent `at` (18:00), or the last signed
    handover at this estate if that came later — the next sheet starts from the signing."""
    from .handover import shift_start

    start = shift_start(now, store.tz, at)
    last = store.shift.latest()
    if last is not None and start < last.signed_at <= now:
        return last.signed_at
    return start


def signed_dict(h: Handover | None, tz: tzinfo) -> dict[str, Any] | None:
    if h is None:
        return None
    return {
        "id": h.id,
        "by": h.signed_by,
        "to": h.to_login,
        "at": _iso(h.signed_at, tz),
        "accepted_at": _iso(h.accepted_at, tz),
        "since": _iso(h.since, tz),
        "note": h.note,
    }


def log_dict(notes: list[DutyNote], tz: tzinfo) -> list[dict[str, Any]]:
    return [{"at": _iso(n.at, tz), "by": n.by, "text": n.text} for n in notes]


def _iso(when: datetime | None, tz: tzinfo) -> str | None:
    return when.astimezone(tz).isoformat(timespec="seconds") if when else None


def render_signed(
    signed: Handover | None,
    pending: list[Handover],
    t: Translator,
    tz: tzinfo,
    names: dict[str, str] | None = None,
) -> list[str]:
    """Lines under the title: handovers waiting to be accepted, then the newest one signed (people
    by name: `names`, login → name)."""
    named = names or {}

    def who(login: str) -> str:
        return named.get(login, login)

    def when(d: datetime) -> str:
        return d.astimezone(tz).strftime("%m-%d %H:%M")

    out = [
        "> " + md_text(t("shift.pending", by=who(h.signed_by), to=who(h.to_login), at=when(h.signed_at)))
        for h in pending
    ]
    if signed is not None and signed.id not in {h.id for h in pending}:
        key = "shift.signed_accepted" if signed.accepted_at else "shift.signed"
        at = when(signed.accepted_at) if signed.accepted_at else ""
        out.append(
            md_text(
                t(
                    key,
                    by=who(signed.signed_by),
                    to=who(signed.to_login),
                    at=when(signed.signed_at),
                    accepted=at,
                )
            )
        )
    return out + [""] if out else []


def render_log(
    notes: list[DutyNote], t: Translator, tz: tzinfo, names: dict[str, str] | None = None
) -> list[str]:
    out = [f"## {t('shift.log', count=len(notes))}", ""]
    if not notes:
        return out + [t("report.none"), ""]
    for n in notes:
        head = f"- {n.at.astimezone(tz).strftime('%m-%d %H:%M')} {md_text((names or {}).get(n.by, n.by))}: "
        out.append(head + "  \n  ".join(md_text(line) for line in n.text.splitlines()))
    return out + [""]

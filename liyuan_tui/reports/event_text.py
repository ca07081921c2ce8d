"""What each event in a request's record says, in the user's language: its name (never the kind
as stored) and what it did, from its payload. The timeline on screen and `liyuan show` both use it."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from liyuan_tui.domain.events import ORDER_KINDS, PAGE_KINDS, EventKind
from liyuan_tui.domain.fees import format_yuan
from liyuan_tui.domain.i18n import Translator
from liyuan_tui.domain.procedures import Procedure

from .export import DETAIL_KEYS, HIDDEN
from .household import followup_summary

if TYPE_CHECKING:  # (`show` describes events read without the ORM: store/glance.py)
    from liyuan_tui.domain.models import Event


def event_name(ev: Event, payload: dict[str, Any], t: Translator) -> str:
    """An event's name in the user's language (never its kind as stored)."""
    kind = ev.kind
    if kind == EventKind.ACKNOWLEDGED and payload.get("role") == "manager":
        kind = "acknowledged_by_manager"  # the manager's word on a major case, not a supervisor's
    name = t(f"event.{kind}")
    return name if name != f"event.{kind}" else t("event.updated")


def describe(
    ev: Event, proc: Procedure | None, t: Translator, visible: bool, names: Mapping[str, str] | None = None
) -> str:
    """What an event did, in the user's language, from its kind and payload; people by their
    names (`names`: login → name) where the event names someone."""
    names = names or {}

    def who(login: str | None) -> str:
        return names.get(login, login) if login else "-"

    payload = json.loads(ev.payload or "{}")
    if not visible:
        payload = {k: (HIDDEN if k in DETAIL_KEYS and v else v) for k, v in payload.items()}
    kind = ev.kind
    label = event_name(ev, payload, t)
    extra = ""
    if kind == EventKind.STEP:
        step = proc.step(payload.get("step", "")) if proc else None
        extra = step.text(t.lang) if step else payload.get("step", "")
        for key in ("value", "note"):
            if payload.get(key):
                extra += f" [{payload[key]}]"
        if payload.get("replied"):
            extra += t("ui.event.with_reply")
    elif kind in (EventKind.BRANCH, EventKind.BRANCH_SWITCHED):

        def name(key: str) -> str:
            branch = proc.branch(key) if proc else None
            return branch.name(t.lang) if branch else key

        extra = (
            name(payload.get("branch", ""))
            if kind == EventKind.BRANCH
            else (
                f"{name(payload.get('from', ''))} → {name(payload.get('to', ''))}"
                + (f" ({payload['reason']})" if payload.get("reason") else "")
            )
        )
    elif kind == EventKind.UPDATED:
        extra = ", ".join(t(f"field.{k}") for k in payload if k not in ("os_login", "steps"))
        for ticked in payload.get("steps", []):  # the intake form's done ticks the steps it answers
            step = proc.step(ticked.get("step", "")) if proc else None
            extra += ("; " if extra else "") + "✓ " + (step.text(t.lang) if step else ticked.get("step", ""))
            for key in ("value", "note"):
                if ticked.get(key):
                    extra += f" [{HIDDEN if not visible else ticked[key]}]"
    elif kind == EventKind.CLOSED:
        extra = payload.get("outcome", "") + (
            f" → {payload['handed_to']}" if payload.get("handed_to") else ""
        )
        if payload.get("procedures_version"):  # the site's rules the close was checked by
            extra += " " + t("ui.event.procedures_version", version=payload["procedures_version"])
    elif kind in (EventKind.REOPENED, EventKind.CANCELLED):
        extra = payload.get("reason", "")
    elif kind == EventKind.ESCALATED:
        extra = payload.get("note", "")
    elif kind == EventKind.ASSIGNED:
        extra = f"{who(payload.get('from'))} → {who(payload.get('to'))}"
    elif kind == EventKind.CHARGE:
        name = payload.get(f"name_{t.lang}") or payload.get("item", "")  # the item's name as charged
        extra = f"{name} × {payload.get('qty', 1):g} = {format_yuan(payload.get('amount_cents', 0))}"
        if payload.get("receipt"):
            extra += f" ({payload['receipt']})"
    elif kind in (EventKind.LINKED, EventKind.UNLINKED, EventKind.PAID):
        extra = _desk(kind, payload, t)
    elif kind == EventKind.REPLY_NOTED or (kind == EventKind.REPLIED and payload.get("reply_text")):
        late = payload.get("late_seconds") or 0
        said = t("ui.event.late", minutes=late // 60, seconds=late % 60) if late else ""
        extra = " ".join(x for x in (said, f"“{payload.get('reply_text', '')}”") if x)
    elif kind in ORDER_KINDS or kind in (EventKind.STOCK_USED, EventKind.TOOL_ISSUED):
        extra = _back_office(kind, payload, t, who)
        step = proc.step(payload["step"]) if proc and payload.get("step") else None
        if step is not None:  # the checklist's step the order's moment ticked: one entry, not two
            extra += t("ui.event.order_step")
    elif kind == EventKind.FOLLOWUP:
        extra = followup_summary(SimpleNamespace(**{"note": "", **payload}), t)
    elif kind in PAGE_KINDS:
        extra = _page(kind, payload, t)
    elif kind == EventKind.ACKNOWLEDGED and payload.get("pages"):
        extra = t("ui.event.page_acknowledged", pages=payload["pages"]).strip("( )")
    elif kind == EventKind.DB_CHANGE:
        extra = t(
            "ui.event.db_change_what",
            table=payload.get("table", "request"),
            operation=payload.get("operation", ""),
        )
    elif kind == EventKind.RULES_PUBLISHED:
        extra = ", ".join(
            f"{t('rules.kind.' + k)} v{payload[k]}" for k in ("procedures", "fees") if k in payload
        )
    elif (kind == EventKind.REPLIED and payload.get("late_seconds")) or (
        kind in (EventKind.AUTO_ESCALATED, EventKind.OVERDUE_ALERT) and payload.get("late_seconds")
    ):
        extra = t(
            "ui.event.late", minutes=payload["late_seconds"] // 60, seconds=payload["late_seconds"] % 60
        )
    # Chinese has no spaces to break at: a colon keeps the label and what follows one phrase.
    return f"{label}{':' if t.lang == 'zh' else ': '}{extra}" if extra else label


def _desk(kind: str, p: dict[str, Any], t: Translator) -> str:
    """A linked call or a receipt paid, in a few words."""
    if kind == EventKind.LINKED:
        return f"→ {p.get('to', '')}"
    if kind == EventKind.UNLINKED:
        return f"{p.get('from', '')} ✗"
    method = t(f"desk.method.{p.get('method', '')}")
    return f"{p.get('receipt', '')} {format_yuan(p.get('amount_cents', 0))} {method}"


def _back_office(kind: str, p: dict[str, Any], t: Translator, who: Callable[[str | None], str]) -> str:
    """A work order's event (or stock and tools used on one), in a few words."""
    number = p.get("order", "")
    if kind in (EventKind.ORDER_CREATED, EventKind.ORDER_DISPATCHED):
        return f"{number} → {who(p.get('to') or p.get('technician'))}"
    if kind == EventKind.ORDER_FINISHED:
        used = ", ".join(f"{m['code']}×{m['qty']}" for m in p.get("materials", []))
        signed = t("sheet.not_home") if p.get("not_home") else p.get("signed_by", "")
        return " ".join(
            x for x in (number, f"{p.get('hours', 0):g}h", used, f"[{signed}]" if signed else "") if x
        )
    if kind in (EventKind.ORDER_WARNING, EventKind.ORDER_LATE):
        return f"{number} {t('order.limit.' + p.get('limit', 'arrive'))}"
    if kind == EventKind.STOCK_USED:
        return f"{p.get('code', '')}×{p.get('qty', '')} {number}".strip()
    if kind == EventKind.TOOL_ISSUED:
        return f"{p.get('code', '')} → {who(p.get('to'))} {number}".strip()
    reason = p.get("reason")
    return f"{number} [{reason}]" if reason else number


def _page(kind: str, p: dict[str, Any], t: Translator) -> str:
    """A page's attempt, delivery, failure or next rung, in a few words (never a channel's address)."""
    to = p.get("to")
    who = t("ui.event.page_to", to=", ".join(to) if isinstance(to, list) else (to or "-"))
    if kind == EventKind.PAGE_UNACKNOWLEDGED:
        return f"{t('ui.event.page_rung', minutes=p.get('minutes', '?'))} {who}"
    if kind == EventKind.PAGE_NOBODY:
        return t(f"duty.{p.get('duty', 'duty_supervisor')}")
    if kind in (EventKind.PAGE_UNANSWERED, EventKind.PAGER_TEST):
        return who if kind == EventKind.PAGER_TEST else ""
    parts = [who, t("ui.event.page_attempt", n=p.get("attempt", 1))]
    if kind == EventKind.PAGE_SENT and p.get("channels"):
        parts.append(", ".join(p["channels"]))
    if kind == EventKind.PAGE_FAILED:
        parts.append(", ".join(p.get("failed") or []))
        if p.get("given_up"):
            parts.append(t("ui.event.page_given_up"))
        elif p.get("next_at"):
            parts.append(t("ui.event.page_retry"))
    return " ".join(x for x in parts if x)

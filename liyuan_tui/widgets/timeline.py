"""A request's timeline: every event with when, who and what, oldest first."""

from __future__ import annotations

import json
from datetime import tzinfo
from types import SimpleNamespace
from typing import Mapping

from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from liyuan_tui.reports.export import DETAIL_KEYS, HIDDEN
from liyuan_tui.reports.household import followup_summary
from liyuan_tui.domain.events import ORDER_KINDS, EventKind
from liyuan_tui.domain.fees import format_yuan
from liyuan_tui.domain.i18n import Translator
from liyuan_tui.domain.models import Event, Staff
from liyuan_tui.domain.procedures import Procedure
from liyuan_tui.domain.safe_text import visible as shown

from .plain import plain


def describe(ev: Event, proc: Procedure | None, t: Translator, visible: bool) -> str:
    """What an event did, in the user's language, from its kind and payload."""
    payload = json.loads(ev.payload or "{}")
    if not visible:
        payload = {k: (HIDDEN if k in DETAIL_KEYS and v else v) for k, v in payload.items()}
    kind = ev.kind
    label = t(f"ui.event.{kind}")
    if label == f"ui.event.{kind}":
        label = kind
    extra = ""
    if kind == EventKind.STEP:
        step = proc.step(payload.get("step", "")) if proc else None
        extra = step.text(t.lang) if step else payload.get("step", "")
        for key in ("value", "note"):
            if payload.get(key):
                extra += f" [{payload[key]}]"
    elif kind == EventKind.BRANCH:
        branch = proc.branch(payload.get("branch", "")) if proc else None
        extra = branch.name(t.lang) if branch else payload.get("branch", "")
    elif kind == EventKind.UPDATED:
        extra = ", ".join(t(f"field.{k}") for k in payload if k != "os_login")
    elif kind == EventKind.CLOSED:
        extra = payload.get("outcome", "") + (f" → {payload['handed_to']}" if payload.get("handed_to") else "")
    elif kind in (EventKind.REOPENED, EventKind.CANCELLED):
        extra = payload.get("reason", "")
    elif kind == EventKind.ESCALATED:
        extra = payload.get("note", "")
    elif kind == EventKind.ASSIGNED:
        extra = f"{payload.get('from') or '-'} → {payload.get('to')}"
    elif kind == EventKind.CHARGE:
        name = payload.get(f"name_{t.lang}") or payload.get("item", "")  # the item's name as charged
        extra = f"{name} × {payload.get('qty', 1):g} = {format_yuan(payload.get('amount_cents', 0))}"
    elif kind in ORDER_KINDS or kind in (EventKind.STOCK_USED, EventKind.TOOL_ISSUED):
        extra = _back_office(kind, payload, t)
    elif kind == EventKind.FOLLOWUP:
        extra = followup_summary(SimpleNamespace(**{"note": "", **payload}), t)
    elif kind == EventKind.REPLIED and payload.get("late_seconds"):
        extra = t("ui.event.late", minutes=payload["late_seconds"] // 60, seconds=payload["late_seconds"] % 60)
    # Chinese has no spaces to break at: a colon keeps the label and what follows one phrase.
    return f"{label}{':' if t.lang == 'zh' else ': '}{extra}" if extra else label


def _back_office(kind: str, p: dict, t: Translator) -> str:
    """A work order's event (or stock and tools used on one), in a few words."""
    number = p.get("order", "")
    if kind in (EventKind.ORDER_CREATED, EventKind.ORDER_DISPATCHED):
        return f"{number} → {p.get('to') or p.get('technician') or '-'}"
    if kind == EventKind.ORDER_FINISHED:
        used = ", ".join(f"{m['code']}×{m['qty']}" for m in p.get("materials", []))
        signed = t("sheet.not_home") if p.get("not_home") else p.get("signed_by", "")
        return " ".join(x for x in (number, f"{p.get('hours', 0):g}h", used, f"[{signed}]" if signed else "") if x)
    if kind in (EventKind.ORDER_WARNING, EventKind.ORDER_LATE):
        return f"{number} {t('order.limit.' + p.get('limit', 'arrive'))}"
    if kind == EventKind.STOCK_USED:
        return f"{p.get('code', '')}×{p.get('qty', '')} {number}".strip()
    if kind == EventKind.TOOL_ISSUED:
        return f"{p.get('code', '')} → {p.get('to', '')} {number}".strip()
    reason = p.get("reason")
    return f"{number} [{reason}]" if reason else number


class Timeline(Static):
    """Rebuilt when the request's events change (never on the clock tick)."""

    DEFAULT_CSS = """
    Timeline { height: auto; }
    """

    def show(self, events: list[Event], proc: Procedure | None, *, t: Translator, tz: tzinfo,
             staff: Mapping[str, Staff], visible: bool) -> None:
        table = Table.grid(padding=(0, 1))
        table.add_column(no_wrap=True, style="dim")
        table.add_column(no_wrap=True, style="cyan")
        table.add_column(ratio=1)
        for ev in events:
            who = staff.get(ev.actor)
            table.add_row(f"{ev.at.astimezone(tz):%H:%M:%S}", plain(who.name if who else ev.actor, one_line=True),
                          Text(shown(describe(ev, proc, t, visible)), overflow="fold"))
        self.update(table)

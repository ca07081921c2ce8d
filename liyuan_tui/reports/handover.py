"""The shift handover sheet: what came in during the shift, what is still open and with whom,
what is overdue, which escalations nobody has acknowledged yet. Pure data a screen or the
command line renders.

The shift starts at NIGHT_SHIFT_START (18:00 local): by default the sheet covers everything since
the most recent 18:00, so at 08:00 it is the night that is ending, and at 23:00 the night so far.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta, tzinfo
from typing import Any

from liyuan_tui.domain.deadlines import format_countdown, queue_order, seconds_left, urgency
from liyuan_tui.domain.desk_records import DutyNote, Handover
from liyuan_tui.domain.errors import ValidationError
from liyuan_tui.domain.i18n import Translator
from liyuan_tui.domain.models import Request
from liyuan_tui.domain.permissions import hidden_fields
from liyuan_tui.domain.procedures import Procedures

from .export import HIDDEN
from .handover_backoffice import (
    HandoverOrder,
    HandoverTool,
    back_office_dict,
    back_office_lists,
    render_back_office,
)
from .handover_shift import log_dict, render_log, render_signed, signed_dict
from .source import ReportSource
from .tables import Namer, escalated_to_name, md_table

NIGHT_SHIFT_START = time(18, 0)
_HHMM = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


def parse_since(value: str) -> time:
    """When the shift began, `HH:MM` local."""
    m = _HHMM.fullmatch((value or "").strip())
    if not m:
        raise ValidationError("handover.since_malformed", "since", value=value)
    return time(int(m.group(1)), int(m.group(2)))


def shift_start(now: datetime, tz: tzinfo, at: time = NIGHT_SHIFT_START) -> datetime:
    """The most recent local `at` (today's if it has passed, else yesterday's), as an aware time."""
    local = now.astimezone(tz)
    start = datetime.combine(local.date(), at, tzinfo=tz)
    if start > local:
        start = datetime.combine(local.date() - timedelta(days=1), at, tzinfo=tz)
    return start


@dataclass(frozen=True)
class HandoverItem:
    ref: str
    category: str
    unit: str
    received_at: datetime
    status: str
    holder: str | None
    state: str  # ok | warning | overdue | replied
    seconds_left: int
    major: bool
    confidential: bool
    escalated_to: str | None
    description: str | None  # None when the viewer may not see a confidential request's details


@dataclass
class HandoverSheet:
    since: datetime
    now: datetime
    came_in: list[HandoverItem] = field(default_factory=list)
    still_open: list[HandoverItem] = field(default_factory=list)
    overdue: list[HandoverItem] = field(default_factory=list)
    unanswered_escalations: list[HandoverItem] = field(default_factory=list)
    orders: list[HandoverOrder] = field(default_factory=list)  # work orders still open, late first
    tools_out: list[HandoverTool] = field(default_factory=list)  # repair tools not returned, overdue first
    log: list[DutyNote] = field(default_factory=list)  # the duty log's lines since the shift began
    signed: Handover | None = None  # the newest handover signed at this estate
    pending: list[Handover] = field(default_factory=list)  # not yet accepted, for the reader to chase
    names: dict[str, str] = field(default_factory=dict)  # login → name: the sheet names people

    @property
    def late_orders(self) -> list[HandoverOrder]:
        return [x for x in self.orders if x.urgency == "late"]

    @property
    def overdue_tools(self) -> list[HandoverTool]:
        return [x for x in self.tools_out if x.overdue]


def handover_sheet(store: ReportSource, since: datetime, now: datetime | None = None) -> HandoverSheet:
    now = now or store.clock.now()
    viewer = store.staff.me()

    def item(r: Request) -> HandoverItem:
        hidden = hidden_fields(viewer, r, store.procedures)
        return HandoverItem(
            r.ref,
            r.category,
            HIDDEN if "unit" in hidden else r.unit,
            r.received_at,
            r.status,
            r.assignee,
            str(urgency(r, now)),
            seconds_left(r, now),
            r.major,
            r.confidential,
            r.escalated_to,
            None if "description" in hidden else r.description,
        )

    with store.figures.reading() as read:  # the shift at this estate's desk
        sheet = HandoverSheet(since, now, [item(r) for r in read.received_since(since, viewer.estate)])
        still = sorted(read.open_at(viewer.estate), key=lambda r: queue_order(r, now, r.major))
        sheet.still_open = [item(r) for r in still]
        sheet.unanswered_escalations = [
            item(r) for r in still if r.escalated_at and r.acknowledged_at is None
        ]
        sheet.names = read.staff_names()
    sheet.overdue = [x for x in sheet.still_open if x.state == "overdue"]
    sheet.orders, sheet.tools_out = back_office_lists(store, now)
    sheet.log = store.shift.notes(since, now + timedelta(seconds=1))
    sheet.signed, sheet.pending = store.shift.latest(), store.shift.pending()
    return sheet


def render_handover(sheet: HandoverSheet, t: Translator, procedures: Procedures, tz: tzinfo) -> str:
    namer = Namer(t, procedures)

    def when(d: datetime) -> str:
        return d.astimezone(tz).strftime("%m-%d %H:%M")

    def rows(items: list[HandoverItem], extra: str) -> list[list[str]]:
        out = []
        for x in items:
            last = {
                "holder": sheet.names.get(x.holder, x.holder) if x.holder else t("handover.nobody"),
                "countdown": format_countdown(x.seconds_left, t.lang),
                "escalated_to": escalated_to_name(x.escalated_to, t, sheet.names),
            }[extra]
            text = x.description if x.description is not None else t("report.hidden")
            # The queue's marks: ! a major case, ^ an escalated one.
            marks = ("!" if x.major else "") + ("^" if x.escalated_to else "")
            out.append(
                [
                    marks + x.ref,
                    namer.category(x.category),
                    x.unit,
                    when(x.received_at),
                    t("status." + x.status),
                    last,
                    text if len(text) <= 30 else text[:29] + "…",
                ]
            )
        return out

    head = [t("column.ref"), t("column.category"), t("column.unit"), t("column.received"), t("column.state")]
    out = [
        f"# {t('handover.title')}",
        "",
        t("handover.period", since=when(sheet.since), now=when(sheet.now)),
        "",
        t("handover.marks"),
        "",
    ]
    out += render_signed(sheet.signed, sheet.pending, t, tz, sheet.names)
    sections = (
        ("handover.came_in", sheet.came_in, "holder", t("column.assignee")),
        ("handover.still_open", sheet.still_open, "holder", t("column.assignee")),
        ("handover.overdue", sheet.overdue, "countdown", t("column.countdown")),
        ("handover.escalations", sheet.unanswered_escalations, "escalated_to", t("report.escalated_to")),
    )
    for key, items, extra, label in sections:
        out += [f"## {t(key, count=len(items))}", ""]
        if items:
            out += md_table(head + [label, t("handover.what")], rows(items, extra))
        else:
            out.append(t("report.none"))
        out.append("")
    out += render_log(sheet.log, t, tz, sheet.names)
    out += render_back_office(sheet.orders, sheet.tools_out, t, tz, sheet.names)
    return "\n".join(out)


def handover_dict(sheet: HandoverSheet, tz: tzinfo) -> dict[str, Any]:
    def d(x: HandoverItem) -> dict[str, Any]:
        return {
            "ref": x.ref,
            "category": x.category,
            "unit": x.unit,
            "received_at": x.received_at.astimezone(tz).isoformat(timespec="seconds"),
            "status": x.status,
            "holder": x.holder,
            "state": x.state,
            "seconds_left": x.seconds_left,
            "major": x.major,
            "confidential": x.confidential,
            "escalated_to": x.escalated_to,
            "description": x.description if x.description is not None else HIDDEN,
        }

    return {
        "since": sheet.since.astimezone(tz).isoformat(timespec="seconds"),
        "now": sheet.now.astimezone(tz).isoformat(timespec="seconds"),
        "came_in": [d(x) for x in sheet.came_in],
        "still_open": [d(x) for x in sheet.still_open],
        "overdue": [d(x) for x in sheet.overdue],
        "unanswered_escalations": [d(x) for x in sheet.unanswered_escalations],
        **back_office_dict(sheet.orders, sheet.tools_out, tz),
        "log": log_dict(sheet.log, tz),
        "signed": signed_dict(sheet.signed, tz),
        "pending": [signed_dict(h, tz) for h in sheet.pending],
    }

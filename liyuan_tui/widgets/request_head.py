"""The head of a request's page: its ref, category, state and marks with the live countdown on
one line, then who, where and what (only the fields the viewer may see), what the caller was told
and the incident it is part of, as plain text."""

from __future__ import annotations

import io
from datetime import datetime
from typing import TYPE_CHECKING

from rich.console import Console, Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.reactive import var
from textual.widgets import Static

from liyuan_tui.domain.deadlines import format_countdown, seconds_left, urgency
from liyuan_tui.domain.permissions import hidden_fields
from liyuan_tui.domain.safe_text import visible
from liyuan_tui.store import RequestDetail

from .desk_lines import said_and_linked
from .fit import fit
from .page import page_clock
from .queue_table import URGENCY_STYLE

if TYPE_CHECKING:
    from liyuan_tui.app import LiyuanApp


class RequestHead(Vertical):
    """Shows `detail` (bound to the page's); the countdown follows the app's clock (`now`)."""

    detail: var[RequestDetail | None] = var(None, always_update=True)
    app: LiyuanApp

    def compose(self) -> ComposeResult:
        with Horizontal(id="request-head"):  # the request and its clock, on one line
            yield Static(id="request-title")
            yield Static(id="request-countdown")
        yield Static(id="request-summary")

    def on_mount(self) -> None:
        self._countdown: Text | None = None
        page_clock(self, self.tick)

    def watch_detail(self, detail: RequestDetail | None) -> None:
        if detail is None:
            return
        title, summary = self.summary(detail)
        self.query_one("#request-title", Static).update(title)
        self.query_one("#request-summary", Static).update(summary)
        self.tick(self.app.clock.now())

    def tick(self, now: datetime) -> None:
        """The countdown repaints only when its text or colour changes."""
        if self.detail is None:
            return
        req, t = self.detail.request, self.app.t
        state = urgency(req, now)
        if req.replied_at is not None:  # the clock has stopped: when, and how long it took
            took = format_countdown(int((req.replied_at - req.received_at).total_seconds()), t.lang)
            at = f"{req.replied_at.astimezone(self.app.tz):%H:%M}"
            text = Text(t("ui.request.replied_at", at=at, took=took), style=URGENCY_STYLE[state])
        else:
            text = Text.assemble(
                (t("ui.request.reply_in") + " ", "dim"),
                (format_countdown(seconds_left(req, now), t.lang), URGENCY_STYLE[state]),
                f"  {t(f'state.{state}')}",
            )
        if text != self._countdown:
            # Only the countdown's own cells are repainted: a new layout (Static's default) would
            # repaint the whole screen every second, checklist and timeline too (12 KB/s at 120×40).
            same_width = self._countdown is not None and text.cell_len == self._countdown.cell_len
            self._countdown = text
            self.query_one("#request-countdown", Static).update(text, layout=not same_width)

    def summary(self, detail: RequestDetail) -> tuple[Text, Group]:
        """The head line, and who, where and what (the fields the viewer may see): plain text,
        never markup."""
        app, t, req = self.app, self.app.t, detail.request
        hidden = hidden_fields(app.me, req, app.procedures)

        def shown(name: str) -> str:
            value = getattr(req, name)
            if name in hidden and value:
                return "***"
            return visible(value or "", newlines=name in ("description", "outcome"))

        proc = app.procedures.get(req.category)
        text = Text()
        text.append(f"{req.ref}  ", style="bold")
        text.append(
            visible(proc.name(t.lang), newlines=False) if proc else t("ui.queue.no_category"),
            style="bold cyan",
        )
        text.append(f"   {t('status.' + req.status)}")
        if req.major:
            text.append(f"   ! {t('field.major')}", style="bold magenta")
        if req.escalated_at:
            at = f"{req.escalated_at.astimezone(app.tz):%H:%M}"
            text.append(f"   ^ {t('ui.request.escalated', at=at)}", style="yellow")
        if req.confidential:
            text.append(f"   {t('field.confidential')}", style="red")
        for when, by in ((req.acknowledged_at, req.acknowledged_by), (req.major_ack_at, req.major_ack_by)):
            if when is not None and by:  # the supervisor's or manager's answer, for the assistant to see
                who = app.staff.get(by)
                said = t(
                    "ui.team.acknowledged_by",
                    by=who.name if who else by,
                    at=f"{when.astimezone(app.tz):%H:%M}",
                )
                text.append("   " + visible(said, newlines=False), style="green")
        holder = app.staff.get(req.assignee or "")
        rows = [
            (t("field.unit"), shown("unit")),
            (t("field.phone"), shown("phone")),
            (t("field.name"), shown("requester_name")),
            (t("field.channel"), t(f"channel.{req.channel}")),
            (t("field.received_at"), f"{req.received_at.astimezone(app.tz):%H:%M:%S}"),
            (t("field.assignee"), visible(holder.name if holder else (req.assignee or "-"), newlines=False)),
        ]
        # Three to a line, each cut with an ellipsis where the line is short (80 columns).
        grid = Table.grid(expand=True, padding=(0, 2))
        for _ in range(3):
            grid.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
        for i in (0, 3):
            grid.add_row(*(Text.assemble((f"{k}: ", "dim"), v or "-") for k, v in rows[i : i + 3]))
        more = Text()
        if req.description:  # the resident's words: two lines at most here (`i` shows them all)
            more.append(f"{t('field.description')}: ", style="dim")
            more.append_text(fit(" ".join(shown("description").split()), 150))
        if req.outcome and not req.is_open:  # a reopened request has no outcome (yet): none shown
            more.append(("\n" if more else "") + f"{t('field.outcome')}: ", style="dim")
            handed = f" → {shown('handed_to')}" if req.handed_to else ""
            more.append_text(fit(" ".join(shown("outcome").split()) + handed, 150))
        kind = proc.fault_kind(req.fault_kind) if proc is not None and req.fault_kind else None
        if kind is not None or req.repeat_of:
            more.append(("\n" if more else "") + f"{t('field.fault_kind')}: ", style="dim")
            more.append(visible(kind.name(t.lang), newlines=False) if kind else "-")
            if req.repeat_of:
                more.append(f"   ↺ {t('field.repeat_of')} ← {req.repeat_of}", style="bold yellow")
        told = said_and_linked(detail, hidden, t)  # what the caller was told, the incident
        if told:
            more.append("\n" if more else "")
            more.append_text(told)
        return text, (Group(grid, more) if more else Group(grid))

    def summary_text(self, width: int = 120) -> str:
        """The request's head and fields as plain text (what the tests read)."""
        console = Console(width=width, record=True, file=io.StringIO(), color_system=None)
        for name in ("#request-title", "#request-summary"):
            console.print(self.query_one(name, Static).content)
        return console.export_text()

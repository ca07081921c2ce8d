"""`v`: the follow-up calls owed (回访), the most overdue first. `enter` records a call on the
highlighted one (reached? satisfied? really solved? — "not solved" reopens the request and the
supervisors are told), `o` opens the request, `u` the household file. Read in a thread; read
again when another terminal closes a request or records a call."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widgets import DataTable, Footer, Header, Static

from liyuan_tui.domain.errors import DeskError
from liyuan_tui.domain.events import EventKind
from liyuan_tui.domain.i18n import Translator
from liyuan_tui.domain.models import Request
from liyuan_tui.domain.permissions import can_see
from liyuan_tui.reports.export import HIDDEN
from liyuan_tui.store import DueFollowUp
from liyuan_tui.widgets.keys import FOLLOWUP_KEYS
from liyuan_tui.widgets.messages import Changes, FollowUpsRead, StoreRefused
from liyuan_tui.widgets.page import Page
from liyuan_tui.widgets.plain import plain
from liyuan_tui.widgets.queue_table import short_category
from liyuan_tui.widgets.store_work import store_work

from ..dialogs import FollowUpScreen

COLUMNS = ("due", "ref", "category", "unit", "requester", "phone", "closed", "attempts")
LIST_LIMIT = 500  # the most overdue; `liyuan followup due` lists them all
# Changes that add a call owed or settle one.
RELOAD_KINDS = frozenset({EventKind.CLOSED, EventKind.FOLLOWUP, EventKind.REOPENED})


def short_span(seconds: int, t: Translator) -> str:
    """2天 / 2d; under a day 5小时20分 / 5h 20m; under an hour 20分钟 / 20m."""
    minutes = abs(seconds) // 60
    days, hours, mins = minutes // 1440, minutes % 1440 // 60, minutes % 60
    if days:
        return t("ui.followups.days", d=days)
    if hours:
        return t("ui.followups.hours", h=hours, m=mins)
    return t("ui.followups.minutes", m=mins)


def due_cell(item: DueFollowUp, now: datetime, t: Translator) -> Text:
    late = item.overdue_seconds(now)
    if late > 0:
        return Text(t("followup.overdue_by", when=short_span(late, t)), style="bold red")
    return Text(t("followup.due_in", when=short_span(late, t)), style="green")


class FollowupsScreen(Page):
    CSS_PATH = "followups.tcss"
    KEYS = FOLLOWUP_KEYS

    def __init__(self) -> None:
        super().__init__(classes="followups")
        self.due: list[DueFollowUp] = []

    def compose(self) -> ComposeResult:
        t = self.app.t
        yield Header(icon="")
        yield Static(t("ui.followups.loading"), id="followups-bar")
        yield DataTable(id="followups-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="followups-status")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        t = self.app.t
        self.bar = self.query_one("#followups-bar", Static)
        self.status = self.query_one("#followups-status", Static)
        self.table = self.query_one("#followups-table", DataTable)
        for key in COLUMNS:
            self.table.add_column(t(f"followup.column_{key}"), key=key)
        self.table.display = False
        self.status.display = False
        self.table.focus()
        self.watch(self.app, "changes", self._changed, init=False)
        self.load()

    def load(self) -> None:
        followups = self.app.store.followups
        store_work(
            self,
            lambda: FollowUpsRead(followups.due(LIST_LIMIT), followups.owed()),
            lambda read: read,
            action="followups",
            exclusive=True,
        )

    def _changed(self, changes: Changes) -> None:
        """Read again when a call is owed or settled (here or at another terminal)."""
        if changes.kinds() & RELOAD_KINDS:
            self.load()

    @on(FollowUpsRead)
    def _read(self, msg: FollowUpsRead) -> None:
        self.show(msg.due, msg.total)

    def show(self, due: list[DueFollowUp], total: int) -> None:
        app, t = self.app, self.app.t
        now = app.clock.now()
        self.due = due
        keep = self.selected_ref()
        self.table.clear()
        for item in due:
            r = item.request
            visible = can_see(app.me, r)
            self.table.add_row(
                # Text from people and files as text (a DataTable reads a str cell as markup).
                due_cell(item, now, t),
                r.ref,
                plain(short_category(r.category, app.procedures, t), one_line=True),
                plain(r.unit if visible else HIDDEN, one_line=True),
                plain(r.requester_name if visible else HIDDEN, one_line=True),
                plain(r.phone if visible else HIDDEN, one_line=True),
                f"{r.closed_at.astimezone(app.tz):%m-%d}" if r.closed_at else "",
                str(item.attempts),
                key=r.ref,
            )
        overdue = sum(1 for x in due if x.overdue_seconds(now) > 0)
        bar = t("ui.followups.bar", count=total, overdue=overdue)
        if total > len(due):
            bar += " · " + t("ui.followups.more", count=total - len(due))
        self.bar.update(bar)
        self.table.display = bool(due)
        self.status.update(t("followup.none_due"))
        self.status.display = not due
        if keep and keep in {x.request.ref for x in due}:
            self.table.move_cursor(row=self.table.get_row_index(keep))

    @on(StoreRefused)
    def _refused(self, msg: StoreRefused) -> None:
        msg.stop()
        self.refused(msg.error)

    def refused(self, error: DeskError) -> None:
        t = self.app.t
        if error.key == "error.not_allowed":
            text = t("ui.followups.refused", role=t(f"role.{error.params.get('role', '')}"))
        else:
            text = error.message(t)
        self.bar.update(t("ui.key.followups"))
        self.status.update(plain(text, "bold red"))  # a refusal may quote what was typed
        self.status.display = True
        self.table.display = False

    # --- keys ------------------------------------------------------------------------------------

    def selected(self) -> DueFollowUp | None:
        if not self.due or not self.table.display:
            return None
        ref = self.selected_ref()
        return next((x for x in self.due if x.request.ref == ref), None)

    def selected_ref(self) -> str | None:
        if not self.table.row_count:
            return None
        return self.table.coordinate_to_cell_key(self.table.cursor_coordinate).row_key.value

    @on(DataTable.RowSelected, "#followups-table")
    def _row_chosen(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_call()

    def action_call(self) -> None:
        """Record a call on the highlighted request."""
        item = self.selected()
        if item is None:
            return
        app = self.app

        def recorded(req: Request | None) -> None:  # (the list is read again with the change)
            if req is None:
                return
            if req.is_open:
                app.notify(app.t("followup.reopened", ref=req.ref), severity="warning", timeout=5)
            elif req.followup_due_at is None:
                app.notify(app.t("followup.recorded", ref=req.ref), timeout=3)
            else:
                app.notify(
                    app.t("followup.recorded_missed", ref=req.ref, attempts=item.attempts + 1), timeout=3
                )

        app.push_screen(FollowUpScreen(item), recorded)

    def action_open(self) -> None:
        ref = self.selected_ref()
        if ref:
            self.app.open_request(ref)

    def action_household(self) -> None:
        item = self.selected()
        if item is not None and item.request.unit and can_see(self.app.me, item.request):
            self.app.open_household(item.request.unit)

"""The home screen: every open request, major first then least time left, counting down live."""

from __future__ import annotations

from datetime import datetime

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.widgets import Header, Static

from liyuan_tui.domain.deadlines import Urgency, urgency
from liyuan_tui.domain.models import Request
from liyuan_tui.domain.permissions import SECURITY_ROLES, hidden_fields
from liyuan_tui.domain.views import OrderKeys, is_mine, ordered
from liyuan_tui.widgets.key_bar import KeyBar
from liyuan_tui.widgets.keys import QUEUE_KEYS, own_keys
from liyuan_tui.widgets.page import Page
from liyuan_tui.widgets.plain import plain
from liyuan_tui.widgets.queue_table import (
    ORDER,
    QueueTable,
    countdown_cell,
    row_cells,
    short_category,
    state_cell,
)

from ..dialogs import PickScreen
from ..parts.request_keys import RequestKeys


class QueueScreen(Page):
    """The queue's table inside the request keys (r e m c t a k act on the request under the
    cursor); the page's own keys open it and filter the list. It shows the app's `requests` and
    repaints its countdowns from the app's clock (`now`)."""

    KEYS = QUEUE_KEYS

    def __init__(self) -> None:
        super().__init__(id="queue")
        self.filter = "all"  # all | mine | overdue | category:<key>
        self._counts_text = ""
        self._shown: set[str] = set()
        self._order_keys: OrderKeys = {}  # (views.ordered: each request's sort key, while it is the same)
        self._rows: dict[str, tuple[Request, object, dict[str, object]]] = {}  # ref → as last shown
        self._counts_until: datetime | None = None  # the counts (and the overdue list) hold till then

    def compose(self) -> ComposeResult:
        t = self.app.t
        yield Header(icon="")
        yield Static(id="counts")
        labels = {key: t(f"column.{key}") for key in ORDER}
        labels["received"] = t("ui.queue.column_received")  # "Received" is wider than hh:mm
        # The category and state columns are as wide as their longest word in this language.
        names = [self.category_label_of(k) for k in ("", *self.app.procedures)]
        states = [t(f"state.{s}") for s in Urgency]
        with RequestKeys(selected=self.selected_ref):
            yield QueueTable(
                labels,
                id="queue-table",
                category_width=2 + max(cell_len(n) for n in names + [labels["category"]]),
                state_width=2 + max(cell_len(n) for n in states + [labels["state"]]),
            )
            yield Static(t("ui.queue.empty"), id="queue-empty")
            yield Static("", id="security-tasks")
        yield KeyBar()

    def on_mount(self) -> None:
        # Kept for the timer: a tick during shutdown must not look widgets up (NoMatches).
        self.table = self.query_one(QueueTable)
        self.table.live = self.live_cells
        own_keys(self.table, QUEUE_KEYS, self.app.me, self.app.t)  # its enter: "open", in the user's words
        self.counts = self.query_one("#counts", Static)
        self.empty = self.query_one("#queue-empty", Static)
        self.security_tasks = self.query_one("#security-tasks", Static)
        self.security_tasks.display = False
        self.watch(self.app, "requests", self._requests_now)
        self.on_clock(self.tick)  # (not while another page is over the queue: widgets/page.py)

    def _requests_now(self, _requests: dict[str, Request]) -> None:
        self.show_requests()

    # --- what is shown -------------------------------------------------------------------------

    def listed(self, now: datetime) -> list[Request]:
        """This user's queue: their own kind of work first (views.py), then by urgency."""
        app = self.app
        reqs = list(app.requests.values())
        waiting = {r.id or 0: r.ref in app.security for r in reqs}
        if self.filter == "mine":
            reqs = [r for r in reqs if is_mine(r, app.me, waiting[r.id or 0])]
        elif self.filter == "overdue":
            reqs = [r for r in reqs if urgency(r, now) is Urgency.OVERDUE]
        elif self.filter.startswith("category:"):
            reqs = [r for r in reqs if r.category == self.filter.split(":", 1)[1]]
        return ordered(reqs, app.me, now, waiting, self._order_keys)

    def category_label(self, req: Request) -> str:
        return self.category_label_of(req.category)

    def category_label_of(self, key: str) -> str:
        t = self.app.t
        return short_category(key, self.app.procedures, t) if key else t("ui.queue.no_category")

    def show_requests(self) -> None:
        """Rows added, removed and updated by key; the cursor stays on its request. A request as it
        was shown last (the same row read, the same staff list) keeps its cells: the table leaves
        its row as it is, countdown included (the tick keeps that)."""
        app = self.app
        now = app.clock.now()
        listed = self.listed(now)
        rows = [(r.ref, self._row(r, now)) for r in listed]
        self._rows = {ref: self._rows[ref] for ref, _ in rows}
        self.table.show_rows(rows)
        self.empty.display = not rows
        self.table.display = bool(rows)
        if rows and self.focused is None:  # the request keys act on the table's cursor
            self.table.focus()
        self._shown = {ref for ref, _ in rows}
        self.update_counts(now)
        self.show_security_tasks()

    def _row(self, req: Request, now: datetime) -> dict[str, object]:
        app = self.app
        known = self._rows.get(req.ref)
        if known is not None and known[0] is req and known[1] is app.staff:
            return known[2]
        cells = row_cells(
            req,
            now,
            t=app.t,
            tz=app.tz,
            category=self.category_label(req),
            staff=app.staff,
            hidden=hidden_fields(app.me, req, app.procedures),
        )
        self._rows[req.ref] = (req, app.staff, cells)
        return cells

    def show_security_tasks(self) -> None:
        """The security lead's and guards' list: the steps waiting on them now (guards to send,
        gate to post), request by request."""
        app, t = self.app, self.app.t
        if app.me.role not in SECURITY_ROLES:
            return
        lines = []
        for ref, steps in sorted(app.security.items()):
            req = app.requests.get(ref)
            where = f"{ref} {req.unit}" if req else ref
            for step in steps:
                lines.append(f" {where}  ▸ {step.text(t.lang)}  ({t('role.' + step.role)})")
        text = (
            t("ui.team.security_title")
            + "\n"
            + ("\n".join(lines) if lines else " " + t("ui.team.security_none"))
        )
        self.security_tasks.update(plain(text))
        self.security_tasks.display = True

    def tick(self, now: datetime) -> None:
        """Only the countdown and state cells in sight that changed are repainted; the counts when
        a request has gone overdue since."""
        if self._counts_until is not None and now > self._counts_until:
            if self.filter == "overdue":
                self.show_requests()  # (which counts again)
                return
            self.update_counts(now)
        self.table.tick(now)

    def live_cells(self, ref: str, now: datetime) -> list[tuple[str, object]]:
        """A request's cells that follow the clock (none once replied: its clock has stopped)."""
        req = self.app.requests.get(ref)
        if req is None or req.replied_at is not None:
            return []
        return [
            ("countdown", countdown_cell(req, now, self.app.t.lang)),
            ("state", state_cell(req, now, self.app.t)),
        ]

    def update_counts(self, now: datetime) -> None:
        app = self.app
        t = app.t
        overdue = escalated = major = 0
        # The counts change with the clock only when a request goes overdue: not before then.
        until: datetime | None = None
        for r in app.requests.values():  # (one pass: 1,500 requests on a typhoon night)
            if r.replied_at is None:
                due = r.reply_due_at
                if due < now:
                    overdue += 1
                elif until is None or due < until:
                    until = due
            escalated += r.escalated_at is not None
            major += bool(r.major)
        self._counts_until = until
        text = t("ui.queue.counts", open=len(app.requests), overdue=overdue, escalated=escalated, major=major)
        text += "   " + t("ui.queue.filter_now", filter=self.filter_label())
        if text != self._counts_text:  # a Static repaints its whole line: only when it changed
            self._counts_text = text
            # (one line as wide as the screen whatever it says: no layout of the whole screen for it,
            # which on a typhoon night was one of the desk's costliest steps, after every look)
            self.counts.update(plain(text, one_line=True), layout=False)

    def filter_label(self) -> str:
        t = self.app.t
        if self.filter.startswith("category:"):
            return short_category(self.filter.split(":", 1)[1], self.app.procedures, t)
        return t(f"ui.filter.{self.filter}")

    # --- keys ----------------------------------------------------------------------------------

    def selected_ref(self) -> str | None:
        return self.table.current_ref if self.table.display else None

    def action_open(self) -> None:
        ref = self.selected_ref()
        if ref:
            self.app.open_request(ref)

    def on_data_table_row_selected(self, event: QueueTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def action_filter(self) -> None:
        """`f`: between "mine" and "all" in one key; other filters are under `F`."""
        self.filter = "all" if self.filter == "mine" else "mine"
        self.show_requests()

    def action_filter_more(self) -> None:
        t = self.app.t
        choices = [
            ("all", t("ui.filter.all")),
            ("mine", t("ui.filter.mine")),
            ("overdue", t("ui.filter.overdue")),
        ]
        choices += [
            (f"category:{p.key}", f"{p.letter}  {p.name(t.lang)}") for p in self.app.procedures.values()
        ]

        def chosen(value: str | None) -> None:
            if value:
                self.filter = value
                self.show_requests()

        self.app.push_screen(PickScreen(t("ui.filter.title"), choices, current=self.filter), chosen)

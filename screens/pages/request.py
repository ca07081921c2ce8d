"""One request: its head with the live countdown, the procedure's checklist step by step with its
charges and work orders, and the timeline of everything that happened to it.

The page is built from widgets that own their keys (widgets/keys.py binds each its own from
REQUEST_KEYS): the focus is on the checklist, and each widget around it adds its keys and, below
what it wraps, what it shows —

    RequestKeys            r e m c o t a k l the request's own actions (the queue has them too)
      RequestOrders        d w               its work orders, under …
        Charges            p $               its paid services and their receipts, under …
          Steps            b 1–9 (space, enter: the checklist's own)
      the timeline

The page reads the request once (`detail`, which its widgets are bound to) and keeps it: the
desk's own writes arrive through the app as written (`app.changes`), and only another terminal's
change to this request is read again (and the calls of an incident this request joined or left)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.reactive import var
from textual.widgets import Header, Static

from liyuan_tui.domain.events import EventKind
from liyuan_tui.domain.permissions import can_see, hidden_fields
from liyuan_tui.store import RequestDetail
from liyuan_tui.widgets.key_bar import KeyBar
from liyuan_tui.widgets.keys import REQUEST_KEYS
from liyuan_tui.widgets.messages import Changes, DetailRead
from liyuan_tui.widgets.page import Page
from liyuan_tui.widgets.request_head import RequestHead
from liyuan_tui.widgets.store_work import store_work
from liyuan_tui.widgets.timeline import Timeline

from ..parts.charges import Charges
from ..parts.request_keys import RequestKeys
from ..parts.steps import Steps
from ..parts.work_orders import RequestOrders

INCIDENT_KINDS = frozenset({EventKind.LINKED, EventKind.UNLINKED})


class RequestScreen(Page):
    KEYS = REQUEST_KEYS
    detail: var[RequestDetail | None] = var(None, always_update=True)

    def __init__(self, ref: str) -> None:
        super().__init__(classes="request")
        self.ref = ref

    def compose(self) -> ComposeResult:
        ref, t = self.ref, self.app.t
        yield Header(icon="")
        yield RequestHead(id="request-top").data_bind(RequestScreen.detail)
        keys = RequestKeys(selected=lambda: ref, id="request-keys").data_bind(RequestScreen.detail)
        with keys, Horizontal(id="request-body"):
            with (
                RequestOrders(ref=ref, id="checklist-pane").data_bind(RequestScreen.detail),
                Charges(ref=ref).data_bind(RequestScreen.detail),  # (inside the orders, around the steps)
            ):
                yield Steps(ref, id="steps").data_bind(RequestScreen.detail)
            with VerticalScroll(id="timeline-pane"):
                yield Static(t("ui.request.timeline"), classes="pane-title")
                yield Timeline(id="timeline")
        yield KeyBar()

    def on_mount(self) -> None:
        self.watch(self.app, "changes", self._changed, init=False)
        self.reload()

    def reload(self) -> None:
        lookup, ref = self.app.store.lookup, self.ref
        store_work(self, lambda: lookup.detail(ref), DetailRead, action="detail", exclusive=True)

    @on(DetailRead)
    def _detail_read(self, msg: DetailRead) -> None:
        self.detail = msg.detail

    def _changed(self, changes: Changes) -> None:
        """The desk's own write is shown as written; another terminal's change (or the ladder's)
        to this request is read again, as is a link to an incident."""
        detail = self.detail
        if detail is None:
            return
        events = changes.touch(detail.request.id)
        linked = any(e.kind in INCIDENT_KINDS for e in events)  # (the incident's other calls: read)
        if changes.own and not linked:
            if events or any(r.id == detail.request.id for r in changes.requests):
                self.detail = detail.with_written(changes.events, changes.rows)
            return
        shown = (detail.events[-1].id or 0) if detail.events else 0
        if any((e.id or 0) > shown for e in events):
            self.reload()

    def watch_detail(self, detail: RequestDetail | None) -> None:
        if detail is None:
            return
        app, req = self.app, detail.request
        proc = app.procedures.get(req.category)
        shown = not hidden_fields(app.me, req, app.procedures)
        self.query_one(Timeline).show(detail.events, proc, t=app.t, tz=app.tz, staff=app.staff, visible=shown)

    def summary_text(self, width: int = 120) -> str:
        """The request's head and fields as plain text (what the tests read)."""
        return self.query_one(RequestHead).summary_text(width)

    # --- the page's own keys: where to go from here ----------------------------------------------

    def action_edit(self) -> None:
        self.app.edit_request(self.ref, self.detail.request if self.detail is not None else None)

    def action_household(self) -> None:
        """`u`: the household file of the request's unit."""
        req = self.detail.request if self.detail is not None else None
        if req is not None and req.unit and can_see(self.app.me, req):
            self.app.open_household(req.unit)

"""A request's own actions, wherever one is shown (the queue, a request's page): replied (with what
the caller was told), escalate, major, close (and an incident's calls with its first), reopen, take,
hand over, acknowledge, link to an incident. RequestKeys wraps what shows the request (the queue's
table; a request's checklist and timeline), so its keys work while that has the focus; the page's
table says which of them it has (widgets/keys.py). Each asks what it must (a note, an outcome),
then runs one store call in this widget's worker (or in the dialog's)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual import on
from textual.containers import Vertical
from textual.reactive import var
from textual.widget import Widget

from liyuan_tui.domain.models import Request
from liyuan_tui.store import RequestDetail
from liyuan_tui.widgets.messages import CallsClosed, RequestSaved
from liyuan_tui.widgets.page import own_page_keys
from liyuan_tui.widgets.store_work import store_work

from ..dialogs import AskScreen, CloseScreen, ConfirmScreen, PickScreen, ReplyScreen

if TYPE_CHECKING:
    from liyuan_tui.app import LiyuanApp

# What the desk says once the store has done each (ui.done.<action>).
DONE_MESSAGES = {
    "replied",
    "escalated",
    "major",
    "major_cleared",
    "closed",
    "reopened",
    "taken",
    "acknowledged",
    "branch",
    "branch_switched",
}


def say_done(app: LiyuanApp, action: str, req: Request | None) -> None:
    """After a store action succeeded: say so briefly (the page already shows the new state)."""
    if req is None:
        return
    if action == "assigned":
        app.notify(app.t("ui.done.assigned", ref=req.ref, login=req.assignee), timeout=3)
    elif action in DONE_MESSAGES:
        app.notify(app.t(f"ui.done.{action}", ref=req.ref), timeout=3)


class RequestKeys(Vertical):
    """`selected()` says which request the keys act on (the queue's cursor, the page's request)."""

    DEFAULT_CSS = "RequestKeys { height: 1fr; }"
    detail: var[RequestDetail | None] = var(None)  # (a request's page binds its own)
    app: LiyuanApp

    def __init__(self, *children: Widget, selected: Callable[[], str | None], **kwargs: Any) -> None:
        super().__init__(*children, **kwargs)
        self.selected = selected

    def on_mount(self) -> None:
        own_page_keys(self)

    def request(self, ref: str) -> Request | None:
        """The request as the desk shows it (an open one in the queue; else the page's, if it is)."""
        shown = self.detail.request if self.detail is not None else None
        return self.app.requests.get(ref) or (shown if shown is not None and shown.ref == ref else None)

    def write(self, call: Callable[[], Request], action: str) -> None:
        """One store call on the request, in a worker of this widget."""
        store_work(self, call, lambda req: RequestSaved(req, action), action=action)

    @on(RequestSaved)
    def _saved(self, msg: RequestSaved) -> None:
        say_done(self.app, msg.action, msg.request)

    def _ask(
        self, title: str, prompt: str, save: Callable[[str], Request], action: str, allow_empty: bool = False
    ) -> None:
        self.app.push_screen(
            AskScreen(title, prompt, save=save, action=action, allow_empty=allow_empty),
            lambda req: say_done(self.app, action, req),
        )

    # --- the keys --------------------------------------------------------------------------------

    def action_replied(self) -> None:
        """`r`: what the caller was told, with the site's canned answers at hand (dialogs/reply.py)."""
        ref = self.selected()
        if ref:
            req = self.request(ref)
            reply = ReplyScreen(ref, req.category if req is not None else "")
            self.app.push_screen(reply, lambda req: say_done(self.app, "replied", req))

    def action_escalate(self) -> None:
        ref, t, lifecycle = self.selected(), self.app.t, self.app.store.lifecycle
        if ref:
            save = lambda note: lifecycle.escalate(ref, note=note)  # noqa: E731
            title, prompt = t("ui.ask.escalate_title", ref=ref), t("ui.ask.escalate_note")
            self._ask(title, prompt, save, "escalated", allow_empty=True)  # a note is not required

    def action_major(self) -> None:
        ref = self.selected()
        if not ref:
            return
        req = self.app.requests.get(ref)
        t, lifecycle = self.app.t, self.app.store.lifecycle
        major = not (req.major if req else False)
        question = t("ui.ask.major_on" if major else "ui.ask.major_off", ref=ref)

        def answered(yes: bool | None) -> None:
            if yes:
                self.write(lambda: lifecycle.set_major(ref, major), "major" if major else "major_cleared")

        self.app.push_screen(ConfirmScreen(question), answered)

    def action_close(self) -> None:
        ref, lifecycle = self.selected(), self.app.store.lifecycle
        if not ref:
            return

        def close(kind: str, outcome: str, handed_to: str) -> Request:
            return lifecycle.close_request(ref, outcome, kind=kind, handed_to=handed_to)

        def closed(req: Request | None) -> None:
            say_done(self.app, "closed", req)
            self.offer_to_close_calls(req)

        self.app.push_screen(CloseScreen(ref, close), closed)

    def offer_to_close_calls(self, closed: Request | None) -> None:
        """After an incident's first call closed: close its open calls alike? (Each one that
        cannot close yet stays open, and the desk says why.)"""
        if closed is None or closed.status != "closed":
            return
        app, t, incidents = self.app, self.app.t, self.app.store.incidents
        calls = [r for r in app.requests.values() if r.incident == closed.ref]
        if not calls:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                store_work(
                    self,
                    lambda: incidents.close_calls(
                        closed.ref, closed.outcome, kind=closed.outcome_kind, handed_to=closed.handed_to
                    ),
                    lambda done: CallsClosed(closed.ref, done),
                    action="close_calls",
                )

        app.push_screen(ConfirmScreen(t("ui.calls.close_them", ref=closed.ref, count=len(calls))), answered)

    @on(CallsClosed)
    def _calls_closed(self, msg: CallsClosed) -> None:
        """Said: how many closed (the queue drops them, as written), and why each other stays open."""
        app, t = self.app, self.app.t
        app.notify(t("ui.calls.closed", count=sum(c.closed for c in msg.calls), ref=msg.ref), timeout=5)
        for call in (c for c in msg.calls if not c.closed):
            why = call.refusal.text(t) if call.refusal is not None else ""
            app.notify(t("desk.call_left_open", ref=call.ref, why=why), severity="warning", timeout=8)

    def action_reopen(self) -> None:
        ref, t, lifecycle = self.selected(), self.app.t, self.app.store.lifecycle
        if ref:
            save = lambda reason: lifecycle.reopen(ref, reason)  # noqa: E731
            self._ask(t("ui.ask.reopen_title", ref=ref), t("field.reason"), save, "reopened")

    def action_take(self) -> None:
        """Take the request; if someone else already holds it, the refusal says who."""
        ref, lifecycle = self.selected(), self.app.store.lifecycle
        if ref:
            self.write(lambda: lifecycle.take(ref), "taken")

    def action_assign(self) -> None:
        """Hand the request over: the holder hands on their own, a supervisor reassigns any."""
        ref = self.selected()
        if not ref:
            return
        app, t, lifecycle = self.app, self.app.t, self.app.store.lifecycle
        req = app.requests.get(ref)
        people = [s for s in app.staff.values() if s.active and s.login != (req.assignee if req else None)]
        people.sort(key=lambda s: (s.role, s.login))
        choices = [(s.login, f"{s.name}  ({t('role.' + s.role)})") for s in people]

        def chosen(login: str | None) -> None:
            if login:
                self.write(lambda: lifecycle.assign(ref, login), "assigned")

        app.push_screen(PickScreen(t("ui.team.assign_title", ref=ref), choices), chosen)

    def action_acknowledge(self) -> None:
        """A supervisor answers an escalation; the manager takes note of a major case."""
        ref, lifecycle = self.selected(), self.app.store.lifecycle
        if ref:
            self.write(lambda: lifecycle.acknowledge(ref), "acknowledged")

    def action_link(self) -> None:
        """`l`: one of the calls of another's incident (linked to its first call); emptied, on its own."""
        ref = self.selected()
        if not ref:
            return
        app, t, incidents = self.app, self.app.t, self.app.store.incidents
        req = self.request(ref)
        current = req.incident if req is not None else None

        def save(to: str) -> Request:
            return incidents.link(ref, to) if to else incidents.unlink(ref)

        def done(written: Request | None) -> None:
            if written is not None:
                key = "desk.linked" if written.incident else "desk.unlinked"
                app.notify(t(key, ref=written.ref, first=written.incident or ""), timeout=3)

        ask = AskScreen(
            t("ui.link.title", ref=ref),
            t("ui.link.prompt_linked" if current else "ui.link.prompt"),
            save=save,
            action="linked",
            value=current or "",
            allow_empty=bool(current),
        )
        app.push_screen(ask, done)

"""A request's own actions, wherever one is shown (the queue, a request's page): replied, escalate,
major, close, reopen, take, hand over, acknowledge. RequestKeys wraps what shows the request (the
queue's table; a request's checklist and timeline), so its keys work while that has the focus;
the page's table says which of them it has (widgets/keys.py). Each asks what it must (a note, an
outcome), then runs one store call in this widget's worker (or in the dialog's)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual import on
from textual.containers import Vertical
from textual.widget import Widget

from liyuan_tui.domain.models import Request
from liyuan_tui.widgets.messages import RequestSaved
from liyuan_tui.widgets.page import own_page_keys
from liyuan_tui.widgets.store_work import store_work

from ..dialogs import AskScreen, CloseScreen, ConfirmScreen, PickScreen

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
    app: LiyuanApp

    def __init__(self, *children: Widget, selected: Callable[[], str | None], **kwargs: Any) -> None:
        super().__init__(*children, **kwargs)
        self.selected = selected

    def on_mount(self) -> None:
        own_page_keys(self)

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
        ref, lifecycle = self.selected(), self.app.store.lifecycle
        if ref:
            self.write(lambda: lifecycle.mark_replied(ref), "replied")

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

        self.app.push_screen(CloseScreen(ref, close), lambda req: say_done(self.app, "closed", req))

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

"""The actions a request has on both the queue and its own screen: replied, escalate, major, close,
reopen, take, hand over, acknowledge. Each asks what it must (a note, an outcome), then runs one
store call in a worker of the screen (or of the dialog that asked)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from liyuan_tui.domain.models import Request
from liyuan_tui.domain.permissions import Action, allowed, allowed_on_own
from liyuan_tui.widgets.messages import RequestSaved
from liyuan_tui.widgets.store_work import store_work

# Which permission each key needs: a key the user's role may not use is left out of the footer
# (the store refuses it anyway, with the reason, if it comes by another way).
ACTION_PERMISSION = {
    "replied": Action.REPLY,
    "escalate": Action.ESCALATE,
    "major": Action.MARK_MAJOR,
    "close": Action.CLOSE,
    "reopen": Action.REOPEN,
    "take": Action.TAKE,
    "acknowledge": Action.ACKNOWLEDGE,
    "edit": Action.UPDATE,
    "tick": Action.TICK,
    "tick_offered": Action.TICK,
    "branch": Action.CHOOSE_BRANCH,
    "pick_branch": Action.CHOOSE_BRANCH,
    "charge": Action.CHARGE,
    "dispatch": Action.ORDER_DISPATCH,
    "link": Action.LINK,
    "pay": Action.PAY,
}
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

if TYPE_CHECKING:
    from liyuan_tui.app import LiyuanApp


class RequestActions:
    """Mixin for a Screen with `selected_ref()`; `self.app` is the LiyuanApp."""

    app: "LiyuanApp"

    def selected_ref(self) -> str | None:  # pragma: no cover - each screen says which
        raise NotImplementedError

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        needed = ACTION_PERMISSION.get(action)
        role = self.app.me.role  # a key allowed on one's own requests only is shown; the store checks whose
        if needed is not None and not (allowed(role, needed) or allowed_on_own(role, needed)):
            return False
        if action == "assign" and not (allowed(self.app.me.role, Action.TAKE)):
            return False
        return super().check_action(action, parameters)  # type: ignore[misc]

    # --- running a write and saying it is done ---------------------------------------------------

    def write(self, call: Callable[[], Request], action: str) -> None:
        """One store call on the selected request, in a worker of this screen."""
        store_work(self, call, lambda req: RequestSaved(req, action), action=action)  # type: ignore[arg-type]

    def on_request_saved(self, msg: RequestSaved) -> None:  # (a mixin: named, since @on needs a widget class)
        self.say_done(msg.action, msg.request)

    def say_done(self, action: str, req: Request | None) -> None:
        """After a store action succeeded: say so briefly; the queue already shows the new state."""
        if req is None:
            return
        if action == "assigned":
            self.app.notify(self.app.t("ui.done.assigned", ref=req.ref, login=req.assignee), timeout=3)
        elif action in DONE_MESSAGES:
            self.app.notify(self.app.t(f"ui.done.{action}", ref=req.ref), timeout=3)

    # --- the keys --------------------------------------------------------------------------------

    def action_replied(self) -> None:
        """`r`: what the caller was told, with the site's canned answers at hand (reply_dialog.py)."""
        from .reply_dialog import ReplyScreen

        ref = self.selected_ref()
        if ref:
            req = self.app.requests.get(ref)
            detail = getattr(self, "detail", None)
            category = req.category if req else (detail.request.category if detail is not None else "")
            self.app.push_screen(ReplyScreen(ref, category), lambda req: self.say_done("replied", req))

    def action_escalate(self) -> None:
        from .dialogs import AskScreen

        ref = self.selected_ref()
        if not ref:
            return
        t, lifecycle = self.app.t, self.app.store.lifecycle
        self.app.push_screen(
            AskScreen(
                t("ui.ask.escalate_title", ref=ref),
                t("ui.ask.escalate_note"),
                save=lambda note: lifecycle.escalate(ref, note=note),
                action="escalated",
                allow_empty=True,
            ),
            lambda req: self.say_done("escalated", req),
        )

    def action_major(self) -> None:
        from .dialogs import ConfirmScreen

        ref = self.selected_ref()
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
        from .dialogs import CloseScreen

        ref = self.selected_ref()
        if not ref:
            return
        lifecycle = self.app.store.lifecycle
        self.app.push_screen(
            CloseScreen(
                ref,
                lambda kind, outcome, handed_to: lifecycle.close_request(
                    ref, outcome, kind=kind, handed_to=handed_to
                ),
            ),
            lambda req: (self.say_done("closed", req), self.offer_to_close_calls(req)),  # type: ignore[attr-defined]
        )

    def action_reopen(self) -> None:
        from .dialogs import AskScreen

        ref = self.selected_ref()
        if not ref:
            return
        t, lifecycle = self.app.t, self.app.store.lifecycle
        self.app.push_screen(
            AskScreen(
                t("ui.ask.reopen_title", ref=ref),
                t("field.reason"),
                save=lambda reason: lifecycle.reopen(ref, reason),
                action="reopened",
            ),
            lambda req: self.say_done("reopened", req),
        )

    def action_take(self) -> None:
        """Take the request; if someone else already holds it, the refusal says who."""
        ref = self.selected_ref()
        if ref:
            lifecycle = self.app.store.lifecycle
            self.write(lambda: lifecycle.take(ref), "taken")

    def action_assign(self) -> None:
        """Hand the request over: the holder hands on their own, a supervisor reassigns any."""
        from .dialogs import PickScreen

        ref = self.selected_ref()
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
        ref = self.selected_ref()
        if ref:
            lifecycle = self.app.store.lifecycle
            self.write(lambda: lifecycle.acknowledge(ref), "acknowledged")

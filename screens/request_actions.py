"""The actions a request has on both the queue and its own screen: replied, escalate, major, close,
reopen. Each asks what it must (a note, an outcome), then runs one store call in a worker."""

from __future__ import annotations

from typing import TYPE_CHECKING

from liyuan_tui.errors import DeskError
from liyuan_tui.permissions import Action, allowed

# Which permission each key needs: a key the user's role may not use is left out of the footer
# (the store refuses it anyway, with the reason, if it comes by another way).
ACTION_PERMISSION = {
    "replied": Action.REPLY, "escalate": Action.ESCALATE, "major": Action.MARK_MAJOR, "close": Action.CLOSE,
    "reopen": Action.REOPEN, "take": Action.TAKE, "acknowledge": Action.ACKNOWLEDGE, "edit": Action.UPDATE,
    "tick": Action.TICK, "branch": Action.TICK, "charge": Action.CHARGE,
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
        if needed is not None and not allowed(self.app.me.role, needed):
            return False
        if action == "assign" and not (allowed(self.app.me.role, Action.TAKE)):
            return False
        return super().check_action(action, parameters)  # type: ignore[misc]

    def say_done(self, key: str, ref: str) -> None:
        """After a store action succeeded: say so briefly; the poller brings the new state."""
        self.app.notify(self.app.t(key, ref=ref), timeout=3)

    def action_replied(self) -> None:
        ref = self.selected_ref()
        if ref:
            self.app.store_call(self.app.store.mark_replied, ref,
                                then=lambda r: self.say_done("ui.done.replied", r.ref))

    def action_escalate(self) -> None:
        from .dialogs import AskScreen

        ref = self.selected_ref()
        if not ref:
            return
        t = self.app.t

        def submit(note: str, dialog: AskScreen) -> None:
            self.app.store_call(self.app.store.escalate, ref, note=note,
                                then=lambda r: (dialog.dismiss(None), self.say_done("ui.done.escalated", r.ref)),
                                refused=dialog.show_error)

        self.app.push_screen(AskScreen(t("ui.ask.escalate_title", ref=ref), t("ui.ask.escalate_note"),
                                       submit, allow_empty=True))

    def action_major(self) -> None:
        from .dialogs import ConfirmScreen

        ref = self.selected_ref()
        if not ref:
            return
        req = self.app.requests.get(ref)
        t = self.app.t
        major = not (req.major if req else False)
        question = t("ui.ask.major_on" if major else "ui.ask.major_off", ref=ref)

        def answered(yes: bool | None) -> None:
            if yes:
                self.app.store_call(self.app.store.set_major, ref, major,
                                    then=lambda r: self.say_done(
                                        "ui.done.major" if major else "ui.done.major_cleared", r.ref))

        self.app.push_screen(ConfirmScreen(question), answered)

    def action_close(self) -> None:
        from .dialogs import CloseScreen

        ref = self.selected_ref()
        if not ref:
            return

        def submit(kind: str, outcome: str, handed_to: str, dialog: CloseScreen) -> None:
            self.app.store_call(self.app.store.close_request, ref, outcome, kind=kind, handed_to=handed_to,
                                then=lambda r: (dialog.dismiss(None), self.say_done("ui.done.closed", r.ref)),
                                refused=dialog.show_error)

        self.app.push_screen(CloseScreen(ref, submit))

    def action_reopen(self) -> None:
        from .dialogs import AskScreen

        ref = self.selected_ref()
        if not ref:
            return
        t = self.app.t

        def submit(reason: str, dialog: AskScreen) -> None:
            if not reason:
                dialog.show_error(DeskError("error.unit_empty", "reason"))
                return
            self.app.store_call(self.app.store.reopen, ref, reason,
                                then=lambda r: (dialog.dismiss(None), self.say_done("ui.done.reopened", r.ref)),
                                refused=dialog.show_error)

        self.app.push_screen(AskScreen(t("ui.ask.reopen_title", ref=ref), t("field.reason"), submit))

    def action_take(self) -> None:
        """Take the request; if someone else already holds it, the refusal says who."""
        ref = self.selected_ref()
        if ref:
            self.app.store_call(self.app.store.take, ref, then=lambda r: self.say_done("ui.done.taken", r.ref))

    def action_assign(self) -> None:
        """Hand the request over: the holder hands on their own, a supervisor reassigns any."""
        from .dialogs import PickScreen

        ref = self.selected_ref()
        if not ref:
            return
        app, t = self.app, self.app.t
        req = app.requests.get(ref)
        people = [s for s in app.staff.values() if s.active and s.login != (req.assignee if req else None)]
        people.sort(key=lambda s: (s.role, s.login))
        choices = [(s.login, f"{s.name}  ({t('role.' + s.role)})") for s in people]

        def chosen(login: str | None) -> None:
            if login:
                app.store_call(app.store.assign, ref, login,
                               then=lambda r: app.notify(t("ui.done.assigned", ref=r.ref, login=r.assignee), timeout=3))

        app.push_screen(PickScreen(t("ui.team.assign_title", ref=ref), choices), chosen)

    def action_acknowledge(self) -> None:
        """A supervisor answers an escalation; the manager takes note of a major case."""
        ref = self.selected_ref()
        if ref:
            self.app.store_call(self.app.store.acknowledge, ref,
                                then=lambda r: self.say_done("ui.done.acknowledged", r.ref))

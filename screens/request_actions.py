"""The actions a request has on both the queue and its own screen: replied, escalate, major, close,
reopen. Each asks what it must (a note, an outcome), then runs one store call in a worker."""

from __future__ import annotations

from typing import TYPE_CHECKING

from liyuan_tui.errors import DeskError

if TYPE_CHECKING:
    from liyuan_tui.app import LiyuanApp


class RequestActions:
    """Mixin for a Screen with `selected_ref()`; `self.app` is the LiyuanApp."""

    app: "LiyuanApp"

    def selected_ref(self) -> str | None:  # pragma: no cover - each screen says which
        raise NotImplementedError

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

"""Issue 22's keys on the queue and the request screen: `l` links a call to another as part of the
same incident (or, emptied, unlinks it), `$` takes payment of a receipt (which, then how), and
closing an incident's first call offers to close its calls alike. Each runs its store call in a
worker of the screen (or of the dialog that asked)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from liyuan_tui.domain.desk_records import PAY_METHODS
from liyuan_tui.domain.fees import format_yuan
from liyuan_tui.domain.models import Request
from liyuan_tui.widgets.desk_messages import CallsClosed, RecordSaved
from liyuan_tui.widgets.store_work import store_work

if TYPE_CHECKING:
    from liyuan_tui.app import LiyuanApp
    from liyuan_tui.store import RequestDetail


class DeskRecordKeys:
    """Mixin for a Screen with `selected_ref()` (the queue, the request screen)."""

    app: LiyuanApp
    detail: RequestDetail | None = None

    def selected_ref(self) -> str | None:  # pragma: no cover - each screen says which
        raise NotImplementedError

    # --- l: linked calls -----------------------------------------------------------------------------

    def action_link(self) -> None:
        from .dialogs import AskScreen

        ref = self.selected_ref()
        if not ref:
            return
        app, t, incidents = self.app, self.app.t, self.app.store.incidents
        req = app.requests.get(ref) or (self.detail.request if self.detail is not None else None)
        current = req.incident if req is not None else None

        def save(to: str) -> Request:
            return incidents.link(ref, to) if to else incidents.unlink(ref)

        def done(written: Request | None) -> None:
            if written is not None:
                key = "desk.linked" if written.incident else "desk.unlinked"
                app.notify(t(key, ref=written.ref, first=written.incident or ""), timeout=3)

        app.push_screen(
            AskScreen(
                t("ui.link.title", ref=ref),
                t("ui.link.prompt_linked" if current else "ui.link.prompt"),
                save=save,
                action="linked",
                value=current or "",
                allow_empty=bool(current),
            ),
            done,
        )

    def offer_to_close_calls(self, closed: Request | None) -> None:
        """After an incident's first call closed: close its open calls alike? (Each one that
        cannot close yet stays open, and the desk says why.)"""
        from .dialogs import ConfirmScreen

        if closed is None or closed.status != "closed":
            return
        app, t = self.app, self.app.t
        calls = [r for r in app.requests.values() if r.incident == closed.ref]
        if not calls:
            return
        incidents = app.store.incidents

        def answered(yes: bool | None) -> None:
            if yes:
                store_work(
                    self,  # type: ignore[arg-type]
                    lambda: incidents.close_calls(
                        closed.ref, closed.outcome, kind=closed.outcome_kind, handed_to=closed.handed_to
                    ),
                    lambda done: CallsClosed(closed.ref, done),
                    action="close_calls",
                )

        app.push_screen(ConfirmScreen(t("ui.calls.close_them", ref=closed.ref, count=len(calls))), answered)

    def on_calls_closed(self, msg: CallsClosed) -> None:  # (a mixin: named, since @on needs a widget class)
        app, t = self.app, self.app.t
        shut = [c.ref for c in msg.calls if c.closed]
        left = [c for c in msg.calls if not c.closed]
        app.notify(t("ui.calls.closed", count=len(shut), ref=msg.ref), timeout=5)
        for call in left:
            why = call.refusal.text(t) if call.refusal is not None else ""
            app.notify(t("desk.call_left_open", ref=call.ref, why=why), severity="warning", timeout=8)
        app.poll_now()  # the queue drops the calls closed

    # --- $: take payment of a receipt ----------------------------------------------------------------

    def action_pay(self) -> None:
        from .dialogs import PickScreen

        if self.detail is None:
            return
        app, t = self.app, self.app.t
        unpaid = [r for r in self.detail.receipts.values() if not r.paid]
        if not unpaid:
            app.notify(t("ui.pay.none", ref=self.detail.request.ref))
            return
        if len(unpaid) == 1:
            self._ask_method(unpaid[0].number, unpaid[0].amount_cents)
            return
        amounts = {r.number: r.amount_cents for r in unpaid}
        choices = [
            (r.number, f"{r.number}  {format_yuan(r.amount_cents)}")
            for r in sorted(unpaid, key=lambda r: r.number)
        ]

        def chosen(number: str | None) -> None:
            if number:
                self._ask_method(number, amounts[number])

        app.push_screen(PickScreen(t("ui.pay.which"), choices), chosen)

    def _ask_method(self, number: str, amount: int) -> None:
        from .dialogs import PickScreen

        app, t, receipts = self.app, self.app.t, self.app.store.receipts
        choices = [(m, t(f"desk.method.{m}")) for m in PAY_METHODS]

        def chosen(method: str | None) -> None:
            if method:
                store_work(
                    self,  # type: ignore[arg-type]
                    lambda: receipts.pay(number, method),
                    lambda receipt: RecordSaved(receipt, "paid"),
                    action="pay",
                )

        app.push_screen(
            PickScreen(t("ui.pay.title", number=number, amount=format_yuan(amount)), choices), chosen
        )

    def on_record_saved(self, msg: RecordSaved) -> None:
        if msg.action != "paid":
            return
        app, t, receipt = self.app, self.app.t, msg.result
        said = t(
            "desk.paid",
            number=receipt.number,
            amount=format_yuan(receipt.amount_cents),
            method=t(f"desk.method.{receipt.method}"),
        )
        app.notify(said, timeout=4)
        reload = getattr(self, "reload", None)
        if reload is not None:
            reload()

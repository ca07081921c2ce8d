"""The handover sheet's body with the keys of the shift's own record: `l` a line of the duty log
(值班日志), `g` hand the shift over to a login with the sheet as it stands, `a` accept the shift
handed to you. Each write runs in a worker of its dialog (or of this widget); the page reads the
sheet again when the write reaches it (app.changes)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from textual import on
from textual.containers import VerticalScroll
from textual.reactive import var

from liyuan_tui.domain.desk_records import DutyNote, Handover
from liyuan_tui.domain.safe_text import safe_json
from liyuan_tui.reports.handover import HandoverSheet, handover_dict, handover_sheet
from liyuan_tui.widgets.messages import HandoverAccepted
from liyuan_tui.widgets.page import own_page_keys
from liyuan_tui.widgets.store_work import store_work

from ..dialogs import ConfirmScreen, FormField, FormScreen

if TYPE_CHECKING:
    from liyuan_tui.app import LiyuanApp


class ShiftRecord(VerticalScroll):
    """`sheet` is the page's (the sheet as last read)."""

    sheet: var[HandoverSheet | None] = var(None)
    app: LiyuanApp

    def on_mount(self) -> None:
        own_page_keys(self)

    def when(self, at: datetime, form: str = "%m-%d %H:%M") -> str:
        return f"{at.astimezone(self.app.tz):{form}}"

    def action_duty_note(self) -> None:
        app, t, shift = self.app, self.app.t, self.app.store.shift

        def noted(row: DutyNote | None) -> None:
            if row is not None:
                app.notify(t("shift.noted", at=self.when(row.at, "%H:%M")), timeout=3)

        field = FormField("duty_note", t("field.duty_note"), hint=t("ui.shift.note_hint"))
        save = lambda v: shift.note(v["duty_note"])  # noqa: E731
        app.push_screen(FormScreen(t("ui.shift.note_title"), [field], save, action="duty_note"), noted)

    def action_sign_handover(self) -> None:
        app, t, store = self.app, self.app.t, self.app.store
        since = self.sheet.since if self.sheet is not None else None

        def sign(values: dict[str, Any]) -> Handover:
            """The sheet as it stands now (read again in the dialog's worker), kept with the signature."""
            now = app.clock.now()
            sheet = handover_sheet(store, since or now, now)
            kept = safe_json(handover_dict(sheet, app.tz))
            return store.shift.sign(values["handover_to"], since=sheet.since, sheet=kept, note=values["note"])

        def signed(row: Handover | None) -> None:
            if row is not None:
                to = app.staff.get(row.to_login)
                said = t(
                    "shift.signed_done",
                    to=to.name if to else row.to_login,
                    at=self.when(row.signed_at, "%H:%M"),
                )
                app.notify(said, timeout=5)

        fields = [
            FormField("handover_to", t("field.handover_to"), hint=t("ui.shift.sign_hint")),
            FormField("note", t("field.note")),
        ]
        app.push_screen(FormScreen(t("ui.shift.sign_title"), fields, sign, action="sign"), signed)

    def action_accept_handover(self) -> None:
        app, t, shift = self.app, self.app.t, self.app.store.shift
        mine = [h for h in (self.sheet.pending if self.sheet else []) if h.to_login == app.me.login]
        if not mine:
            app.notify(t("error.handover_none"))
            return
        who = app.staff.get(mine[0].signed_by)
        question = t(
            "ui.shift.accept_question",
            by=who.name if who else mine[0].signed_by,
            at=self.when(mine[0].signed_at),
        )

        def answered(yes: bool | None) -> None:
            if yes:
                store_work(self, shift.accept, HandoverAccepted, action="accept")

        app.push_screen(ConfirmScreen(question), answered)

    @on(HandoverAccepted)
    def _accepted(self, msg: HandoverAccepted) -> None:
        h, t = msg.handover, self.app.t
        by = self.app.staff.get(h.signed_by)
        said = t("shift.accepted_done", by=by.name if by else h.signed_by, at=self.when(h.signed_at))
        self.app.notify(said, timeout=5)

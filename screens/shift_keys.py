"""The handover screen's keys for the shift's own record: `l` a line of the duty log (值班日志),
`g` hand the shift over to a login with the sheet as it stands, `a` accept the shift handed to you.
Each write runs in a worker of its dialog (or of the screen); the sheet is read again after."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from liyuan_tui.domain.safe_text import safe_json
from liyuan_tui.reports.handover import HandoverSheet, handover_dict, handover_sheet
from liyuan_tui.widgets.desk_messages import RecordSaved
from liyuan_tui.widgets.store_work import store_work

if TYPE_CHECKING:
    from liyuan_tui.app import LiyuanApp


class ShiftKeys:
    """Mixin for the handover screen (which has `sheet` and `load()`)."""

    app: LiyuanApp
    sheet: HandoverSheet | None

    def load(self) -> None:  # pragma: no cover - the screen's own
        raise NotImplementedError

    def action_duty_note(self) -> None:
        from .form_dialog import FormField, FormScreen

        app, t, shift = self.app, self.app.t, self.app.store.shift

        def noted(row) -> None:
            if row is not None:
                app.notify(t("shift.noted", at=f"{row.at.astimezone(app.tz):%H:%M}"), timeout=3)
                self.load()

        app.push_screen(
            FormScreen(
                t("ui.shift.note_title"),
                [FormField("duty_note", t("field.duty_note"), hint=t("ui.shift.note_hint"))],
                lambda v: shift.note(v["duty_note"]),
                action="duty_note",
            ),
            noted,
        )

    def action_sign_handover(self) -> None:
        from .form_dialog import FormField, FormScreen

        app, t, store = self.app, self.app.t, self.app.store
        since = self.sheet.since if self.sheet is not None else None

        def sign(values: dict) -> object:
            """The sheet as it stands now (read again in this worker), kept with the signature."""
            now = app.clock.now()
            sheet = handover_sheet(store, since or now, now)
            return store.shift.sign(
                values["handover_to"],
                since=sheet.since,
                sheet=safe_json(handover_dict(sheet, app.tz)),
                note=values["note"],
            )

        def signed(row) -> None:
            if row is not None:
                to = app.staff.get(row.to_login)
                at = f"{row.signed_at.astimezone(app.tz):%H:%M}"
                app.notify(t("shift.signed_done", to=to.name if to else row.to_login, at=at), timeout=5)
                self.load()

        app.push_screen(
            FormScreen(
                t("ui.shift.sign_title"),
                [
                    FormField("handover_to", t("field.handover_to"), hint=t("ui.shift.sign_hint")),
                    FormField("note", t("field.note")),
                ],
                sign,
                action="sign",
            ),
            signed,
        )

    def action_accept_handover(self) -> None:
        from .dialogs import ConfirmScreen

        app, t, shift = self.app, self.app.t, self.app.store.shift
        mine = [h for h in (self.sheet.pending if self.sheet else []) if h.to_login == app.me.login]
        if not mine:
            app.notify(t("error.handover_none"))
            return
        who = app.staff.get(mine[0].signed_by)
        question = t(
            "ui.shift.accept_question",
            by=who.name if who else mine[0].signed_by,
            at=_hhmm(mine[0].signed_at, app),
        )

        def answered(yes: bool | None) -> None:
            if yes:
                store_work(self, shift.accept, lambda row: RecordSaved(row, "accepted"), action="accept")  # type: ignore[arg-type]

        app.push_screen(ConfirmScreen(question), answered)

    def on_record_saved(self, msg: RecordSaved) -> None:
        if msg.action == "accepted":
            self.app.notify(
                self.app.t(
                    "shift.accepted_done", by=msg.result.signed_by, at=_hhmm(msg.result.signed_at, self.app)
                ),
                timeout=5,
            )
            self.load()


def _hhmm(when: datetime, app: LiyuanApp) -> str:
    return f"{when.astimezone(app.tz):%m-%d %H:%M}"

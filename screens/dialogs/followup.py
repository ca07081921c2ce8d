"""The follow-up call dialog (回访): reached (y / n), satisfaction (1–5, 0 not asked), really
solved (y / n, 0 not asked), a note; enter on the note (or ctrl+s) records it through the store.
"Not solved" reopens the request: the dialog says so before it is saved."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import Input, Label, Static

from liyuan_tui.domain.permissions import can_see
from liyuan_tui.reports.export import HIDDEN
from liyuan_tui.store import DueFollowUp
from liyuan_tui.widgets.choice_bar import Choice, ChoiceBar
from liyuan_tui.widgets.form_keys import Form
from liyuan_tui.widgets.plain import plain

from .dialog import Dialog

if TYPE_CHECKING:
    from liyuan_tui.app import LiyuanApp


class CallForm(Form):
    """The call's answers: a choice shows or hides the rows it governs before the focus moves on
    (at once, as the key is read: see Form), so `n` skips the score and solved rows."""

    def after_choice(self, bar: ChoiceBar) -> None:
        cast("FollowUpScreen", self.screen).show_rows()
        self.screen.focus_next()


class FollowUpScreen(Dialog):
    """Dismissed with the request as written (reopened when the call found it not solved). Keys
    typed at full speed (`y 3 y` and a note) land where they were meant: a choice moves the
    focus as the key is read (a Form), not once the message about it comes round."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("ctrl+s", "save_call", show=False)]
    app: LiyuanApp

    def __init__(self, item: DueFollowUp) -> None:
        super().__init__(classes="dialog")
        self.item = item

    def compose(self) -> ComposeResult:
        t, req = self.app.t, self.item.request
        visible = can_see(self.app.me, req)
        # enter on the note records the call (the field's own submit, never "on to the next")
        with CallForm(
            classes="dialog-box followup-box", enter_moves_on=lambda _field: False, focusable=False
        ):
            yield Label(t("ui.followups.title", ref=req.ref), classes="dialog-title")
            who = " · ".join(x for x in (req.unit, req.requester_name, req.phone) if x) if visible else HIDDEN
            yield Static(plain(who, one_line=True), id="followup-who")
            yes_no = [Choice("yes", "Y", t("ui.ask.yes")), Choice("no", "N", t("ui.ask.no"))]
            with Horizontal(classes="form-row"):
                yield Label(t("field.reached"), classes="form-label")
                yield ChoiceBar(yes_no, value="yes", id="reached")
            with Horizontal(classes="form-row", id="score-row"):
                yield Label(t("field.score"), classes="form-label")
                yield ChoiceBar(
                    [Choice(str(n), str(n), "") for n in range(1, 6)]
                    + [Choice("", "0", t("ui.followups.not_asked"))],
                    value="",
                    id="score",
                )
            with Horizontal(classes="form-row", id="solved-row"):
                yield Label(t("field.solved"), classes="form-label")
                yield ChoiceBar(
                    yes_no + [Choice("", "0", t("ui.followups.not_asked"))], value="", id="solved"
                )
            with Horizontal(classes="form-row"):
                yield Label(t("field.note"), classes="form-label")
                yield Input(id="note")
            yield Static("", id="followup-warning")
            yield Static("", classes="dialog-error")
            yield Static(t("ui.followups.hint"), classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one(".dialog-error").display = False
        self.query_one("#followup-warning").display = False
        self.query_one("#reached", ChoiceBar).focus()

    @on(ChoiceBar.Chosen)
    def _chosen(self, event: ChoiceBar.Chosen) -> None:
        event.stop()
        self.show_rows()  # (a click: the focus stays where the mouse put it)

    def show_rows(self) -> None:
        reached = self.query_one("#reached", ChoiceBar).value == "yes"
        for row in ("#score-row", "#solved-row"):
            self.query_one(row).display = reached
        warning = self.query_one("#followup-warning", Static)
        warning.update(self.app.t("ui.followups.will_reopen"))
        warning.display = reached and self.query_one("#solved", ChoiceBar).value == "no"

    @on(Input.Submitted, "#note")
    def _submitted(self, event: Input.Submitted) -> None:
        self.action_save_call()

    def action_save_call(self) -> None:
        reached = self.query_one("#reached", ChoiceBar).value
        score = self.query_one("#score", ChoiceBar).value if reached == "yes" else ""
        solved = self.query_one("#solved", ChoiceBar).value if reached == "yes" else ""
        note = self.query_one("#note", Input).value
        followups, ref, version = self.app.store.followups, self.item.request.ref, self.item.request.version
        self.save(
            lambda: (
                followups.record(
                    ref, reached=reached, score=score, solved=solved, note=note, expected_version=version
                ).request
            ),
            "followup",
        )

"""`r`: reply to the caller, recording what they were told (4.1.2A, 4.3). The site's canned answers
(话术) for the request's category are at hand, searched as you type, each with the company rule it
rests on; enter on one takes its words (edit them if need be), enter on the words saves. Enter at
once replies without words (they may be added once later)."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from liyuan_tui.domain.answers import Answer, Answers, AnswersError
from liyuan_tui.domain.errors import DeskError
from liyuan_tui.domain.models import Request
from liyuan_tui.widgets.fit import fit
from liyuan_tui.widgets.form_keys import OneLineInput
from liyuan_tui.widgets.messages import AnswersRead
from liyuan_tui.widgets.plain import plain
from liyuan_tui.widgets.store_work import store_work

from .dialog import Dialog


class ReplyScreen(Dialog[Request]):
    """What the caller was told; dismissed with the request as written."""

    DEFAULT_CSS = """
    ReplyScreen #answers { height: auto; max-height: 7; }
    ReplyScreen #answer-rule { color: $text-muted; height: auto; max-height: 2; }
    ReplyScreen .dialog-hint { margin-top: 0; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [Binding("down", "to_answers", show=False)]  # (and escape)

    def __init__(self, ref: str, category: str) -> None:
        super().__init__(classes="dialog")
        self.ref, self.category = ref, category
        self.answers: Answers | None = None
        self.chosen: Answer | None = None

    def compose(self) -> ComposeResult:
        t = self.app.t
        with Vertical(classes="dialog-box"):
            yield Label(t("ui.reply.title", ref=self.ref), classes="dialog-title")
            yield Label(t("ui.reply.said"))
            yield OneLineInput(id="said")
            yield Input(placeholder=t("ui.reply.find"), id="find")
            yield OptionList(id="answers")
            yield Static("", id="answer-rule")
            yield Static("", classes="dialog-error")
            yield Static(t("ui.reply.hint"), classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one(".dialog-error").display = False
        self.query_one("#said", Input).focus()
        replies, t = self.app.store.replies, self.app.t

        def read() -> Answers:
            try:
                return replies.answers
            except AnswersError as exc:  # a site's broken file: said in the dialog, the reply still works
                raise DeskError("ui.reply.answers_error", reason=str(exc)) from None

        store_work(self, read, AnswersRead, action="answers")
        self.query_one("#answer-rule", Static).update(Text(t("ui.reply.loading"), style="dim"))

    @on(AnswersRead)
    def _read(self, msg: AnswersRead) -> None:
        self.answers = msg.answers
        self._list(self.query_one("#find", Input).value)

    def _list(self, words: str) -> None:
        t, answers = self.app.t, self.answers
        found = answers.search(words, self.category or None) if answers is not None else []
        options = self.query_one("#answers", OptionList)
        options.set_options(
            Option(fit(plain(f"{a.title(t.lang)} — {a.text(t.lang)}", one_line=True), 50), id=a.key)
            for a in found
        )
        note = (
            t("ui.reply.none")
            if not found
            else (t("ui.reply.examples") if answers and answers.example else "")
        )
        self.query_one("#answer-rule", Static).update(Text(note, style="dim"))

    @on(Input.Changed, "#find")
    def _find(self, event: Input.Changed) -> None:
        self._list(event.value)

    @on(Input.Submitted, "#find")
    def action_to_answers(self) -> None:
        options = self.query_one("#answers", OptionList)
        if options.option_count and not options.has_focus:
            options.focus()
            options.highlighted = 0

    @on(OptionList.OptionHighlighted, "#answers")
    def _rule(self, event: OptionList.OptionHighlighted) -> None:
        answer = self.answers.get(event.option.id or "") if self.answers is not None else None
        if answer is not None and answer.rule is not None:
            rule = self.app.t("desk.answer_rule", rule=answer.rule(self.app.t.lang))
            self.query_one("#answer-rule", Static).update(plain(rule))

    @on(OptionList.OptionSelected, "#answers")
    def _take(self, event: OptionList.OptionSelected) -> None:
        """The canned answer's words, to say and edit; the answer is kept with the reply."""
        event.stop()
        self.chosen = self.answers.get(event.option.id or "") if self.answers is not None else None
        if self.chosen is not None:
            said = self.query_one("#said", Input)
            said.value = self.chosen.text(self.app.t.lang)
            said.focus()

    @on(Input.Submitted, "#said")
    def _save(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        answer = self.chosen.key if self.chosen is not None and text else ""
        replies, ref, lang = self.app.store.replies, self.ref, self.app.t.lang
        self.save(lambda: replies.reply(ref, text, answer=answer, lang=lang), "replied")

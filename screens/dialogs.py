"""Small modal dialogs: ask for a text, confirm, close with an outcome, pick one of a list, search.

A dialog that writes runs the store call itself (a worker of the dialog), stays open until the
store accepts the input, and shows a refusal on its field in the user's language; it is
dismissed with the request as written (its `RequestSaved` goes on to the app)."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any, Callable

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Button, Input, Label, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from liyuan_tui.domain.errors import DeskError
from liyuan_tui.domain.models import Request
from liyuan_tui.domain.permissions import hidden_fields
from liyuan_tui.reports.export import HIDDEN
from liyuan_tui.store import OUTCOME_KINDS
from liyuan_tui.widgets.choice_bar import Choice, ChoiceBar
from liyuan_tui.widgets.form_keys import FORM_BINDINGS, FormKeys, OneLineInput
from liyuan_tui.widgets.messages import AnalysisSaved, RequestSaved, SearchFound, StoreRefused
from liyuan_tui.widgets.plain import plain
from liyuan_tui.widgets.store_work import store_work

if TYPE_CHECKING:
    from liyuan_tui.app import LiyuanApp


class Dialog(ModalScreen):
    BINDINGS = [Binding("escape", "cancel", show=False)]
    FORM = True  # a letter typed in a dialog is the dialog's, never the app's `n`, `q` …
    app: "LiyuanApp"

    def action_cancel(self) -> None:
        self.dismiss(None)

    def show_error(self, error: DeskError | str) -> None:
        text = error if isinstance(error, str) else error.message(self.app.t)
        err = self.query_one(".dialog-error", Static)
        err.update(plain(text))  # a refusal repeats what was typed: never markup
        err.display = True

    def save(self, call: Callable[[], Request], action: str) -> None:
        """Run the dialog's write; it is dismissed when the store has accepted it."""
        store_work(self, call, lambda req: RequestSaved(req, action), action=action)

    @on(RequestSaved)
    def _saved(self, msg: RequestSaved) -> None:
        self.dismiss(msg.request)  # the message goes on to the app, which updates the queue

    @on(StoreRefused)
    def _refused(self, msg: StoreRefused) -> None:
        msg.stop()
        self.show_error(msg.error)


class AskScreen(Dialog):
    """One line of text (a step's value or note, an escalation note, a reason, a time).

    With `save`, the answer is written by `save(answer)` and the dialog is dismissed with the
    request as written; with `check`, it is dismissed with `check(answer)` (which may refuse);
    else with the answer itself."""

    def __init__(
        self,
        title: str,
        prompt: str,
        *,
        save: Callable[[str], Request] | None = None,
        check: Callable[[str], Any] | None = None,
        action: str = "",
        value: str = "",
        choices: tuple[str, ...] = (),
        allow_empty: bool = False,
        append: bool = False,
    ) -> None:
        super().__init__(classes="dialog")
        self.title_text, self.prompt = title, prompt
        self.save_answer, self.check, self.action = save, check, action
        self.value, self.choices, self.allow_empty = value, choices, allow_empty
        self.append = append  # what is typed goes after the text offered (a reason), not over it

    def compose(self) -> ComposeResult:
        t = self.app.t
        with Vertical(classes="dialog-box"):
            yield Label(plain(self.title_text, one_line=True), classes="dialog-title")
            yield Label(plain(self.prompt))
            yield OneLineInput(
                self.value,
                id="answer",
                select_on_focus=not self.append,
                suggester=SuggestFromList(self.choices, case_sensitive=False) if self.choices else None,
            )
            if self.choices:
                yield Static(
                    plain(t("ui.ask.choices", choices=" / ".join(self.choices))), classes="dialog-hint"
                )
            yield Static("", classes="dialog-error")
            yield Static(t("ui.ask.enter_to_save"), classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one(".dialog-error").display = False
        if self.append:
            self.query_one("#answer", Input).cursor_position = len(self.value)

    @on(Input.Submitted, "#answer")
    def _submitted(self, event: Input.Submitted) -> None:
        value = event.value.strip()
        if not value and not self.allow_empty:
            self.show_error(self.app.t("ui.ask.empty"))
            return
        if self.save_answer is not None:
            self.save(partial(self.save_answer, value), self.action)
        elif self.check is not None:
            try:
                self.dismiss(self.check(value))
            except DeskError as exc:
                self.show_error(exc)
        else:
            self.dismiss(value)


class ConfirmScreen(Dialog):
    """Yes or no: `y` / enter confirms, `n` / escape does not."""

    BINDINGS = [
        Binding("y,enter", "answer(True)", show=False),
        Binding("n,escape", "answer(False)", show=False),
    ]

    def __init__(self, question: str) -> None:
        super().__init__(classes="dialog")
        self.question = question

    def compose(self) -> ComposeResult:
        t = self.app.t
        with Vertical(classes="dialog-box"):
            yield Label(plain(self.question), classes="dialog-title")
            with Horizontal(classes="dialog-buttons"):
                yield Button(t("ui.ask.yes"), id="yes", variant="primary")
                yield Button(t("ui.ask.no"), id="no")
            yield Static("", classes="dialog-error")

    def on_mount(self) -> None:
        self.query_one(".dialog-error").display = False

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")


class CloseScreen(FormKeys, Dialog):
    """Closing asks for the outcome; a request handed on asks to whom (never pass the buck).
    The outcome's digit and the text typed straight after it each land where they belong."""

    BINDINGS = Dialog.BINDINGS + FORM_BINDINGS

    def __init__(self, ref: str, close: Callable[[str, str, str], Request]) -> None:
        super().__init__(classes="dialog")
        self.ref, self.close = ref, close  # close(kind, outcome, handed_to)

    def compose(self) -> ComposeResult:
        t = self.app.t
        with Vertical(classes="dialog-box"):
            yield Label(t("ui.close.title", ref=self.ref), classes="dialog-title")
            yield Label(t("ui.close.kind"))
            yield ChoiceBar(
                [Choice(k, str(i), t(f"ui.outcome.{k}")) for i, k in enumerate(OUTCOME_KINDS, 1)],
                value="resolved",
                id="kind",
            )
            yield Label(t("field.outcome"))
            yield OneLineInput(id="outcome")
            yield Label(t("field.handed_to"), id="handed-label")
            yield OneLineInput(id="handed_to")
            yield Static("", classes="dialog-error")
            yield Static(t("ui.close.hint"), classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one(".dialog-error").display = False
        self._show_handed(False)
        self.query_one("#kind", ChoiceBar).focus()

    def enter_moves_on(self, widget) -> bool:
        """Enter on the outcome goes on to "to whom" while a handed-on request does not say it yet;
        otherwise enter saves."""
        handed = self.query_one("#handed_to", Input)
        return (
            widget.id == "outcome"
            and self.query_one("#kind", ChoiceBar).value == "handed_on"
            and not handed.value
        )

    def _show_handed(self, show: bool) -> None:
        self.query_one("#handed-label").display = show
        self.query_one("#handed_to").display = show

    @on(ChoiceBar.Chosen, "#kind")
    def _kind(self, event: ChoiceBar.Chosen) -> None:
        self._show_handed(event.value == "handed_on")
        self.query_one("#outcome", Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        kind = self.query_one("#kind", ChoiceBar).value
        if (
            event.input.id == "outcome"
            and kind == "handed_on"
            and not self.query_one("#handed_to", Input).value
        ):
            self.query_one("#handed_to", Input).focus()
            return
        outcome = self.query_one("#outcome", Input).value
        handed_to = self.query_one("#handed_to", Input).value if kind == "handed_on" else ""
        self.save(partial(self.close, kind, outcome, handed_to), "closed")


class PickScreen(Dialog):
    """One of a list (a branch, a filter): enter picks."""

    def __init__(self, title: str, choices: list[tuple[str, str]], current: str | None = None) -> None:
        super().__init__(classes="dialog")
        self.title_text, self.choices, self.current = title, choices, current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Label(plain(self.title_text, one_line=True), classes="dialog-title")
            yield OptionList(
                *(Option(plain(label, one_line=True), id=value) for value, label in self.choices), id="pick"
            )
            yield Static("", classes="dialog-error")

    def on_mount(self) -> None:
        self.query_one(".dialog-error").display = False
        pick = self.query_one("#pick", OptionList)
        if self.current is not None and any(v == self.current for v, _ in self.choices):
            pick.highlighted = pick.get_option_index(self.current)

    @on(OptionList.OptionSelected, "#pick")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)


class SearchScreen(Dialog):
    """`/`: requests (open or closed) by ref, unit, phone or name; ↓ or enter goes to the results,
    enter there opens one."""

    BINDINGS = [Binding("down", "to_results", show=False)]

    def compose(self) -> ComposeResult:
        t = self.app.t
        with Vertical(classes="dialog-box search-box"):
            yield Label(t("ui.search.title"), classes="dialog-title")
            yield Input(placeholder=t("ui.search.placeholder"), id="query")
            yield OptionList(id="results")
            yield Static("", classes="dialog-error")

    def on_mount(self) -> None:
        self.query_one(".dialog-error").display = False

    @on(Input.Changed, "#query")
    def _changed(self, event: Input.Changed) -> None:
        self.search(event.value)

    @on(Input.Submitted, "#query")
    def _submitted(self, event: Input.Submitted) -> None:
        self.action_to_results()

    def action_to_results(self) -> None:
        results = self.query_one("#results", OptionList)
        if results.option_count and not results.has_focus:
            results.focus()
            results.highlighted = 0

    def search(self, text: str) -> None:
        lookup = self.app.store.lookup
        store_work(
            self,
            lambda: lookup.search(text) if text.strip() else [],
            SearchFound,
            action="search",
            exclusive=True,
            group="search",
        )

    @on(SearchFound)
    def _show(self, msg: SearchFound) -> None:
        t = self.app.t
        results = self.query_one("#results", OptionList)
        me, procedures = self.app.me, self.app.procedures

        def line(r: Request) -> Text:
            hidden = hidden_fields(me, r, procedures)
            shown = [
                HIDDEN if f in hidden and getattr(r, f) else (getattr(r, f) or "-")
                for f in ("unit", "requester_name", "phone")
            ]
            return plain("  ".join([r.ref, *shown, t("status." + r.status)]), one_line=True)

        results.set_options(Option(line(r), id=r.ref) for r in msg.requests)

    @on(OptionList.OptionSelected, "#results")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)


class TextScreen(Dialog):
    """A text of several lines (the supervisor's analysis of a month): ctrl+s saves it through
    `save(text)` in the dialog's worker, esc cancels; dismissed with what was saved."""

    BINDINGS = [Binding("ctrl+s", "save_text", show=False)]

    def __init__(self, title: str, hint: str, text: str, save: Callable[[str], Any]) -> None:
        super().__init__(classes="dialog")
        self.title_text, self.hint, self.text, self.save_text = title, hint, text, save

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box text-box"):
            yield Label(self.title_text, classes="dialog-title")
            yield TextArea(self.text, id="text")
            yield Static("", classes="dialog-error")
            yield Static(self.hint, classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one(".dialog-error").display = False
        self.query_one("#text", TextArea).focus()

    def action_save_text(self) -> None:
        save, text = self.save_text, self.query_one("#text", TextArea).text
        store_work(self, lambda: save(text), AnalysisSaved, action="analysis")

    @on(AnalysisSaved)
    def _text_saved(self, msg: AnalysisSaved) -> None:
        self.dismiss(msg.analysis)

"""The base of the desk's small modal dialogs (screens/dialogs/).

A dialog that writes runs the store call itself (a worker of the dialog), stays open until the
store accepts the input, and shows a refusal on its field in the user's language; it is
dismissed with what was written. The app hears of the write itself (`Written`, store_work.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar, TypeVar

from textual import on
from textual.binding import Binding, BindingType
from textual.screen import ModalScreen
from textual.widgets import Static

from liyuan_tui.domain.errors import DeskError
from liyuan_tui.domain.models import Request
from liyuan_tui.widgets.messages import RequestSaved, StoreRefused
from liyuan_tui.widgets.plain import plain
from liyuan_tui.widgets.store_work import store_work

if TYPE_CHECKING:
    from liyuan_tui.app import LiyuanApp

R = TypeVar("R")


class Dialog(ModalScreen[R]):
    """A modal: the app's keys do not reach it (a letter typed here is the dialog's, never the
    app's `n` or `q`); escape cancels (dismissed with None)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", show=False)]
    app: LiyuanApp

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
        self.dismiss(msg.request)  # type: ignore[arg-type]

    @on(StoreRefused)
    def _refused(self, msg: StoreRefused) -> None:
        msg.stop()
        self.show_error(msg.error)

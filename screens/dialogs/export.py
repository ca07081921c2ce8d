"""Export to a file: choose the format (1–4), say where (a default name in the current folder),
enter writes it. An existing file is replaced only after a yes; the writing runs in a thread."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Input, Label, Static

from liyuan_tui.domain.config import expand
from liyuan_tui.domain.errors import DeskError
from liyuan_tui.reports import files
from liyuan_tui.widgets.choice_bar import Choice, ChoiceBar
from liyuan_tui.widgets.form_keys import Form
from liyuan_tui.widgets.messages import ExportWritten, StoreRefused
from liyuan_tui.widgets.plain import plain
from liyuan_tui.widgets.store_work import store_work

from .confirm import ConfirmScreen
from .dialog import Dialog

if TYPE_CHECKING:
    from liyuan_tui.app import LiyuanApp


def write_export(path: Path, render: Callable[[str], str | bytes], fmt: str, overwrite: bool) -> Path:
    """Render and write (0600, 0640 in a group folder); an existing file is refused unless
    `overwrite` (see reports/files.py)."""
    if path.is_dir():
        raise DeskError("screens.export.is_folder", "file", path=str(path))
    return files.write_export(path, render(fmt), overwrite=overwrite)


def never(_widget: Widget) -> bool:
    return False


class ExportScreen(Dialog[str]):
    """`render(fmt)` gives the text; `default_name(fmt)` the file name offered for it. The
    format's digit and a name typed straight after it each land where they belong (a Form)."""

    app: LiyuanApp

    def __init__(
        self,
        title: str,
        formats: Sequence[str],
        default_name: Callable[[str], str],
        render: Callable[[str], str | bytes],
    ) -> None:
        super().__init__(classes="dialog")
        self.title_text, self.formats = title, tuple(formats)
        self.default_name, self.text_of = default_name, render
        self.fmt = self.formats[0]
        self.path = Path()

    def compose(self) -> ComposeResult:
        t = self.app.t
        # enter on the file name writes it: the field's own submit, never "on to the next"
        with Form(classes="dialog-box", enter_moves_on=never, focusable=False):
            yield Label(plain(self.title_text, one_line=True), classes="dialog-title")
            if len(self.formats) > 1:
                yield Label(t("screens.export.format", last=len(self.formats)))
                yield ChoiceBar(
                    [Choice(f, str(i), t(f"screens.export.{f}")) for i, f in enumerate(self.formats, 1)],
                    value=self.fmt,
                    id="format",
                )
            yield Label(t("screens.export.path"))
            yield Input(self.default_name(self.fmt), id="path")
            yield Static("", classes="dialog-error")
            yield Static(t("screens.export.hint"), classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one(".dialog-error").display = False
        bars = self.query(ChoiceBar)
        (bars.first() if bars else self.query_one("#path", Input)).focus()

    @on(ChoiceBar.Chosen, "#format")
    def _format(self, event: ChoiceBar.Chosen) -> None:
        path = self.query_one("#path", Input)
        if path.value == self.default_name(self.fmt):  # not edited by hand: follow the format
            path.value = self.default_name(event.value)
        self.fmt = event.value
        path.focus()

    @on(Input.Submitted, "#path")
    def _submitted(self, event: Input.Submitted) -> None:
        value = event.value.strip()
        if not value:
            self.show_error(self.app.t("ui.ask.empty"))
            return
        self.write(expand(value), overwrite=False)

    def write(self, path: Path, overwrite: bool) -> None:
        text_of, fmt = self.text_of, self.fmt
        self.path = path
        store_work(self, lambda: write_export(path, text_of, fmt, overwrite), ExportWritten, action="export")

    @on(StoreRefused)
    def _refused(self, msg: StoreRefused) -> None:
        msg.stop()
        msg.prevent_default()  # not Dialog's own handler: an existing file is a question here
        error = msg.error
        if error.key != "screens.export.exists":
            self.show_error(error)
            return
        path = self.path

        def answered(yes: bool | None) -> None:
            if yes:
                self.write(path, overwrite=True)

        self.app.push_screen(ConfirmScreen(error.message(self.app.t)), answered)

    @on(ExportWritten)
    def _written(self, msg: ExportWritten) -> None:
        self.dismiss(str(msg.path))
        self.app.notify(self.app.t("screens.export.written", path=str(msg.path)), timeout=6)

"""What the month report and the scorecard share: their body, which owns the month keys (`←`/`,`
the month before, `→`/`.` the month after, never past the current one, `m` a month typed in) and
shows the status line that says it is counting or why this user may not see it (then the month
keys leave the footer, and the page's export with them). A new month chosen is posted up
(`MonthKeys.Chosen`): the page reads it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING, Any

from textual import on
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Static

from liyuan_tui.domain.errors import DeskError
from liyuan_tui.reports.month import Month
from liyuan_tui.widgets.messages import StoreRefused
from liyuan_tui.widgets.page import Page, own_page_keys
from liyuan_tui.widgets.plain import plain

from ..dialogs import AskScreen

if TYPE_CHECKING:
    from liyuan_tui.app import LiyuanApp


# In the first days of a month the report people want is last month's (procedure 4.10: month end).
PREVIOUS_MONTH_UNTIL_DAY = 5
MONTH_ACTIONS = ("previous_month", "next_month", "choose_month")


def default_month(now: datetime, tz: tzinfo) -> Month:
    this = Month.of(now, tz)
    return this.previous() if now.astimezone(tz).day <= PREVIOUS_MONTH_UNTIL_DAY else this


def next_month(month: Month) -> Month:
    return Month(month.year + month.month // 12, month.month % 12 + 1)


class MonthKeys(VerticalScroll):
    """The body: `status` first, then the sections the page puts in (`sections`). `refused` and
    `failed` are the messages that say why a month cannot be shown ({role} and {action}; {reason})."""

    app: LiyuanApp

    @dataclass
    class Chosen(Message):
        """Another month to show."""

        month: Month

    def __init__(self, status: Static, *, month: Month, refused: str, failed: str, **kwargs: Any) -> None:
        super().__init__(status, **kwargs)
        self.status = status
        self.month = month
        self.refused_key, self.failed_key = refused, failed
        self.refusal: str | None = None  # why this user may not see it

    def on_mount(self) -> None:
        own_page_keys(self)

    @property
    def sections(self) -> list[Widget]:
        return [w for w in self.children if w is not self.status]

    def choose(self, month: Month) -> None:
        self.month = month
        self.post_message(self.Chosen(month))

    def action_previous_month(self) -> None:
        self.choose(self.month.previous())

    def action_next_month(self) -> None:
        latest = Month.of(self.app.clock.now(), self.app.tz)
        if self.month >= latest:  # nothing has happened in later months yet
            self.app.notify(self.app.t("screens.report.latest", month=str(latest)), timeout=3)
            return
        self.choose(next_month(self.month))

    def action_choose_month(self) -> None:
        t = self.app.t

        def chosen(month: Month | None) -> None:
            if month is not None:
                self.choose(month)

        ask = AskScreen(
            t("screens.report.month_title"),
            t("screens.report.month_prompt"),
            check=Month.parse,
            value=str(self.month),
        )
        self.app.push_screen(ask, chosen)

    def refused(self, error: DeskError) -> None:
        """Why this month cannot be shown: not this user's to see (the month keys and the page's
        export leave the footer), or the report failed."""
        t = self.app.t
        if error.key == "error.not_allowed":
            role, action = error.params.get("role", ""), error.params.get("action", "")
            text = self.refusal = t(self.refused_key, role=t(f"role.{role}"), action=t(f"action.{action}"))
            self.refresh_bindings()
        else:
            text = t(self.failed_key, reason=error.message(t))
        self.show_status(text, error=True)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.refusal is not None and action in MONTH_ACTIONS:
            return False
        return super().check_action(action, parameters)

    def show_status(self, text: str, error: bool = False) -> None:
        # A refusal may quote what someone typed: text, never markup or a control.
        self.status.update(plain(text))
        self.status.set_class(error, "-error")
        self.status.display = True
        for widget in self.sections:
            widget.display = False


class MonthPage(Page):
    """A page of one month's figures built on a MonthKeys body (the month report, the scorecard):
    a month chosen is read again (`load`), a refusal is said in the body."""

    body: MonthKeys

    @property
    def month(self) -> Month:
        return self.body.month

    def load(self) -> None:
        raise NotImplementedError

    @on(MonthKeys.Chosen)
    def _month_chosen(self) -> None:
        self.load()

    @on(StoreRefused)
    def _refused(self, msg: StoreRefused) -> None:
        msg.stop()
        self.body.refused(msg.error)

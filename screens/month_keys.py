"""The month keys shared by the month report and the scorecard: `←`/`,` the month before, `→`/`.`
the month after (never past the current one), `m` a month typed in. A mixin for a screen with a
`month` and a `load()`."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING

from textual.binding import Binding

from liyuan_tui.reports.month import Month
from liyuan_tui.widgets.keys import bindings, key_label

if TYPE_CHECKING:
    from liyuan_tui.app import LiyuanApp


# In the first days of a month the report people want is last month's (procedure 4.10: month end).
PREVIOUS_MONTH_UNTIL_DAY = 5


def default_month(now: datetime, tz: tzinfo) -> Month:
    this = Month.of(now, tz)
    return this.previous() if now.astimezone(tz).day <= PREVIOUS_MONTH_UNTIL_DAY else this


def month_bindings(table) -> list[Binding]:
    """The screen's bindings, the footer showing the arrows (the body's own arrow keys would hide
    them from it; they still work)."""
    return [replace(b, key_display=key_label(b.key).split(" / ")[0]) if "," in b.key else b for b in bindings(table)]


def next_month(month: Month) -> Month:
    return Month(month.year + month.month // 12, month.month % 12 + 1)


class MonthKeys:
    app: "LiyuanApp"
    month: Month | None

    def load(self) -> None:  # pragma: no cover - each screen says how
        raise NotImplementedError

    def action_previous_month(self) -> None:
        assert self.month is not None
        self.month = self.month.previous()
        self.load()

    def action_next_month(self) -> None:
        assert self.month is not None
        latest = Month.of(self.app.clock.now(), self.app.tz)
        if self.month >= latest:  # nothing has happened in later months yet
            self.app.notify(self.app.t("screens.report.latest", month=str(latest)), timeout=3)
            return
        self.month = next_month(self.month)
        self.load()

    def action_choose_month(self) -> None:
        from .dialogs import AskScreen

        t = self.app.t

        def chosen(month: Month | None) -> None:
            if month is not None:
                self.month = month
                self.load()

        self.app.push_screen(AskScreen(t("screens.report.month_title"), t("screens.report.month_prompt"),
                                       check=Month.parse, value=str(self.month)), chosen)

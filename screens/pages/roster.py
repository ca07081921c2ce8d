"""The duty roster (值班表) from the command palette: who a page reaches now — the duty supervisor,
the duty manager, the security duty lead and their backups, or everyone when the roster names
nobody — and every shift under way or to come, in the site's local time. Supervisors and the
manager add a shift (`a`) and take one off (`x`: NEEDS, widgets/keys.py); everyone may look. Read
again when the roster changes anywhere (the app's `changes`), and when a shift begins or ends (its
`now`)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.widgets import DataTable, Header, Static

from liyuan_tui.domain.events import ROSTER_KINDS
from liyuan_tui.domain.pager import DUTIES
from liyuan_tui.domain.paging import DutyShift
from liyuan_tui.store import OnDuty
from liyuan_tui.widgets.key_bar import KeyBar
from liyuan_tui.widgets.keys import ROSTER_KEYS
from liyuan_tui.widgets.messages import Changes, RosterRead, ShiftRemoved
from liyuan_tui.widgets.page import Page
from liyuan_tui.widgets.plain import plain
from liyuan_tui.widgets.store_work import store_work

from ..dialogs import ConfirmScreen, FormField, FormScreen

COLUMNS = ("id", "duty", "who", "from", "to")
DUTY_DIGITS = {str(n): duty for n, duty in enumerate(DUTIES, 1)}


class RosterScreen(Page):
    KEYS = ROSTER_KEYS
    CSS_PATH = "roster.tcss"

    def __init__(self) -> None:
        super().__init__(classes="roster")
        self.shifts: list[DutyShift] = []
        self._next_change: datetime | None = None

    def compose(self) -> ComposeResult:
        yield Header(icon="")
        yield Static(id="roster-now")
        yield Static(self.app.t("ui.roster.shifts"), classes="screen-bar")
        yield DataTable(id="roster-table", cursor_type="row")
        yield Static(self.app.t("ui.roster.loading"), id="roster-empty", classes="screen-empty")
        yield KeyBar()

    def on_mount(self) -> None:
        t = self.app.t
        self.table = self.query_one(DataTable)
        self.now_box = self.query_one("#roster-now", Static)
        self.empty = self.query_one("#roster-empty", Static)
        for key in COLUMNS:
            self.table.add_column(t(f"cli.roster.column.{key}"), key=key)
        self.table.display = False
        self.table.focus()
        self.watch(self.app, "changes", self._changed, init=False)
        self.on_clock(self.tick)
        self.load()

    def load(self) -> None:
        roster = self.app.store.roster
        store_work(
            self,
            lambda: (roster.shifts(), roster.now()),
            lambda read: RosterRead(*read),
            action="roster",
            exclusive=True,  # (the newest read wins; a removal, in the "db" group, is not cancelled)
            group="roster",
        )

    def _changed(self, changes: Changes) -> None:
        """Read again whenever the roster changes (here or at another terminal)."""
        if changes.kinds() & ROSTER_KINDS:
            self.load()

    def tick(self, now: datetime) -> None:
        """A shift beginning or ending changes who is on duty: read again then."""
        if self._next_change is not None and now >= self._next_change:
            self._next_change = None
            self.load()

    @on(RosterRead)
    def _read(self, msg: RosterRead) -> None:
        self.shifts = msg.shifts
        now = self.app.clock.now()
        edges = [when for s in msg.shifts for when in (s.starts_at, s.ends_at) if when > now]
        self._next_change = min(edges, default=None)
        self.show_now(msg.on_duty)
        self.show_shifts()

    def show_now(self, on_duty: list[OnDuty]) -> None:
        t = self.app.t
        sep = "、" if t.lang == "zh" else ", "
        lines = [t("ui.roster.now")]
        for duty in DUTIES:
            people = [d for d in on_duty if d.duty == duty and not d.backup]
            backups = [d for d in on_duty if d.duty == duty and d.backup]
            who = sep.join(f"{d.name or d.login}({d.login})" for d in people) or "-"
            if people and people[0].shift is None:
                who = f"{t('cli.roster.without_roster')}: {who}"
            line = f"  {t(f'duty.{duty}')}: {who}"
            if backups:
                line += f"  · {t('cli.roster.backup')}: " + sep.join(
                    f"{d.name or d.login}({d.login})" for d in backups
                )
            lines.append(line)
        self.now_box.update(plain("\n".join(lines)))

    def show_shifts(self) -> None:
        t, tz, staff = self.app.t, self.app.tz, self.app.staff
        at = self.table.cursor_row
        self.table.clear()
        for s in self.shifts:
            person = staff.get(s.login)
            duty = t(f"duty.{s.duty}") + (f" ({t('cli.roster.backup')})" if s.backup else "")
            self.table.add_row(
                str(s.id),
                duty,
                plain(f"{person.name}({s.login})" if person else s.login, one_line=True),
                f"{s.starts_at.astimezone(tz):%m-%d %H:%M}",
                f"{s.ends_at.astimezone(tz):%m-%d %H:%M}",
                key=str(s.id),
            )
        if self.shifts:
            self.table.move_cursor(row=min(at, len(self.shifts) - 1), animate=False)
        self.table.display = bool(self.shifts)
        self.empty.display = not self.shifts
        self.empty.update(t("ui.roster.empty"))

    # --- keys (who may use them: NEEDS in widgets/keys.py) -------------------------------------

    def action_add_shift(self) -> None:
        app, t, roster = self.app, self.app.t, self.app.store.roster
        today = app.clock.now().astimezone(app.tz)
        night = today.replace(hour=18, minute=0, second=0, microsecond=0)

        def save(v: dict[str, Any]) -> DutyShift:
            duty = DUTY_DIGITS.get(v["duty"].strip(), v["duty"])
            return roster.add(v["login"], duty, v["starts_at"], v["ends_at"], backup=bool(v["backup"]))

        fields = [
            FormField("login", t("field.login")),
            FormField("duty", t("field.duty"), "1", hint=t("ui.roster.duty_hint")),
            FormField("starts_at", t("field.starts_at"), f"{night:%Y-%m-%d %H:%M}"),
            FormField(
                "ends_at",
                t("field.ends_at"),
                f"{night + timedelta(hours=14):%Y-%m-%d %H:%M}",
                hint=t("ui.roster.times_hint"),
            ),
            FormField("backup", t("field.backup"), check=True),
        ]

        def added(shift: Any) -> None:  # (the list is read again with the change: _changed)
            if shift is not None:
                app.notify(t("ui.roster.added"), timeout=3)

        app.push_screen(FormScreen(t("ui.roster.add_title"), fields, save, action="add_shift"), added)

    def action_remove_shift(self) -> None:
        if not self.shifts or not self.table.display:
            return
        shift = self.shifts[min(self.table.cursor_row, len(self.shifts) - 1)]
        t, roster = self.app.t, self.app.store.roster
        person = self.app.staff.get(shift.login)
        question = t(
            "ui.roster.remove_ask",
            id=shift.id,
            who=person.name if person else shift.login,
            duty=t(f"duty.{shift.duty}"),
        )

        def answered(yes: bool | None) -> None:
            if yes:
                remove = lambda: roster.remove(shift.id or 0)  # noqa: E731
                store_work(self, remove, ShiftRemoved, action="remove_shift")

        self.app.push_screen(ConfirmScreen(question), answered)

    @on(ShiftRemoved)
    def _removed(self, msg: ShiftRemoved) -> None:  # (the list is read again with the change)
        self.app.notify(self.app.t("ui.roster.removed"), timeout=3)

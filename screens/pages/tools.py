"""The tool register (维修工具) from the command palette: every tool, who holds it, for which work
order and until when (overdue in red); `i` issue, `r` return (ok / damaged / lost), `a` a new
tool, `f` all → out → overdue. Read again in a thread whenever a tool moves anywhere."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widgets import DataTable, Header, Static

from liyuan_tui.domain import validation as check
from liyuan_tui.domain.events import TOOL_KINDS
from liyuan_tui.domain.workshop import TOOL_CONDITIONS
from liyuan_tui.store import ToolView
from liyuan_tui.widgets.key_bar import KeyBar
from liyuan_tui.widgets.keys import TOOLS_KEYS
from liyuan_tui.widgets.messages import Changes, ToolsRead
from liyuan_tui.widgets.page import Page
from liyuan_tui.widgets.plain import plain
from liyuan_tui.widgets.store_work import store_work

from ..dialogs import FormField, FormScreen, PersonPickScreen, on_site_people

FILTERS = ("all", "out", "overdue")
COLUMNS = ("code", "tool", "condition", "holder", "order", "due")


class ToolsScreen(Page):
    KEYS = TOOLS_KEYS

    def __init__(self) -> None:
        super().__init__(classes="tools")
        self.filter = "all"
        self.views: list[ToolView] = []
        self._overdue: set[str] = set()

    def compose(self) -> ComposeResult:
        yield Header(icon="")
        yield Static(id="tools-bar", classes="screen-bar")
        yield DataTable(id="tools-table", cursor_type="row")
        yield Static(self.app.t("ui.orders.loading"), id="tools-empty", classes="screen-empty")
        yield KeyBar()  # the footer's keys whole at any width (widgets/key_bar.py)

    def on_mount(self) -> None:
        t = self.app.t
        self.table = self.query_one(DataTable)
        self.bar = self.query_one("#tools-bar", Static)
        self.empty = self.query_one("#tools-empty", Static)
        for key in COLUMNS:
            self.table.add_column(t(f"column.{key}"), key=key)
        self.table.display = False
        self.table.focus()
        self.watch(self.app, "changes", self._changed, init=False)
        self.on_clock(self.tick)
        self.load()

    def load(self) -> None:
        tools = self.app.store.tools
        store_work(self, tools.list_tools, ToolsRead, action="tools", exclusive=True)

    def _changed(self, changes: Changes) -> None:
        """Read again whenever a tool moves (here or at another terminal)."""
        if changes.kinds() & TOOL_KINDS:
            self.load()

    @on(ToolsRead)
    def _read(self, msg: ToolsRead) -> None:
        self.views = msg.views
        self.show_tools()

    def shown(self, now: datetime) -> list[ToolView]:
        if self.filter == "out":
            return [v for v in self.views if v.tool.holder]
        if self.filter == "overdue":
            return [v for v in self.views if v.overdue(now)]
        return list(self.views)

    def show_tools(self) -> None:
        app, t = self.app, self.app.t
        now = app.clock.now()
        views = self.shown(now)
        at = self.table.cursor_row
        self.table.clear()
        for v in views:
            late = v.overdue(now)
            holder = app.staff.get(v.tool.holder or "")
            due = v.loan.due_at if v.loan else None
            condition = v.tool.condition
            self.table.add_row(
                v.tool.code,
                plain(v.tool.name, one_line=True),
                Text(t(f"tool.condition.{condition}"), style="" if condition == "ok" else "yellow"),
                plain(
                    holder.name if holder else (v.tool.holder or t("cli.tools.in_store")),
                    style="" if v.tool.holder else "dim",
                ),
                v.order or "",
                Text(
                    (f"{due.astimezone(app.tz):%m-%d %H:%M}" if due else "")
                    + (f" {t('cli.tools.overdue')}" if late else ""),
                    style="bold red" if late else "",
                ),
                key=v.tool.code,
            )
        if views:
            self.table.move_cursor(row=min(at, len(views) - 1), animate=False)
        self.table.display = bool(views)
        self.empty.display = not views
        self.empty.update(t("ui.tools.empty"))
        out = sum(1 for v in self.views if v.tool.holder)
        self._overdue = {v.tool.code for v in self.views if v.overdue(now)}
        overdue = len(self._overdue)
        self.bar.update(
            t(
                "ui.tools.bar",
                count=len(self.views),
                out=out,
                overdue=overdue,
                filter=t(f"ui.tools.filter.{self.filter}"),
            )
        )

    # --- keys ------------------------------------------------------------------------------------

    def selected(self) -> ToolView | None:
        views = self.shown(self.app.clock.now())
        if not views or not self.table.display:
            return None
        return views[min(self.table.cursor_row, len(views) - 1)]

    def _done(self, action: str) -> Callable[[Any], None]:
        def done(result: Any) -> None:  # (the list is read again with the change: _changed)
            if result is not None:
                self.app.notify(self.app.t(f"ui.tools.done.{action}"), timeout=3)

        return done

    def _form(
        self, title: str, fields: list[FormField], save: Callable[[dict[str, Any]], Any], action: str
    ) -> None:
        self.app.push_screen(FormScreen(title, fields, save, action=action), self._done(action))

    def action_issue_tool(self) -> None:
        """The order and when it is due back first (checked, each refusal under its field), then
        to whom, by name, as dispatch asks: the order's technician offered first."""
        view = self.selected()
        if view is None:
            return
        app, t, tools, code = self.app, self.app.t, self.app.store.tools, view.tool.code

        def checked(v: dict[str, Any]) -> tuple[str | None, datetime | None, str | None]:
            due = check.parse_time(v["due_at"], app.tz, "due_at") if v["due_at"] else None
            order = v["order"] or None
            return order, due, tools.before_issue(code, order=order, due=due)

        def to_whom(asked: tuple[str | None, datetime | None, str | None] | None) -> None:
            if asked is None:
                return
            order, due = asked[0], asked[1]
            people = on_site_people(app.staff.values())
            if not people:
                app.notify(t("ui.order.nobody_to_send"), severity="warning")
                return
            pick = PersonPickScreen(
                t("ui.tools.whom_title", code=code, name=view.tool.name),
                people,
                asked[2],
                save=lambda login: tools.issue(code, login, order=order, due=due),
                action="issue",
            )
            self.app.push_screen(pick, self._done("issue"))

        fields = [
            FormField("order", t("field.order")),
            FormField("due_at", t("field.due_at"), hint=t("ui.tools.due_hint")),
        ]
        title = t("ui.tools.issue_title", code=code, name=view.tool.name)
        self.app.push_screen(FormScreen(title, fields, checked, action="issue_asked"), to_whom)

    def action_return_tool(self) -> None:
        view = self.selected()
        if view is None:
            return
        t, tools, code = self.app.t, self.app.store.tools, view.tool.code
        self._form(
            t("ui.tools.return_title", code=code, name=view.tool.name, holder=view.tool.holder or "-"),
            [
                FormField("condition", t("field.condition"), "ok", hint=" / ".join(TOOL_CONDITIONS)),
                FormField("note", t("field.note")),
            ],
            lambda v: tools.give_back(code, v["condition"], v["note"]),
            "return",
        )

    def action_add_tool(self) -> None:
        t, tools = self.app.t, self.app.store.tools
        self._form(
            t("ui.tools.add_title"),
            [FormField("code", t("field.code")), FormField("tool_name", t("field.tool_name"))],
            lambda v: tools.add_tool(v["code"], v["tool_name"]),
            "add",
        )

    def action_tool_filter(self) -> None:
        self.filter = FILTERS[(FILTERS.index(self.filter) + 1) % len(FILTERS)]
        self.show_tools()

    def tick(self, now: datetime) -> None:
        """A tool falling due is shown overdue at once (the table is laid out again only then)."""
        overdue = {v.tool.code for v in self.views if v.overdue(now)}
        if overdue != self._overdue:
            self.show_tools()

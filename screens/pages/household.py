"""A unit's household file (一户一档): the flags the desk must see at once, the people, the
emergency contact and notes, then the unit's history (requests, charges, follow-up calls), newest
first — each part only for the roles whose job needs it. `e` edits it (the desk), `enter` opens
the request of the highlighted history line."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widgets import DataTable, Footer, Header, Static

from liyuan_tui.domain.safe_text import visible
from liyuan_tui.reports.household import flag_words, history_summary
from liyuan_tui.store import HouseholdFile
from liyuan_tui.widgets.keys import HOUSEHOLD_KEYS
from liyuan_tui.widgets.messages import HouseholdRead
from liyuan_tui.widgets.page import Page
from liyuan_tui.widgets.plain import plain
from liyuan_tui.widgets.store_work import store_work

from ..dialogs import HouseholdEditScreen

HISTORY_LIMIT = 200  # lines on screen (`liyuan residents show` lists them all)


def one_line(value: str) -> str:
    return visible(value, newlines=False)


class HouseholdScreen(Page):
    CSS_PATH = "household.tcss"
    KEYS = HOUSEHOLD_KEYS

    def __init__(self, unit: str) -> None:
        super().__init__(classes="household")
        self.unit = unit
        self.file: HouseholdFile | None = None

    def compose(self) -> ComposeResult:
        t = self.app.t
        yield Header(icon="")
        yield Static(
            plain(t("ui.household.title", unit=self.unit), one_line=True), id="household-bar"
        )  # never markup
        yield Static("", id="household-flags")
        yield Static("", id="household-info")
        yield DataTable(id="household-history", cursor_type="row", zebra_stripes=True)
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        t = self.app.t
        self.flags = self.query_one("#household-flags", Static)
        self.info = self.query_one("#household-info", Static)
        self.history = self.query_one("#household-history", DataTable)
        for key in ("at", "ref", "kind"):
            self.history.add_column(t(f"ui.household.column_{key}"), key=key)
        # The details take the room left (cut with an ellipsis), so a line never runs off the screen.
        self.history.add_column(
            t("ui.household.column_summary"), key="summary", width=max(20, self.app.size.width - 42)
        )
        self.history.focus()
        self.load()

    def load(self) -> None:
        households, unit = self.app.store.households, self.unit
        store_work(
            self, lambda: households.household(unit), HouseholdRead, action="household", exclusive=True
        )

    @on(HouseholdRead)
    def _read(self, msg: HouseholdRead) -> None:
        msg.stop()
        self.show(msg.household)

    def show(self, f: HouseholdFile) -> None:
        app, t = self.app, self.app.t
        self.file = f
        words = flag_words(f, t)
        self.flags.update(
            plain("⚠ " + "  ·  ".join(words), "bold", one_line=True)
            if words
            else Text(t("ui.household.no_flags"), style="dim")
        )
        self.flags.set_class(bool(words), "-flagged")
        self.info.update(self._info(f))
        self.history.display = "history" in f.parts
        self.history.clear()
        for x in f.history[:HISTORY_LIMIT]:
            self.history.add_row(
                f"{x.at.astimezone(app.tz):%y-%m-%d %H:%M}",
                x.request.ref,
                t(f"household.kind_{x.kind}"),
                Text(
                    visible(history_summary(x, f, t, app.procedures), newlines=False),
                    no_wrap=True,
                    overflow="ellipsis",
                ),
            )

    def _info(self, f: HouseholdFile) -> Text:
        """The people, the emergency contact and the notes: text from people, shown as text
        (controls as their escapes, never markup)."""
        t, h = self.app.t, f.household
        text = Text()
        if "people" in f.parts:
            text.append(t("household.people") + ": ", style="bold")
            if not f.people:
                text.append(t("household.nobody"), style="dim")
            for i, p in enumerate(f.people):
                text.append(("   " if i else "") + one_line(p.name or "-"))
                if p.relation:
                    relation = one_line(p.relation)
                    text.append(f"({relation})" if t.lang == "zh" else f" ({relation})")
                phones = one_line(" / ".join(x for x in p.phones.split(",") if x))
                if phones:
                    text.append(f" {phones}", style="cyan")
        if "emergency_contact" in f.parts:
            text.append("\n" + t("household.emergency") + ": ", style="bold")
            if h is not None and (h.emergency_name or h.emergency_phone):
                text.append(
                    one_line(
                        " ".join(
                            x
                            for x in (
                                h.emergency_name,
                                h.emergency_relation and f"({h.emergency_relation})",
                                h.emergency_phone,
                            )
                            if x
                        )
                    )
                )
            else:
                text.append("-", style="dim")
        if "notes" in f.parts and h is not None and h.notes:
            text.append("\n" + t("household.notes") + ": ", style="bold")
            text.append(visible(h.notes))
        hidden = [t(f"household.part_{p}") for p in ("phones", "notes", "history") if p not in f.parts]
        if hidden:
            text.append(
                "\n"
                + t("household.hidden", parts="、".join(hidden) if t.lang == "zh" else ", ".join(hidden)),
                style="dim",
            )
        return text

    # --- keys ------------------------------------------------------------------------------------

    def action_edit_household(self) -> None:
        if self.file is None:
            return
        self.app.push_screen(
            HouseholdEditScreen(self.file), lambda f: self.show(f) if f is not None else None
        )

    def action_open(self) -> None:
        if self.file is None or not self.history.row_count:
            return
        row = self.history.get_row_at(self.history.cursor_row)
        self.app.open_request(str(row[1]))

    @on(DataTable.RowSelected, "#household-history")
    def _row_chosen(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

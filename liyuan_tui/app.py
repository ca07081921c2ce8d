"""LiyuanApp: wires the store, the clock and the screens; ticks the countdowns once a second and
watches the database for other terminals' changes in a thread. No database I/O on the event loop:
every store call runs in a thread worker of the screen that asked and comes back as a message.

The open requests live in one reactive, `requests`: the poller fills it from the events it sees
(the rows they touched, as they are now), and a write's own result (`RequestSaved`) updates it at
once, so a write is never followed by a second read of the queue.
"""

from __future__ import annotations

import threading
from functools import partial
from typing import Iterable

from textual import on, work
from textual.app import App, SystemCommand
from textual.notifications import SeverityLevel
from textual.reactive import var
from textual.screen import Screen

from liyuan_tui.domain.clock import Clock
from liyuan_tui.domain.config import Settings
from liyuan_tui.domain.deadlines import Urgency, urgency
from liyuan_tui.domain.errors import DeskError
from liyuan_tui.domain.events import STAFF_KINDS
from liyuan_tui.domain.i18n import Translator
from liyuan_tui.domain.models import Request, Staff
from liyuan_tui.domain.notices import Notice, notices_for
from liyuan_tui.domain.permissions import SECURITY_ROLES, Action, allowed
from liyuan_tui.domain.shift_notices import shift_notices
from liyuan_tui.domain.procedures import Step
from liyuan_tui.domain.safe_text import visible
from liyuan_tui.domain.views import waiting_steps
from liyuan_tui.screens.intake import IntakeScreen
from liyuan_tui.screens.queue import QueueScreen
from liyuan_tui.screens.request import RequestScreen
from liyuan_tui.store import JournalLost
from liyuan_tui.store.opening import OpenedStore
from liyuan_tui.widgets.keys import APP_KEYS, bindings, key_label, translate_bindings
from liyuan_tui.widgets.desk_messages import RecordSaved
from liyuan_tui.widgets.messages import RequestSaved, RequestsChanged, StoreRefused
from liyuan_tui.widgets.pager_banner import PagerHealthRead, PagerWatch
from liyuan_tui.widgets.store_work import store_work

CHANGES_AT_ONCE = 500  # more events than this since the last look: read every open request afresh
GLOBAL_ACTIONS = frozenset(action for _keys, action, _show in APP_KEYS)
# Screens with no key of their own: the command palette opens them.
PALETTE_ONLY = ("stock", "tools", "find_household", "scorecard", "roster")
TECHNICIAN_HIDDEN = frozenset(
    {
        "new_request",
        "search",
        "handover",
        "month_report",
        "stock",
        "tools",
        "followups",
        "scorecard",
        "reception",
        "roster",
    }
)


class LiyuanApp(App):
    CSS_PATH = "app.tcss"
    BINDINGS = bindings(APP_KEYS)
    # Screens get these classes by their size (app.tcss lays them out for 80×24 and for 120×40+).
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-normal"), (140, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (30, "-tall")]

    requests: var[dict[str, Request]] = var(dict, always_update=True)
    """The open requests, by ref: every screen shows them from here."""

    def __init__(
        self,
        opened: OpenedStore,
        settings: Settings,
        clock: Clock,
        *,
        tick_interval: float | None = 1.0,
        poll_interval: float = 1.0,
    ) -> None:
        super().__init__()
        self.store = opened.store
        self.me: Staff = opened.me
        self.first_user = opened.first_user
        self.settings = settings
        self.clock = clock
        self.t = Translator(settings.lang)
        self.tz = settings.tz
        self.procedures = self.store.procedures
        self.tick_interval = tick_interval
        self.poll_interval = poll_interval
        self.security: dict[str, list[Step]] = {}  # ref → security steps waiting (security roles only)
        self.staff: dict[str, Staff] = {opened.me.login: opened.me}
        self.synced_event_id = -1  # the newest event the screens have been told about
        self._urgency: dict[str, Urgency] = {}
        self._poke = threading.Event()
        self._stopping = threading.Event()
        self.pager = PagerWatch(self)
        translate_bindings(self, self.t)
        self.title = self.t("ui.app.title")
        self.sub_title = visible(
            self.t("ui.app.who", name=self.me.name, role=self.t(f"role.{self.me.role}")), newlines=False
        )

    # --- start and stop ---------------------------------------------------------------------------

    def on_mount(self) -> None:
        self.queue = QueueScreen()
        self.push_screen(self.queue)
        if self.me.role == "technician":  # their desk is their own work orders (the queue stays under it)
            from liyuan_tui.screens.orders import OrdersScreen

            self.push_screen(OrdersScreen("mine"))
        if self.tick_interval:
            self.set_interval(self.tick_interval, self.tick)
        self.screen_change_signal.subscribe(self, lambda _screen: self.tick_screens(self.clock.now()))
        self.watch_changes()
        if self.first_user:
            self.notify(self.t("ui.app.first_user", login=self.me.login), timeout=10)

    @on(RecordSaved)
    def _pending_handovers(self, msg: RecordSaved) -> None:
        if msg.action != "pending_handovers":
            return
        for h in msg.result:
            by, to = self.staff.get(h.signed_by), self.staff.get(h.to_login)
            at = f"{h.signed_at.astimezone(self.tz):%m-%d %H:%M}"
            said = self.t(
                "shift.pending", by=by.name if by else h.signed_by, to=to.name if to else h.to_login, at=at
            )
            self.notify(said, severity="warning", timeout=15)

    def on_unmount(self) -> None:
        self._stopping.set()
        self._poke.set()

    # --- other terminals' changes -----------------------------------------------------------------

    @work(thread=True, exclusive=True, group="poll", exit_on_error=False)
    def watch_changes(self) -> None:
        """Poll one indexed query (the newest event id); read what changed only when it moved.
        Each look also records the deadline ladder's rungs that are due (once for all terminals)."""
        seen: int | None = None
        lost_said = False
        watch = self.store.change_watch()
        while not self._stopping.is_set():
            try:
                if self.store.broken is None:  # a desk whose journal went writes nothing more
                    self.store.ladder.record_deadline_alerts()
                health = self.pager.look()  # the red header when no sender is alive (widgets/pager_banner.py)
                if health is not None:
                    self.post_message(health)
                newest = self.store.lookup.last_event_id()
                if newest != seen:
                    self.post_message(self._read_changes(seen, newest))
                    seen = newest
            except JournalLost as exc:  # said once, plainly, for as long as the desk stays open
                if not lost_said:
                    lost_said = True
                    self.call_from_thread(self.notify, exc.message(self.t), severity="error", timeout=3600)
            except DeskError as exc:  # a lock held too long …: said in the desk's words
                self.call_from_thread(self.notify, exc.message(self.t), severity="error")
            except Exception as exc:  # a vanished file: say so, keep watching
                self.call_from_thread(self.notify, str(exc), severity="error")
            try:
                watch.wait(self.poll_interval, self._poke)  # LISTEN on PostgreSQL, a timed look on SQLite
            except Exception as exc:  # the server went away: say so, look again after a while
                self.call_from_thread(self.notify, str(exc), severity="error")
                watch.close()
                self._poke.wait(self.poll_interval)
            self._poke.clear()
        watch.close()

    def _read_changes(self, seen: int | None, newest: int) -> RequestsChanged:
        """In the poller's thread: the events since the last look with their requests as they are
        now (one query), what this user must be told, and what security waits on."""
        lookup = self.store.lookup
        changes = lookup.changes_since(seen, CHANGES_AT_ONCE) if seen is not None else []
        full = seen is None or len(changes) >= CHANGES_AT_ONCE
        changes = [(e, r) for e, r in changes if e.id <= newest]  # later ones come with the next look
        events = [e for e, _ in changes]
        estate = self.me.estate  # this desk's queue is its estate's
        requests = (
            lookup.open_requests(estate)
            if full
            else [r for _, r in changes if r is not None and r.estate == estate]
        )
        staff_changed = full or any(e.kind in STAFF_KINDS for e in events)
        staff = self.store.staff.list_staff() if staff_changed else None
        security = None
        if self.me.role in SECURITY_ROLES:
            done = lookup.open_step_keys()
            current = (
                {r.ref: r for r in requests} if full else {**self.requests, **{r.ref: r for r in requests}}
            )
            security = {
                r.ref: steps
                for r in current.values()
                if r.is_open
                if (steps := waiting_steps(r, done.get(r.id or 0, ()), self.procedures, SECURITY_ROLES))
            }
        notices = notices_for(changes, self.me, self.procedures) + shift_notices(events, self.me)
        return RequestsChanged(requests, events, newest, full, staff, notices, security)

    def poll_now(self) -> None:
        """Look for changes at once (tests; a tick that crossed a rung of the ladder)."""
        self._poke.set()

    def on_requests_changed(self, msg: RequestsChanged) -> None:
        if msg.staff is not None:
            self.staff = {s.login: s for s in msg.staff}
        first = self.synced_event_id < 0
        if first:
            # Everything built so far (the libraries, the screens) lives as long as the desk: keep
            # it out of the garbage collector's full passes, which otherwise cost more than a tick.
            import gc

            gc.freeze()
        if msg.security is not None:
            self.security = msg.security
        self.synced_event_id = msg.last_event_id
        self._set_requests(msg.requests, replace=msg.full)
        if first:  # a handover not yet accepted is told to its receiver and the supervisors (names known now)
            shift = self.store.shift
            store_work(
                self, shift.pending, lambda rows: RecordSaved(rows, "pending_handovers"), action="pending"
            )
        if not first:
            self._announce(msg.notices)
        for screen in self.screen_stack:
            handler = getattr(screen, "requests_changed", None)
            if handler is not None:
                handler(msg.events)

    @on(PagerHealthRead)
    def _pager_health(self, msg: PagerHealthRead) -> None:
        self.pager.show(msg.health)

    @on(RequestSaved)
    def _request_saved(self, msg: RequestSaved) -> None:
        """A write's own result updates the queue at once (the poller brings it to others)."""
        self._set_requests([msg.request])
        if msg.action == "created":
            self.push_screen(IntakeScreen(msg.request.ref, msg.request))

    def _set_requests(self, changed: Iterable[Request], *, replace: bool = False) -> None:
        current = {} if replace else dict(self.requests)
        for req in changed:
            known = current.get(req.ref)
            if known is not None and known.version > req.version:
                continue  # an older read arriving after a newer write
            if req.is_open:
                current[req.ref] = req
            else:
                current.pop(req.ref, None)
        now = self.clock.now()
        self._urgency = {ref: self._urgency.get(ref) or urgency(req, now) for ref, req in current.items()}
        self.requests = current

    def _announce(self, notices: Iterable[Notice]) -> None:
        """Notifications (with the bell) for what this user must know at once: others' new
        requests, escalations to them, major cases, acknowledgements, the deadline ladder."""
        for notice in notices:
            params = dict(notice.params)
            who = self.staff.get(params.get("by", ""))
            if who is not None:
                params["by"] = who.name
            if params.get("by") == "system":
                params["by"] = self.t("ui.app.system")
            self.alert(self.t(notice.key, **params), severity=notice.severity)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Every notification is plain text: what it says comes with names, units and refusals
        typed by people, which must never be read as markup (a toast is clickable)."""
        super().notify(
            visible(message),
            title=visible(title, newlines=False),
            severity=severity,
            timeout=timeout,
            markup=False,
        )

    def alert(self, message: str, severity: str = "information") -> None:
        self.notify(message, severity=severity, timeout=8)  # type: ignore[arg-type]
        self.bell()

    # --- the clock --------------------------------------------------------------------------------

    def tick(self) -> None:
        """Once a second: countdowns from the deadline and the clock (never a counter)."""
        now = self.clock.now()
        # The deadline's warnings come from the ladder's events (recorded once for all terminals,
        # see store/ladder.py); a tick whose clock crossed a rung just asks the poller to look now.
        for ref, req in self.requests.items():
            state = urgency(req, now)
            if self._urgency.get(ref) not in (None, state):
                self._poke.set()
            self._urgency[ref] = state
        self.tick_screens(now)

    def tick_screens(self, now) -> None:
        """The screens the terminal shows count down; one hidden under an opaque screen does not
        (its table's cells, repainted, made Textual repaint the whole screen on top every second:
        12 KB/s at 120×40 on a request). Shown again, a screen catches up at once."""
        stack = self.screen_stack
        for i, screen in enumerate(stack):
            if any(above.styles.background.a >= 1 for above in stack[i + 1 :]):
                continue
            handler = getattr(screen, "tick", None)
            if handler is not None:
                handler(now)

    # --- refusals nobody else took ------------------------------------------------------------------

    @on(StoreRefused)
    def _store_refused(self, msg: StoreRefused) -> None:
        self.show_error(msg.error)

    def show_error(self, error: DeskError) -> None:
        self.notify(error.message(self.t), severity="error", timeout=8)

    # --- keys -------------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """On a form (the intake, a dialog) the keys belong to the form: a letter typed into a
        checkbox or a list is not `n` for a new request, `q` to quit or `/` to search. A
        technician's desk is their own work orders: nothing of the request queue (nothing
        confidential), no reports, no store room."""
        if action in GLOBAL_ACTIONS and getattr(self.screen, "FORM", False):
            return False
        if self.me.role == "technician" and action in TECHNICIAN_HIDDEN:
            return False
        if action == "reception" and not allowed(self.me.role, Action.RECEPTION):
            return False
        return super().check_action(action, parameters)

    # --- screens open each other through here -----------------------------------------------------

    def action_new_request(self) -> None:
        """The request exists from this moment: the clock runs from the call, not the form."""
        store_work(
            self,
            lambda: self.store.intake.create_request(),
            lambda r: RequestSaved(r, "created"),
            action="create",
        )

    def open_request(self, ref: str) -> None:
        """A draft (no category, unit or phone yet) opens in the form; any other in its checklist."""
        req = self.requests.get(ref)
        if req is not None and req.is_open and not (req.category and req.unit and req.phone):
            self.push_screen(IntakeScreen(ref, req))
        else:
            self.push_screen(RequestScreen(ref))

    def edit_request(self, ref: str, request: Request | None = None) -> None:
        """The intake form in place of the screen on top (the request screen's `i`)."""
        self.switch_screen(IntakeScreen(ref, request))

    def show_checklist(self, ref: str) -> None:
        """The request's checklist in place of the screen on top (the form's ctrl+s)."""
        self.switch_screen(RequestScreen(ref))

    def action_help(self) -> None:
        from liyuan_tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_search(self) -> None:
        from liyuan_tui.screens.dialogs import SearchScreen

        def chosen(ref: str | None) -> None:
            if ref:
                self.open_request(ref)

        self.push_screen(SearchScreen(), chosen)

    def action_handover(self) -> None:
        from liyuan_tui.screens.handover import HandoverScreen

        self.push_screen(HandoverScreen())

    def action_month_report(self) -> None:
        from liyuan_tui.screens.report import ReportScreen

        self.push_screen(ReportScreen())

    # --- the back office: work orders, stock, tools ---------------------------------------------------

    def action_work_orders(self) -> None:
        """`w`: the work orders still open (all, mine, late)."""
        from liyuan_tui.screens.orders import OrdersScreen

        if not isinstance(self.screen, OrdersScreen):
            self.push_screen(OrdersScreen())

    def open_order(self, number: str) -> None:
        from liyuan_tui.screens.order import OrderScreen

        self.push_screen(OrderScreen(number))

    def action_stock(self) -> None:
        """The materials ledger (from the command palette)."""
        from liyuan_tui.screens.stock import StockScreen

        self.push_screen(StockScreen())

    def action_tools(self) -> None:
        """The tool register (from the command palette)."""
        from liyuan_tui.screens.tools import ToolsScreen

        self.push_screen(ToolsScreen())

    # --- the back office II: follow-up calls, the household file, the scorecard ------------------------

    def action_followups(self) -> None:
        """`v`: the follow-up calls owed, the most overdue first."""
        from liyuan_tui.screens.followups import FollowupsScreen

        if not isinstance(self.screen, FollowupsScreen):
            self.push_screen(FollowupsScreen())

    def open_household(self, unit: str) -> None:
        """A unit's household file (from the request screen, the follow-ups, the palette)."""
        from liyuan_tui.screens.household import HouseholdScreen

        self.push_screen(HouseholdScreen(unit))

    def action_find_household(self) -> None:
        """The palette's "household file": asks which unit."""
        from liyuan_tui.domain import validation as check
        from liyuan_tui.screens.dialogs import AskScreen

        t = self.t

        def chosen(unit: str | None) -> None:
            if unit:
                self.open_household(unit)

        self.push_screen(
            AskScreen(
                t("ui.household.ask_title"),
                t("ui.household.ask_unit"),
                check=lambda v: check.plain(check.unit(v), "unit"),
            ),
            chosen,
        )

    def action_reception(self) -> None:
        """`j`: the reception log (来访接待)."""
        from liyuan_tui.screens.reception import ReceptionScreen

        if not isinstance(self.screen, ReceptionScreen):
            self.push_screen(ReceptionScreen())

    def action_scorecard(self) -> None:
        from liyuan_tui.screens.scorecard import ScorecardScreen

        self.push_screen(ScorecardScreen())

    def action_roster(self) -> None:
        """The duty roster (from the command palette): who a page reaches now, and the shifts."""
        from liyuan_tui.screens.roster import RosterScreen

        if not isinstance(self.screen, RosterScreen):
            self.push_screen(RosterScreen())

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Every key's action is in the command palette too, in the user's language."""
        t = self.t
        for node, table in ((screen, getattr(screen, "KEYS", ())), (self, APP_KEYS)):
            for keys, action, _show in table:
                if node.check_action(action, ()) is not False:
                    yield SystemCommand(
                        t(f"ui.key.{action}"), key_label(keys), partial(node.run_action, action)
                    )
        for action in PALETTE_ONLY:
            if self.check_action(action, ()) is not False:
                yield SystemCommand(
                    t(f"ui.key.{action}"), t(f"ui.palette.{action}"), partial(self.run_action, action)
                )
        for name, help_text, callback, *_ in super().get_system_commands(screen):
            if name != "Quit" and "Keys" not in name:
                yield SystemCommand(name, help_text, callback)


def run_app(opened: OpenedStore, settings: Settings, clock: Clock) -> int:
    """Open the desk in this terminal; returns the exit code."""
    app = LiyuanApp(opened, settings, clock)
    app.run()
    return app.return_code or 0

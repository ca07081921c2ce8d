"""LiyuanApp: wires the store, the clock and the pages; ticks the countdowns once a second and watches the
database for other terminals' changes in a thread (widgets/poller.py). No database I/O on the event loop:
every store call runs in a thread worker of the widget that asked and comes back as a message.

The app tells its pages of changes one way, by reactives they watch: `requests` (the open requests, by ref),
`changes` (what just changed: the desk's own writes, as written, and what the poller found other terminals
did), `now` (the clock, once a second) and `pager_down` (no pager sender alive: every page's header turns red,
widgets/pager_banner.py). Each change travels once: a write's own result (`Written`, from store_work) is shown
as it is, and the poller never reads it back (store/watch.py).
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Sequence
from datetime import datetime
from functools import partial

from textual import on
from textual.app import App, SystemCommand
from textual.notifications import SeverityLevel
from textual.reactive import var
from textual.screen import Screen
from textual.worker import Worker

from liyuan_tui.domain.clock import Clock
from liyuan_tui.domain.config import Settings
from liyuan_tui.domain.deadlines import UrgencyWatch
from liyuan_tui.domain.errors import DeskError
from liyuan_tui.domain.i18n import Translator
from liyuan_tui.domain.models import Request, Staff
from liyuan_tui.domain.notices import Notice
from liyuan_tui.domain.permissions import SECURITY_ROLES
from liyuan_tui.domain.procedures import Step
from liyuan_tui.domain.safe_text import visible
from liyuan_tui.screens.dialogs import Dialog
from liyuan_tui.screens.pages.intake import IntakeScreen
from liyuan_tui.screens.pages.queue import QueueScreen
from liyuan_tui.screens.pages.request import RequestScreen
from liyuan_tui.store.opening import OpenedStore
from liyuan_tui.widgets.announcer import TOAST_SECONDS, Announcer
from liyuan_tui.widgets.first_frame import hand_over
from liyuan_tui.widgets.keys import APP_KEYS, bindings, every_action, own_keys, palette
from liyuan_tui.widgets.messages import (
    Changes,
    PagerHealthRead,
    RequestCreated,
    RequestsChanged,
    SecurityRead,
    StoreRefused,
    Written,
)
from liyuan_tui.widgets.page import Page
from liyuan_tui.widgets.pager_banner import DOWN_CLASS, pager_news, pager_title
from liyuan_tui.widgets.poller import ChangePoller, security_waiting
from liyuan_tui.widgets.store_work import store_work

APP_ACTIONS = every_action([APP_KEYS])


class LiyuanApp(App[int]):
    CSS_PATH = "app.tcss"
    BINDINGS = bindings(APP_KEYS)
    # Screens get these classes by their size (app.tcss lays them out for 80×24 and for 120×40+).
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-normal"), (140, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (30, "-tall")]

    requests: var[dict[str, Request]] = var(dict, always_update=True)
    """The open requests, by ref: every page shows them from here."""
    changes: var[Changes] = var(lambda: Changes([], []), always_update=True)
    """What just changed: pages that show it read it again (or, for the desk's own writes, take it)."""
    now: var[datetime] = var(datetime.min, always_update=True)
    """The clock, set once a second: countdowns are computed from it (never counted down)."""
    pager_down: var[bool] = var(False, init=False, toggle_class=DOWN_CLASS)
    """No pager sender has been alive for two minutes: the app's class turns every header red."""

    def __init__(
        self,
        opened: OpenedStore,
        settings: Settings,
        clock: Clock,
        *,
        tick_interval: float | None = 1.0,
        poll_interval: float | None = 1.0,
    ) -> None:
        """`poll_interval` None: no poller thread (a test asks for each look: `poll_now`)."""
        super().__init__()
        self.store = opened.store
        self.me: Staff = opened.me
        self.first_user = opened.first_user
        self.settings = settings
        self.clock = clock
        self.t = Translator(settings.lang)
        self.tz = settings.tz
        self.procedures = self.store.procedures
        self.tick_interval, self.poll_interval = tick_interval, poll_interval
        self.security: dict[str, list[Step]] = {}  # ref → security steps waiting (security roles only)
        self.staff: dict[str, Staff] = {opened.me.login: opened.me}
        self.poller = ChangePoller(self)
        self.told = False  # the first look (every open request) has been shown
        self.announcer = Announcer(self)  # notices as toasts, a storm of them held and summed up
        self._urgency = UrgencyWatch()  # the requests' urgency at the last tick
        self.pager_seen: datetime | None = None  # the pager sender's last heartbeat, as last read
        self.set_reactive(LiyuanApp.now, clock.now())
        own_keys(self, APP_KEYS, self.me, self.t)  # a technician's desk has none of the queue's
        self.title = pager_title(self.t, down=False)
        who = self.t("ui.app.who", name=self.me.name, role=self.t(f"role.{self.me.role}"))
        self.sub_title = visible(who, newlines=False)

    # --- start and stop ---------------------------------------------------------------------------

    def on_load(self) -> None:  # just before Textual takes the terminal: the first frame gives it back
        hand_over()

    def on_mount(self) -> None:
        if self.poller.first is not None:  # the first look, made before the loop ran: one first frame
            self._requests_changed(self.poller.first)
        self.queue = QueueScreen()
        self.push_screen(self.queue)
        if self.me.role == "technician":  # their desk is their own work orders (the queue stays under it)
            from liyuan_tui.screens.pages.orders import OrdersScreen

            self.push_screen(OrdersScreen("mine"))
        if self.tick_interval:
            self.set_interval(self.tick_interval, self.tick)
        if self.poll_interval is not None:  # the desk's look for others' changes, until it closes
            look = partial(self.poller.run, self.poll_interval)
            self.run_worker(look, thread=True, group="poll", exclusive=True, exit_on_error=False)
        if self.first_user:
            self.notify(self.t("ui.app.first_user", login=self.me.login), timeout=10)

    def on_unmount(self) -> None:
        self.poller.stop()

    # --- other terminals' changes -----------------------------------------------------------------

    def poll_now(self) -> Worker[bool] | None:
        """Look for changes at once: the poller's thread is poked; with none (a test), one look
        runs in a worker, which the test can wait for (widgets/poller.py)."""
        if self.poll_interval is not None:
            self.poller.poke()
            return None
        return self.run_worker(self.poller.look_once, thread=True, group="look", exit_on_error=False)

    @on(RequestsChanged)
    def _requests_changed(self, msg: RequestsChanged) -> None:
        self.poller.taken()  # off the queue: the poller may look again (never two waiting here)
        if msg.staff is not None:
            self.staff = {s.login: s for s in msg.staff}
        if not self.told:
            # All built so far lives as long as the desk: out of the collector's full passes (costly)
            gc.freeze()
        if msg.security is not None:
            self.security = msg.security
        self._set_requests(msg.requests, replace=msg.full)
        self._announce(msg.notices)  # (on the first look: only the handovers waiting, poller.py)
        self.told = True
        self.changes = Changes(msg.events, msg.requests)

    @on(Written)
    def _written(self, msg: Written) -> None:
        """The desk's own write, as committed: shown at once, and never read back."""
        requests = [r for r in msg.rows if isinstance(r, Request)]
        self._set_requests(requests)
        self.changes = Changes(msg.events, requests, msg.rows, own=True)
        if self.me.role in SECURITY_ROLES and requests:  # what waits on security now (one read)
            store, known = self.store, self.requests
            store_work(self, lambda: security_waiting(store, known, store.procedures), SecurityRead)

    @on(SecurityRead)
    def _security_read(self, msg: SecurityRead) -> None:
        self.security = msg.waiting
        self.requests = self.requests  # the queue lists them again

    @on(PagerHealthRead)
    def _pager_health(self, msg: PagerHealthRead) -> None:
        self.pager_seen = msg.health.heartbeat_at
        self.pager_down = msg.health.down

    def watch_pager_down(self, down: bool) -> None:
        """Said once each way: in red with the bell when the pager goes down, and when it is back."""
        self.title = pager_title(self.t, down)
        news = pager_news(self.t, self.tz, down, self.pager_seen)
        self.notify(news, severity="error" if down else "information", timeout=600 if down else 8)
        if down:
            self.bell()

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
        self._urgency.known(current, self.clock.now())
        self.requests = current

    def _announce(self, notices: Sequence[Notice]) -> None:
        self.announcer.announce(notices)

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

    def alert(self, message: str, severity: SeverityLevel = "information") -> None:
        self.notify(message, severity=severity, timeout=TOAST_SECONDS)
        self.bell()

    # --- the clock --------------------------------------------------------------------------------

    def tick(self) -> None:
        """Once a second: countdowns from the deadline and the clock (never a counter)."""
        now = self.clock.now()
        # The deadline's warnings come from the ladder's events (recorded once for all terminals,
        # see store/ladder.py); a tick whose clock crossed a rung just asks the poller to look now.
        if self._urgency.crossed(self.requests, now):
            self.poll_now()
        self.now = now

    # --- refusals nobody else took ------------------------------------------------------------------

    @on(StoreRefused)
    def _store_refused(self, msg: StoreRefused) -> None:
        self.show_error(msg.error)

    def show_error(self, error: DeskError) -> None:
        self.notify(error.message(self.t), severity="error", timeout=TOAST_SECONDS)

    # --- keys -------------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """On a form (the intake, a dialog) the keys belong to the form: a letter typed into a
        checkbox or a list is not `n` for a new request, `q` to quit or `/` to search, and the
        footer under a dialog does not offer them. (Who may use which key is widgets/keys.py's: a
        key the user may not use is not bound at all.)"""
        on_a_form = isinstance(self.screen, Dialog) or (isinstance(self.screen, Page) and self.screen.FORM)
        if action in APP_ACTIONS and on_a_form:
            return False
        return super().check_action(action, parameters)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Every key's action is in the command palette too, in the user's language."""
        yield from palette(self, screen, screen.key_table() if isinstance(screen, Page) else ())
        for name, help_text, callback, *_ in super().get_system_commands(screen):
            if name != "Quit" and "Keys" not in name:
                yield SystemCommand(name, help_text, callback)

    # --- pages open each other through here ---------------------------------------------------------

    def action_new_request(self) -> None:
        """The request exists from this moment: the clock runs from the call, not the form."""
        intake = self.store.intake
        store_work(self, lambda: intake.create_request(), RequestCreated, action="create")

    @on(RequestCreated)
    def _created(self, msg: RequestCreated) -> None:
        self.push_screen(IntakeScreen(msg.request.ref, msg.request))

    def open_request(self, ref: str) -> None:
        """A draft (no category, unit or phone yet) opens in the form; any other in its checklist."""
        req = self.requests.get(ref)
        if req is not None and req.is_open and not (req.category and req.unit and req.phone):
            self.push_screen(IntakeScreen(ref, req))
        else:
            self.push_screen(RequestScreen(ref))

    def edit_request(self, ref: str, request: Request | None = None) -> None:
        """The intake form in place of the page on top (the request page's `i`)."""
        self.switch_screen(IntakeScreen(ref, request))

    def show_checklist(self, ref: str) -> None:
        """The request's checklist in place of the page on top (the form's ctrl+s)."""
        self.switch_screen(RequestScreen(ref))

    def action_help(self) -> None:
        from liyuan_tui.screens.dialogs import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_search(self) -> None:
        from liyuan_tui.screens.dialogs import SearchScreen

        def chosen(ref: str | None) -> None:
            if ref:
                self.open_request(ref)

        self.push_screen(SearchScreen(), chosen)

    def action_handover(self) -> None:
        from liyuan_tui.screens.pages.handover import HandoverScreen

        self.push_screen(HandoverScreen())

    def action_month_report(self) -> None:
        from liyuan_tui.screens.pages.report import ReportScreen

        self.push_screen(ReportScreen())

    def action_work_orders(self) -> None:
        """`w`: the work orders still open (all, mine, late)."""
        from liyuan_tui.screens.pages.orders import OrdersScreen

        if not isinstance(self.screen, OrdersScreen):
            self.push_screen(OrdersScreen())

    def open_order(self, number: str) -> None:
        from liyuan_tui.screens.pages.order import OrderScreen

        self.push_screen(OrderScreen(number))

    def action_stock(self) -> None:
        """The materials ledger (from the command palette)."""
        from liyuan_tui.screens.pages.stock import StockScreen

        self.push_screen(StockScreen())

    def action_tools(self) -> None:
        """The tool register (from the command palette)."""
        from liyuan_tui.screens.pages.tools import ToolsScreen

        self.push_screen(ToolsScreen())

    def action_followups(self) -> None:
        """`v`: the follow-up calls owed, the most overdue first."""
        from liyuan_tui.screens.pages.followups import FollowupsScreen

        if not isinstance(self.screen, FollowupsScreen):
            self.push_screen(FollowupsScreen())

    def open_household(self, unit: str) -> None:
        """A unit's household file (from the request page, the follow-ups, the palette)."""
        from liyuan_tui.screens.pages.household import HouseholdScreen

        self.push_screen(HouseholdScreen(unit))

    def action_find_household(self) -> None:
        """The palette's "household file": asks which unit."""
        from liyuan_tui.domain import validation as check
        from liyuan_tui.screens.dialogs import AskScreen

        def chosen(unit: str | None) -> None:
            if unit:
                self.open_household(unit)

        ask = AskScreen(
            self.t("ui.household.ask_title"),
            self.t("ui.household.ask_unit"),
            check=lambda v: check.plain(check.unit(v), "unit"),
        )
        self.push_screen(ask, chosen)

    def action_reception(self) -> None:
        """`j`: the reception log (来访接待)."""
        from liyuan_tui.screens.pages.reception import ReceptionScreen

        if not isinstance(self.screen, ReceptionScreen):
            self.push_screen(ReceptionScreen())

    def action_scorecard(self) -> None:
        from liyuan_tui.screens.pages.scorecard import ScorecardScreen

        self.push_screen(ScorecardScreen())

    def action_roster(self) -> None:
        """The duty roster (from the command palette): who a page reaches now, and the shifts."""
        from liyuan_tui.screens.pages.roster import RosterScreen

        if not isinstance(self.screen, RosterScreen):
            self.push_screen(RosterScreen())


def run_app(opened: OpenedStore, settings: Settings, clock: Clock) -> int:
    """Open the desk in this terminal; returns the exit code."""
    app = LiyuanApp(opened, settings, clock)
    app.poller.look_first()  # (before the event loop runs: its first frame lists the requests)
    app.run()
    return app.return_code or 0

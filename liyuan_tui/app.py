"""LiyuanApp: wires the store, the clock and the screens; ticks the countdowns once a second and
watches the database for other terminals' changes in a thread. No database I/O on the event loop:
every store call runs in a thread worker and comes back as a message."""

from __future__ import annotations

import threading
from functools import partial
from typing import Any, Callable, Iterable

from textual import on, work
from textual.app import App, SystemCommand
from textual.screen import Screen

from .clock import Clock
from .config import Settings
from .deadlines import Urgency, urgency
from .errors import DeskError
from .i18n import Translator
from .models import Request, Staff
from .notices import Notice, notices_for
from .permissions import SECURITY_ROLES
from .procedures import Step
from .views import waiting_steps
from .widgets.keys import APP_KEYS, bindings, key_label, translate_bindings
from .widgets.messages import RequestsChanged, StoreDone, StoreRefused


class LiyuanApp(App):
    CSS_PATH = "app.tcss"
    BINDINGS = bindings(APP_KEYS)

    def __init__(self, opened, settings: Settings, clock: Clock, *, tick_interval: float | None = 1.0,
                 poll_interval: float = 1.0) -> None:
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
        self.requests: dict[str, Request] = {}  # the open requests, by ref, as last read
        self.security: dict[str, list[Step]] = {}  # ref → security steps waiting (security roles only)
        self.staff: dict[str, Staff] = {opened.me.login: opened.me}
        self.synced_event_id = -1  # the newest event the screens have been told about
        self._urgency: dict[str, Urgency] = {}
        self._poke = threading.Event()
        self._stopping = threading.Event()
        translate_bindings(self, self.t)
        self.title = self.t("ui.app.title")
        self.sub_title = self.t("ui.app.who", name=self.me.name, role=self.t(f"role.{self.me.role}"))

    # --- start and stop ---------------------------------------------------------------------------

    def on_mount(self) -> None:
        from .screens.queue import QueueScreen

        self.queue = QueueScreen()
        self.push_screen(self.queue)
        if self.tick_interval:
            self.set_interval(self.tick_interval, self.tick)
        self.watch_changes()
        if self.first_user:
            self.notify(self.t("ui.app.first_user", login=self.me.login), timeout=10)

    def on_unmount(self) -> None:
        self._stopping.set()
        self._poke.set()

    # --- other terminals' changes -----------------------------------------------------------------

    @work(thread=True, exclusive=True, group="poll", exit_on_error=False)
    def watch_changes(self) -> None:
        """Poll one indexed query (the newest event id); read the open requests only when it moved.
        Each look also records the deadline ladder's rungs that are due (once for all terminals)."""
        seen: int | None = None
        while not self._stopping.is_set():
            try:
                self.store.record_deadline_alerts()
                newest = self.store.last_event_id()
                if newest != seen:
                    self.post_message(self._read_changes(seen, newest))
                    seen = newest
            except Exception as exc:  # a locked or vanished file: say so, keep watching
                self.call_from_thread(self.notify, str(exc), severity="error")
            self._poke.wait(self.poll_interval)
            self._poke.clear()

    def _read_changes(self, seen: int | None, newest: int) -> RequestsChanged:
        """In the poller's thread: what changed, what this user must be told, what security waits on."""
        changes = self.store.changes_since(seen) if seen is not None else []
        changes = [(e, r) for e, r in changes if e.id <= newest]  # later ones come with the next look
        events = [e for e, _ in changes]
        requests = self.store.open_requests()
        staff = self.store.list_staff() if seen is None or any(e.kind.startswith("staff") for e in events) else None
        security = None
        if self.me.role in SECURITY_ROLES:
            done = self.store.open_step_keys()
            security = {r.ref: steps for r in requests
                        if (steps := waiting_steps(r, done.get(r.id or 0, ()), self.procedures, SECURITY_ROLES))}
        notices = notices_for(changes, self.me, self.procedures)
        return RequestsChanged(requests, events, newest, seen is None, staff, notices, security)

    def poll_now(self) -> None:
        """Look for changes at once (after our own writes; tests)."""
        self._poke.set()

    def on_requests_changed(self, msg: RequestsChanged) -> None:
        if msg.staff is not None:
            self.staff = {s.login: s for s in msg.staff}
        if msg.first:
            # Everything built so far (the libraries, the screens) lives as long as the desk: keep
            # it out of the garbage collector's full passes, which otherwise cost more than a tick.
            import gc

            gc.freeze()
        self.requests = {r.ref: r for r in msg.requests}
        now = self.clock.now()
        self._urgency = {ref: self._urgency.get(ref) or urgency(req, now) for ref, req in self.requests.items()}
        self.security = msg.security
        if not msg.first:
            self._announce(msg.notices)
        self.synced_event_id = msg.last_event_id
        for screen in self.screen_stack:
            handler = getattr(screen, "requests_changed", None)
            if handler is not None:
                handler(msg.events)

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

    def alert(self, message: str, severity: str = "information") -> None:
        self.notify(message, severity=severity, timeout=8)  # type: ignore[arg-type]
        self.bell()

    # --- the clock --------------------------------------------------------------------------------

    def tick(self) -> None:
        """Once a second: countdowns from the deadline and the clock (never a counter)."""
        now = self.clock.now()
        # The deadline's warnings come from the ladder's events (recorded once for all terminals,
        # see ladder.py); a tick whose clock crossed a rung just asks the poller to look now.
        for ref, req in self.requests.items():
            state = urgency(req, now)
            if self._urgency.get(ref) not in (None, state):
                self._poke.set()
            self._urgency[ref] = state
        for screen in self.screen_stack:
            handler = getattr(screen, "tick", None)
            if handler is not None:
                handler(now)

    # --- store calls off the event loop ----------------------------------------------------------

    def store_call(self, fn: Callable[..., Any], *args: Any, then: Callable[[Any], None] | None = None,
                   refused: Callable[[DeskError], None] | None = None, **kwargs: Any) -> None:
        """Run `fn(*args, **kwargs)` (a Store method) in a thread worker; its result comes back to
        `then`, a refusal to `refused` (else a notification), on the UI thread."""
        self.run_worker(partial(self._call_in_thread, fn, args, kwargs, then, refused),
                        thread=True, group="db", exit_on_error=False)

    def _call_in_thread(self, fn, args, kwargs, then, refused) -> None:
        from sqlalchemy.exc import DBAPIError

        try:
            result = fn(*args, **kwargs)
        except DeskError as exc:
            self.post_message(StoreRefused(exc, refused))
            return
        except DBAPIError as exc:
            reason = str(exc.orig) if getattr(exc, "orig", None) else str(exc)
            self.post_message(StoreRefused(DeskError("error.database", path=self.settings.db_url, reason=reason), refused))
            return
        self._poke.set()  # our own change: the queue follows at once
        self.post_message(StoreDone(result, then))

    @on(StoreDone)
    def _store_done(self, msg: StoreDone) -> None:
        if msg.then is not None:
            msg.then(msg.result)

    @on(StoreRefused)
    def _store_refused(self, msg: StoreRefused) -> None:
        if msg.refused is not None:
            msg.refused(msg.error)
        else:
            self.show_error(msg.error)

    def show_error(self, error: DeskError) -> None:
        self.notify(error.message(self.t), severity="error", timeout=8)

    # --- actions ---------------------------------------------------------------------------------

    def action_new_request(self) -> None:
        """The request exists from this moment: the clock runs from the call, not the form."""
        from .screens.intake import IntakeScreen

        def opened(req: Request) -> None:
            self.requests[req.ref] = req
            self.push_screen(IntakeScreen(req.ref))

        self.store_call(self.store.create_request, then=opened)

    def open_request(self, ref: str) -> None:
        """A draft (no category, unit or phone yet) opens in the form; any other in its checklist."""
        from .screens.intake import IntakeScreen
        from .screens.request import RequestScreen

        req = self.requests.get(ref)
        if req is not None and req.is_open and not (req.category and req.unit and req.phone):
            self.push_screen(IntakeScreen(ref))
        else:
            self.push_screen(RequestScreen(ref))

    def action_help(self) -> None:
        from .screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_search(self) -> None:
        from .screens.dialogs import SearchScreen

        def chosen(ref: str | None) -> None:
            if ref:
                self.open_request(ref)

        self.push_screen(SearchScreen(), chosen)

    def action_handover(self) -> None:
        self._optional_screen("liyuan_tui.screens.handover", "HandoverScreen")

    def action_month_report(self) -> None:
        self._optional_screen("liyuan_tui.screens.report", "ReportScreen")

    def _optional_screen(self, module: str, name: str) -> None:
        """Screens other parts of the desk provide; until they exist, say so rather than fail."""
        import importlib

        try:
            screen_class = getattr(importlib.import_module(module), name)
        except (ImportError, AttributeError):
            self.notify(self.t("ui.app.not_yet"), severity="warning")
            return
        self.push_screen(screen_class())

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Every key's action is in the command palette too, in the user's language."""
        t = self.t
        for node, table in ((screen, getattr(screen, "KEYS", ())), (self, APP_KEYS)):
            for keys, action, _show in table:
                if node.check_action(action, ()) is not False:
                    yield SystemCommand(t(f"ui.key.{action}"), key_label(keys), partial(node.run_action, action))
        for name, help_text, callback, *_ in super().get_system_commands(screen):
            if name != "Quit" and "Keys" not in name:
                yield SystemCommand(name, help_text, callback)


def run_app(opened, settings: Settings, clock: Clock) -> int:
    """Open the desk in this terminal; returns the exit code."""
    app = LiyuanApp(opened, settings, clock)
    app.run()
    return app.return_code or 0

"""The pager's sender: `liyuan pager run` (a long-running service) and `liyuan pager run --once`
(one pass, for cron). It holds the one lease, says it is alive every ten seconds, pages the next
rung of every page nobody acknowledged in time, and delivers every page due — each attempt on
record before it is made, its outcome after, a failure tried again with back-off. It wakes at once
on a new event (PostgreSQL's LISTEN/NOTIFY) or looks twice a second (SQLite), and re-reads its
config file when it changes."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import TextIO

from liyuan_tui.domain.clock import stopwatch
from liyuan_tui.domain.i18n import Translator
from liyuan_tui.domain.pager import HEARTBEAT_EVERY
from liyuan_tui.domain.pager_config import PagerConfig, read_pager_config
from liyuan_tui.domain.safe_text import visible
from liyuan_tui.reports.page_text import page_text
from liyuan_tui.store import Store
from liyuan_tui.store.pager_sending import LeaseLost, new_holder

from .pager_channels import Outcome, deliver

SQLITE_LOOK = 0.5  # seconds between looks on SQLite (PostgreSQL is woken by NOTIFY)
LONGEST_WAIT = 5.0  # seconds: a wait never outlasts this (heartbeats, the clock of retries)
TAKEN_RETRY = 5.0  # seconds between tries for a lease another sender holds
Deliver = Callable[[list[str], object, str, set[int]], Outcome]


class Sender:
    def __init__(
        self,
        store: Store,
        config_path: Path,
        *,
        t: Translator,
        log: TextIO,
        deliver_page: Deliver = deliver,  # type: ignore[assignment]
    ) -> None:
        self.store = store
        self.pager = store.pager
        self.config_path = config_path
        self.t = t
        self.log = log
        self.deliver_page = deliver_page
        self.holder = new_holder()
        self.config = PagerConfig(config_path)
        self._config_stamp: tuple[float, int] | None = None
        self.sent = self.failed = 0

    def say(self, text: str) -> None:
        print(visible(text), file=self.log, flush=True)

    def load_config(self) -> PagerConfig:
        """Read the config again if the file changed since the last look."""
        try:
            st = self.config_path.stat()
            stamp = (st.st_mtime, st.st_size)
        except OSError:
            stamp = None
        if stamp != self._config_stamp or stamp is None:
            self._config_stamp = stamp
            self.config = read_pager_config(self.config_path)
            for problem in self.config.problems:
                self.say(self.t(problem.key, **problem.params))
        return self.config

    def warm_up(self) -> None:
        """Load Apprise and the plugins of every contact now, not on the first page: the first
        major case of the night must not wait seconds for imports."""
        from .pager_channels import understood

        for urls in self.load_config().contacts.values():
            for url in urls:
                understood(url)

    # --- running ------------------------------------------------------------------------------------

    def run(self, stop: threading.Event, *, once: bool = False) -> int:
        """Deliver until `stop` is set (or one pass with `once`). Returns the exit code."""
        try:
            self.warm_up()
            if not self._take_lease(stop, once):
                return 0
            self.pager.sending.recover(self.holder)
            watch = self.store.change_watch()
            beat = stopwatch()
            while not stop.is_set():
                try:
                    wait = self.one_pass()
                except LeaseLost as lost:
                    self.say(self.t("cli.pager.lease_lost", holder=lost.args[0] or "-"))
                    if once or not self._take_lease(stop, once):
                        return 0
                    continue
                except Exception as exc:  # the database went away …: say so, keep the service up
                    self.say(self.t("cli.pager.trouble", reason=" ".join(str(exc).split())[:300]))
                    stop.wait(TAKEN_RETRY)
                    continue
                if once:
                    break
                if stopwatch() - beat >= HEARTBEAT_EVERY.total_seconds():
                    beat = stopwatch()
                    if not self.pager.sending.heartbeat(self.holder):
                        self.say(self.t("cli.pager.lease_lost", holder="-"))
                        if not self._take_lease(stop, once):
                            return 0
                limit = SQLITE_LOOK if self.store.sqlite else LONGEST_WAIT
                try:
                    watch.wait(max(0.0, min(limit, wait)), stop)
                except Exception as exc:  # the LISTEN connection broke: look again after a while
                    self.say(self.t("cli.pager.trouble", reason=" ".join(str(exc).split())[:300]))
                    watch.close()
                    stop.wait(SQLITE_LOOK)
            watch.close()
            return 0
        finally:
            with contextlib.suppress(Exception):  # stopping anyway: the lease expires by itself
                self.pager.sending.release(self.holder)

    def _take_lease(self, stop: threading.Event, once: bool) -> bool:
        said = False
        while not stop.is_set():
            holder = self.pager.sending.take_lease(self.holder)
            if holder is None:
                self.say(self.t("cli.pager.started", holder=self.holder))
                return True
            if once or not said:
                self.say(self.t("cli.pager.taken", holder=holder))
                said = True
            if once:
                return False
            stop.wait(TAKEN_RETRY)
        return False

    def one_pass(self) -> float:
        """Climb the rungs that are due, deliver the pages due; returns seconds until the next
        thing falls due (at most LONGEST_WAIT)."""
        config = self.load_config()
        limit = timedelta(minutes=config.ack_minutes)
        next_rung = self.pager.climbing.climb(limit, self.holder)
        for page_id in self.pager.sending.due():
            self.deliver_one(page_id, config)
        now = self.store.clock.now()
        soonest = [at for at in (next_rung, self.pager.sending.next_due()) if at is not None]
        if not soonest:
            return LONGEST_WAIT
        return min(LONGEST_WAIT, max(0.0, (min(soonest) - now).total_seconds()))

    def deliver_one(self, page_id: int, config: PagerConfig) -> None:
        sending = self.pager.sending
        attempt = sending.start_attempt(page_id, self.holder)
        if attempt is None:
            return
        page = attempt.page
        urls = config.urls(page.login)
        if not urls:
            outcome = Outcome(failed=["-"], said=[self.t("cli.pager.no_contact", login=page.login)])
        else:
            text = page_text(
                page,
                attempt.request,
                attempt.receiver,
                t=self.t,
                procedures=self.store.procedures,
                tz=self.store.tz,
                now=self.store.clock.now(),
            )
            already = {int(n) for n in page.delivered.split(",") if n}
            outcome = self.deliver_page(urls, text, page.key, already)
        done = sending.finish_attempt(
            page_id, outcome.delivered, outcome.failed, outcome.reached, config.max_attempts
        )
        what = page.ref or self.t("pager.reason.test")
        if done.sent_at is not None and outcome.delivered:
            self.sent += 1
            self.say(
                self.t(
                    "cli.pager.sent",
                    page=page.id,
                    ref=what,
                    login=page.login,
                    channels=", ".join(outcome.reached),
                )
            )
        for said in outcome.said:
            self.failed += 1
            self.say(self.t("cli.pager.failed", page=page.id, ref=what, login=page.login, reason=said))

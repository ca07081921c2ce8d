"""The sender is a real `liyuan pager run` process, killed with SIGKILL in the middle of a delivery
(the receiver has the page, the sender has not heard back), then started again: every page is
delivered, and after the receiver sets aside what it saw twice by the idempotency key, nobody has
it twice for the same request and reason. The page caught mid-delivery shows its two attempts on
the request's timeline."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from collections import Counter

import pytest
from pager_receivers import WebReceiver
from sqlmodel import select

from liyuan_tui.domain.clock import SystemClock
from liyuan_tui.domain.paging import Page
from liyuan_tui.store import Store

WAIT = 60.0  # seconds at most for any step of this test


def sender(env) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "liyuan_tui.cli", "pager", "run"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_until(condition, what: str, timeout: float = WAIT) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {timeout} s")
        time.sleep(0.02)


def all_pages(store) -> list[Page]:
    with store.kernel.read() as s:
        return list(s.exec(select(Page).order_by(Page.id)))


@pytest.mark.e2e
def test_a_sender_killed_mid_delivery_and_started_again_delivers_every_page_once_per_person_and_reason(
    staff, cli_env, db_url, procedures, pager_config
):
    hook = WebReceiver(delay=1.0).up()  # holds each answer a second: time to kill the sender
    desk = Store(db_url, SystemClock(), "ann", procedures=procedures, tz="Asia/Shanghai")
    first = second = None
    try:
        pager_config({login: [hook.url(login)] for login in ("sup", "mgr")})
        refs = [
            desk.intake.create_request(
                category="A", unit=f"3-{n}", phone="139", complete=True, major=True
            ).ref
            for n in range(3)
        ]
        pages = all_pages(desk)
        assert len(pages) == 6  # no roster: each major case pages every supervisor and the manager
        first = sender(cli_env)
        wait_until(lambda: hook.all(), "the first page reaching the receiver")
        first.send_signal(signal.SIGKILL)  # mid-delivery: the receiver has it, the sender no answer
        first.wait(WAIT)
        caught = hook.all()[0].key
        [in_flight] = [p for p in all_pages(desk) if p.key == caught]
        assert (in_flight.status, in_flight.attempts, in_flight.sent_at) == ("queued", 1, None)
        assert in_flight.sending_since is not None

        second = sender(cli_env)  # a new sender takes over at once (the old one's process is gone)
        wait_until(lambda: all(p.status == "sent" for p in all_pages(desk)), "every page sent")
        second.send_signal(signal.SIGTERM)
        assert second.wait(WAIT) == 0

        arrived = hook.all()
        keys = {p.key for p in all_pages(desk)}
        assert {m.key for m in arrived} == keys  # every page delivered
        assert Counter(m.key for m in arrived)[caught] == 2  # at least once: the caught one twice
        assert max(Counter(m.key for m in arrived).values()) == 2
        seen_once = {m.key: m for m in arrived}  # the receiver sets repeats aside by their key
        # (ref, person, reason): the ref ends the title, the reason is in the key (liyuan:major:…)
        per_reason = Counter((m.title.split()[-1], m.to, m.key.split(":")[1]) for m in seen_once.values())
        assert len(per_reason) == 6 and set(per_reason.values()) == {1}
        assert {ref for ref, _, _ in per_reason} == set(refs)

        caught_page = next(p for p in all_pages(desk) if p.key == caught)
        assert caught_page.attempts == 2
        timeline = [e for e in desk.lookup.detail(caught_page.ref).events if e.kind.startswith("page_")]
        mine = [
            (e.kind, json.loads(e.payload)["attempt"])
            for e in timeline
            if json.loads(e.payload)["page"] == caught_page.id
        ]
        assert mine == [("page_attempt", 1), ("page_attempt", 2), ("page_sent", 2)]
    finally:
        for proc in (first, second):
            if proc is not None and proc.poll() is None:
                proc.kill()
                proc.wait(WAIT)
        hook.down()
        desk.close()

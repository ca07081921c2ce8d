"""The desk's first frame: the real `liyuan` in a pseudo-terminal draws its queue from what is cheap
to read before the rest of the desk is loaded (widgets/first_frame.py), the same requests in the
order the live queue lists them, on the alternate screen it gives back to the live desk; a refusal
said after it is said on the normal screen; a desk it cannot read for is opened as before."""

from __future__ import annotations

import re
import sqlite3
import time

import pytest
from pty_app import PtyApp

from liyuan_tui.domain.views import ordered
from liyuan_tui.widgets.first_frame import ENTER, LEAVE

pytestmark = pytest.mark.e2e  # real processes in a real terminal

LIVE = "\x1b[?1049h"  # Textual takes the terminal
REF = re.compile(r"\d{6}-\d{4}")


def wait_until(term: PtyApp, text: str, after: int = 0, timeout: float = 60.0) -> int:
    """Where `text` first is in what the desk wrote after byte `after`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        at = term.output.find(text.encode(), after)
        if at >= 0:
            return at
        if term.proc.poll() is not None:
            break
        time.sleep(0.01)
    raise AssertionError(f"{text!r} never came; the desk wrote:\n{term.text()[-1500:]}")


@pytest.fixture
def queue(staff, clock, procedures):
    """Twelve open requests of several kinds: a major case, a replied one, an escalated one."""
    desk, sup = staff["assistant"], staff["cs_supervisor"]
    refs = [
        desk.intake.create_request(category=cat, unit=f"FRAME{i}", phone="13900000000", complete=True).ref
        for i, cat in enumerate(["repair", "medical", "complaint", "repair"] * 3)
    ]
    sup.lifecycle.set_major(refs[5])
    desk.lifecycle.mark_replied(refs[2])
    desk.lifecycle.escalate(refs[7], note="x")
    return refs


def test_the_first_frame_is_the_queue_the_live_desk_then_shows(cli_env, db_path, queue, desk):
    term = PtyApp(["--db", str(db_path), "--user", "ann"], cli_env, size=(120, 40))
    try:
        start = wait_until(term, ENTER)
        live = wait_until(term, LIVE, start)
        first = term.output[start:live].decode()
        assert first.index(LEAVE) > 0  # given back just before the live desk takes it
        me = desk.identity()
        expected = [r.ref for r in ordered(desk.lookup.open_requests(me.estate), me, desk.clock.now())]
        assert REF.findall(first) == expected
        assert "FRAME5" in first and "Open 12" in first
        wait_until(term, "FRAME", live)  # and the live queue shows them
    finally:
        term.kill()


def test_a_refusal_after_the_first_frame_is_said_on_the_normal_screen(cli_env, db_path, queue):
    with sqlite3.connect(db_path) as conn:  # a database made by a newer release
        conn.execute("UPDATE alembic_version SET version_num = 'from_the_future'")
    term = PtyApp(["--db", str(db_path), "--user", "ann"], cli_env, size=(120, 40))
    try:
        start = wait_until(term, ENTER)
        back = wait_until(term, LEAVE, start)
        assert term.proc.wait(60) == 2
        said = term.output[back:].decode()
        assert "liyuan" in said and LIVE not in said  # the refusal's line, after the terminal came back
    finally:
        term.kill()


def test_no_first_frame_for_a_login_it_cannot_find(cli_env, db_path, queue):
    term = PtyApp(["--db", str(db_path), "--user", "nobody-here"], cli_env, size=(120, 40))
    try:
        assert term.proc.wait(60) == 2  # refused by the store, as always
        assert ENTER not in term.text()
    finally:
        term.kill()


def test_what_people_typed_reaches_the_first_frame_as_text_never_as_escapes(db_path, queue, settings, clock):
    from liyuan_tui.first_look import first_look
    from liyuan_tui.widgets.first_frame import ansi, frame

    with sqlite3.connect(db_path) as conn:  # an old database's rows, from before input was checked
        conn.execute("UPDATE request SET unit = 'B5\x1b[2J\x1b]0;owned\x07', requester_name = '[b]x[/b]'")
        conn.execute("UPDATE staff SET name = 'Ann\x1b[31m' WHERE login = 'ann'")
    look = first_look(db_path, "ann")
    assert look is not None
    drawn = ansi(frame(look, settings, clock.now(), 120, 40), 120)
    assert "\x1b[2J" not in drawn and "\x1b]0;" not in drawn and "\x07" not in drawn
    assert "\x1b[31mAnn" not in drawn and "Ann\x1b[31m" not in drawn
    assert "[b]x[/b]" in drawn  # shown as typed, never read as markup

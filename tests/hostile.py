"""The hostile-text corpus the test_hostile_text* files share — Rich/Textual markup and click
actions, spreadsheet formulas, Markdown and HTML, control characters, very long text — with the
requests that carry it (`hostile`), the command line run on them (`cli`) and the desk on them
(`desk_app`, `assert_shows`)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from cli_runner import run_liyuan

MARKUP = [
    "[/bold]",
    "[/x]",
    "[link=file:///etc/passwd]a[/]",
    "[@click=app.quit]x[/]",
    "[@click=app.new_request]x[/]",
    "[b]loud[/b]",
]
FORMULAS = [
    '=HYPERLINK("http://evil.example/","x")',
    "=cmd|' /C calc'!A0",
    "+1+1",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
]
MARKDOWN = ["<img src=x onerror=alert(1)>", "[a](javascript:alert(1))", "| a | b |", "**bold** `code`"]
ACCEPTED = MARKUP + FORMULAS + MARKDOWN  # allowed in: shown exactly as typed, never acting
CONTROLS = [
    "\x1b]0;title\x07",
    "\x1b[2J",
    "a\x00b",
    "a\rb",
    "\x07",
    "\x9b31m",
    "\u202eevil",
    "\x7f",
    "\udcff",
]  # refused in (the last: a byte that was not UTF-8, as Python carries it)
LONG = "长" * 5000
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def raw_controls(text: str) -> list[str]:
    """Control characters in `text` other than newline and tab (and a CSV's CRLF line ends)."""
    return RAW_CONTROL.findall(text.replace("\r\n", "\n"))


@pytest.fixture
def hostile(staff, clock, tmp_path):
    """Requests and staff carrying every accepted hostile string, in every field that is shown."""
    desk, sup, mgr = staff["assistant"], staff["cs_supervisor"], staff["manager"]
    sup.staff.add_staff("evil", "[@click=app.quit]x[/]", "assistant")
    refs = []
    for i, text in enumerate(ACCEPTED):
        req = desk.intake.create_request(
            category="B",
            unit=text[:64],
            phone=f"1380000{i:04d}",
            requester_name=text[:40],
            description=text + "\n" + text,
            complete=True,
            received_at=clock.now() - timedelta(minutes=30 + i),
        )
        refs.append(req.ref)
    # The formulas' requests closed, handed on, major, with notes and values: the report's lists and
    # the timeline carry them too. The markup's stay open: the queue shows them.
    for ref, text in zip(refs[len(MARKUP) :], FORMULAS, strict=False):
        desk.lifecycle.mark_replied(ref)
        desk.lifecycle.tick_step(ref, "fault", value=text, note=text)
        desk.lifecycle.tick_step(ref, "dispatch", value=text)
        desk.lifecycle.set_major(ref)
        desk.lifecycle.escalate(ref, note=text)
        desk.lifecycle.tick_step(ref, "manager_informed", value=text, note=text)
        desk.lifecycle.tick_step(ref, "record")
        desk.lifecycle.tick_step(
            ref, "resident_informed", value=text
        )  # what was heard back (never pass the buck)
        mgr.lifecycle.close_request(ref, text, handed_to=text[:40])
    return refs


def cli(env, *args, user="sup"):
    return run_liyuan(dict(env, LIYUAN_USER=user), *args)


FEES = """
title = { zh = "[/bold]收费", en = "[@click=app.quit]x[/] fees" }
[[items]]
code = "evil"
zh = "[/bold]疏通"
en = "[@click=app.quit]x[/]"
unit = { zh = "[/x]", en = "[/x]" }
price = 50
"""


def screen_lines(app) -> list[str]:
    """What the terminal shows now, line by line (every segment the screen would send)."""
    return ["".join(seg.text for seg in strip) for strip in app.screen._compositor.render_strips()]


def assert_shows(app, *texts: str) -> str:
    lines = screen_lines(app)
    whole = "\n".join(lines)
    assert not raw_controls(whole), raw_controls(whole)
    for text in texts:
        assert text in whole, (text, whole)
    assert app.is_running and app.return_code is None  # nothing quit the desk
    return whole


@pytest.fixture
def desk_app(staff, db_url, clock, procedures, tmp_path):
    """make(login) → the desk app on the test database, with a site fee file of hostile names."""
    from liyuan_tui.app import LiyuanApp
    from liyuan_tui.domain.config import Settings
    from liyuan_tui.store.opening import open_store

    fees = tmp_path / "fees.toml"
    fees.write_text(FEES, encoding="utf-8")
    apps = []

    def make(login: str, lang: str = "en") -> LiyuanApp:
        settings = Settings(
            db_url=db_url, lang=lang, tz_name="Asia/Shanghai", login=login, os_login=login, fees_file=fees
        )
        # The looks for others' changes are the test's (settle): the poller thread's coalescing gap
        # (widgets/poller.py LOOK_GAP) would have a change arrive after the test had looked.
        app = LiyuanApp(
            open_store(settings, clock, procedures), settings, clock, tick_interval=None, poll_interval=None
        )
        apps.append(app)
        return app

    yield make
    for app in apps:
        app.store.close()

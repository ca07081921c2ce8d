"""Fixtures for the desk app: an app factory on the test database with a FakeClock and no clock of
its own (the test ticks it and asks for the poller's looks: ui_helpers.settle), and steady
snapshots (no cursor blink)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from textual.widgets import Input, TextArea

from liyuan_tui.app import LiyuanApp
from liyuan_tui.domain.config import Settings
from liyuan_tui.store.opening import open_store


@pytest.fixture(autouse=True)
def _no_cursor_blink(monkeypatch):
    """A blinking cursor makes snapshots differ from run to run (a one-line field's and a text
    area's: a snapshot taken half a second after the dialog opened had the area's cursor off)."""
    for widget in (Input, TextArea):
        monkeypatch.setattr(widget, "_on_mount", steady(widget._on_mount))


def steady(mount):
    def mounted(self, event):
        self.cursor_blink = False
        return mount(self, event)

    return mounted


@pytest.fixture
def settings(db_url) -> Settings:
    return Settings(db_url=db_url, lang="zh", tz_name="Asia/Shanghai", login="ann", os_login="ann")


@pytest.fixture
def make_app(staff, settings, clock, procedures):
    """make_app(login="ann", lang="zh") → a LiyuanApp on the test database. Ticks are driven by the
    test (`app.tick()`), and so are the poller's looks (`settle()` runs one when it wants the
    changes); `poll_interval=…` runs the real poller thread (the tests of its latency)."""
    apps: list[LiyuanApp] = []

    def make(login: str = "ann", lang: str = "zh", **kwargs) -> LiyuanApp:
        mine = replace(settings, login=login, os_login=login, lang=lang)
        opened = open_store(mine, clock, procedures)
        kwargs.setdefault("tick_interval", None)
        kwargs.setdefault("poll_interval", None)
        app = LiyuanApp(opened, mine, clock, **kwargs)
        apps.append(app)
        return app

    yield make
    for app in apps:
        app.store.close()

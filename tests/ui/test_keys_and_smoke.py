"""Every key is in the help screen and the command palette; and the real program in tmux."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
import uuid

import pytest
from screens_import import HelpScreen
from ui_helpers import settle

from liyuan_tui.domain.i18n import Translator
from liyuan_tui.widgets.keys import OTHER_KEYS, SCOPES


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_help_lists_every_key(make_app, lang):
    t = Translator(lang)
    app = make_app("ann", lang=lang)
    async with app.run_test(size=(120, 60)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        for _scope, keys in SCOPES:
            for _key, action, _show in keys:
                assert not t(f"ui.key.{action}").startswith("ui.key."), action
        text = app.screen.help_text()
        for _scope, keys in SCOPES:
            for _key, action, _show in keys:
                assert t(f"ui.key.{action}") in text
        for _key, name in OTHER_KEYS:
            assert t(f"ui.key.{name}") in text
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_every_queue_action_is_in_the_command_palette(make_app):
    t = Translator("en")
    app = make_app("ann", lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        titles = {c.title for c in app.get_system_commands(app.screen)}
        for action in (
            "new_request",
            "search",
            "help",
            "quit",
            "open",
            "replied",
            "escalate",
            "major",
            "close",
            "filter",
            "handover",
            "month_report",
        ):
            assert t(f"ui.key.{action}") in titles, action


async def test_the_palette_runs_an_action(make_app, desk):
    app = make_app("ann", lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"New request")
        await settle(pilot)  # the palette searches as it is typed (in its workers)
        await pilot.press("enter")
        await settle(pilot)
        assert len(desk.lookup.open_requests()) == 1


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_the_desk_in_a_real_terminal_starts_renders_the_queue_and_quits_on_q(desk, cli_env, tmp_path):
    ref = desk.intake.create_request(
        category="repair", unit="B5-0803", phone="13911110803", complete=True
    ).ref
    socket = f"liyuan-test-{uuid.uuid4().hex[:8]}"
    env_args = [f"{k}={v}" for k, v in cli_env.items() if k.startswith(("LIYUAN_", "XDG_", "PATH", "HOME"))]
    done = tmp_path / "exit-code"
    command = " ".join(
        [
            "env",
            "-u",
            "COLUMNS",
            "-u",
            "LINES",
            *(f"'{a}'" for a in env_args),
            "TERM=xterm-256color",
            sys.executable,
            "-m",
            "liyuan_tui.cli",
            "--user",
            "ann",
            "--lang",
            "en",
            ";",
            "echo",
            "$?",
            ">",
            str(done),
            ";",
            "sleep",
            "30",
        ]
    )

    def tmux(*args: str) -> str:
        return subprocess.run(
            ["tmux", "-L", socket, *args], capture_output=True, text=True, timeout=30
        ).stdout

    tmux("new-session", "-d", "-x", "120", "-y", "40", command)
    try:
        deadline = time.monotonic() + 30
        screen = ""
        while time.monotonic() < deadline:
            screen = tmux("capture-pane", "-p")
            if ref in screen and "Liyuan duty desk" in screen and "Quit" in screen:
                break  # (the live desk's keys: its first frame is drawn before, without them)
            time.sleep(0.2)
        assert ref in screen and "B5-0803" in screen, screen
        assert "Quit" in screen
        tmux("send-keys", "q")
        while time.monotonic() < deadline and not done.exists():
            time.sleep(0.1)
        assert done.read_text().strip() == "0"
    finally:
        tmux("kill-server")

"""Snapshots of the month report and the shift handover in Chinese and English, on a fixed month
and night (FakeClock, fixed size): the top of the report, its charts, the refusal, the handover."""

from __future__ import annotations

import pytest
from report_data import build_month, build_night
from test_snapshots import SIZES
from ui_helpers import press_keys

# Each state: who looks, and the keys that reach it from the queue.
STATES = {
    "report": ("sup", ["ctrl+r"]),
    "report_charts": ("sup", ["ctrl+r", "settle", "pagedown"]),
    "report_refused": ("ann", ["ctrl+r"]),
    "handover": ("ann", ["h"]),
    "analysis_dialog": ("sup", ["ctrl+r", "settle", "a", *"夜班回复偏慢"]),
    "export_dialog": ("sup", ["ctrl+r", "settle", "x"]),
}


@pytest.fixture
def history(staff, clock):
    build_month(staff, clock)
    build_night(staff, clock)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("state", list(STATES))
def test_screen(snap_compare, make_app, history, state, size, lang):
    login, keys = STATES[state]

    async def run_before(pilot):
        await press_keys(pilot, keys)

    assert snap_compare(make_app(login, lang=lang), terminal_size=SIZES[size], run_before=run_before)

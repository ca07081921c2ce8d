"""Snapshots of issue 22's screens in Chinese and English at 80×24 and 120×40, on a fixed night: the
reply dialog with the canned answers found, a request with what was said, its incident and a paid
receipt, the handover screen with the duty log and a handover waiting for its receiver, and the
reception log."""

from __future__ import annotations

from datetime import timedelta

import pytest
from test_snapshots import SIZES
from ui_helpers import press_keys


@pytest.fixture
def night(staff, clock):
    """A flooded garage at 21:30 with a second call about it, a charge paid, the duty log, a
    handover to the manager not yet accepted, and two visitors."""
    desk = staff["assistant"]
    start = clock.now()
    clock.set(start - timedelta(minutes=30))
    first = desk.intake.create_request(
        category="other", unit="1栋地下车库", phone="13911110101", description="车库入口进水", complete=True
    ).ref
    desk.replies.reply(first, "已通知工程部抽水,十分钟内回电", answer="department-contacted")
    clock.set(start - timedelta(minutes=20))
    second = desk.intake.create_request(
        category="other", unit="1栋0102", phone="13911110102", description="楼下车库进水了", complete=True
    ).ref
    desk.incidents.link(second, first)
    desk.charges.add_charge(first, "drain")
    number = next(iter(desk.lookup.detail(first).receipts.values())).number
    desk.receipts.pay(number, "wechat")
    desk.intake.create_request(category="consultation", unit="6栋0601", phone="13911110601", complete=True)
    clock.set(start - timedelta(minutes=15))
    desk.shift.note("21:45 巡查地下车库,积水约 5 厘米,已放置警示牌")
    staff["guard"].shift.note("21:50 东门来访一人,已登记")
    desk.reception.add(name="王先生", purpose="询问装修手续", unit="3-1201", outcome="已解答")
    desk.reception.add(name="[@click=app.quit]李[/]", purpose="投诉噪音", ref=second)
    clock.set(start - timedelta(minutes=5))
    desk.shift.sign("mgr", since=start - timedelta(hours=4), sheet="{}", note="车库水浸待处理")
    clock.set(start)
    return first


# Each screen state and the keys that reach it from the queue ("settle" waits for the database).
STATES = {
    "request_incident": ("ann", ["enter"]),  # the flooded garage, first in the queue
    "reply_dialog": ("ann", ["down", "down", "enter", "settle", "r", "settle", "tab", "装", "修", "settle"]),
    "handover_pending": ("mgr", ["h"]),
    "reception": ("ann", ["j"]),
}


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("state", list(STATES))
def test_screen(snap_compare, make_app, night, state, size, lang):
    login, keys = STATES[state]

    async def run_before(pilot):
        await press_keys(pilot, keys)

    assert snap_compare(make_app(login, lang=lang), terminal_size=SIZES[size], run_before=run_before)

"""`liyuan queue` on an 80-column terminal with a long address fits as the desk's queue does: the
ref, the countdown, the state and the holder stay whole (once the ref shrank to `2026…` and the
others to nothing); an overdue time says days and hours, never `-7873:49`."""

from __future__ import annotations

import sys
from datetime import timedelta
from pathlib import Path

import pytest
from rich.cells import cell_len

from liyuan_tui.domain.clock import SystemClock
from liyuan_tui.domain.deadlines import format_countdown, seconds_left

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "ui"))
from pty_app import PtyApp

LONG_UNIT = "荔园小区东区十二栋二单元地下车库B2层设备间旁边的储物间"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_queue_fits_eighty_columns_with_a_long_address(staff, desk, clock, cli_env, lang):
    clock.set(SystemClock().now())  # the program below runs on the real clock
    old = desk.intake.create_request(
        category="repair",
        unit=LONG_UNIT,
        phone="13800000000",
        requester_name="欧阳先生",
        received_at=clock.now() - timedelta(days=5, hours=11, minutes=49),  # a written request, late
        complete=True,
    )
    desk.lifecycle.take(old.ref)
    fresh = desk.intake.create_request(category="complaint", unit="1栋101", phone="139", complete=True)
    said = {format_countdown(seconds_left(old, SystemClock().now()), lang, width=8)}
    app = PtyApp(["queue"], dict(cli_env, LIYUAN_USER="sup", LIYUAN_LANG=lang), size=(80, 24))
    try:
        app.proc.wait(60)
    finally:
        app.kill()
    said.add(format_countdown(seconds_left(old, SystemClock().now()), lang, width=8))
    assert said <= {"-5天11时", "-5d11h"}  # days and hours (its limit was 10 minutes)
    lines = [line for line in app.text().replace("\r", "").split("\n") if line.strip()]
    plain = [_plain(line) for line in lines]
    assert all(cell_len(line) <= 80 for line in plain), plain
    row = next(line for line in plain if old.ref in line)  # the ref whole
    assert any(x in row for x in said), (said, row)
    assert ("已超时" if lang == "zh" else "overdue") in row and "ANN" in row  # state and holder whole
    assert "…" in row  # the address cut with an ellipsis, not the columns after it
    assert any(fresh.ref in line for line in plain)


def _plain(line: str) -> str:
    import re

    return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", line)

"""The stock report (进消存报表) over a generated year of receipts, uses and stock-takes made
through the store, each month checked against the tests' own computation from the moves as they
were made: opening + in − used ± counted = closing for every item, every month, in quantity and
value (at the month-end price), in every format."""

from __future__ import annotations

import csv
import io
import json
import random
from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

import pytest
from cli_runner import run_liyuan

from liyuan_tui.domain.clock import FakeClock
from liyuan_tui.domain.errors import PermissionDenied, ValidationError
from liyuan_tui.domain.i18n import Translator
from liyuan_tui.reports.stock import render_stock, stock_report

SHANGHAI = ZoneInfo("Asia/Shanghai")
MATERIALS = (
    ("PIPE20", "PPR管 20mm", "米", "12.5"),
    ("TAPE", "生料带", "卷", "3"),
    ("VALVE", "角阀", "个", "28.8"),
    ("BULB", "LED灯泡", "个", "9.9"),
    ("WIRE", "电线 2.5", "米", "2.35"),
)


def qty(milli: int) -> str:
    return f"{milli // 1000}.{milli % 1000:03d}"


def yuan(value: str) -> int:
    return int(Decimal(value) * 100)


def value(milli: int, price: int) -> int:
    return int((Decimal(milli) * price / 1000).quantize(Decimal(1), rounding=ROUND_HALF_UP))


@pytest.fixture(scope="module")
def year(tmp_path_factory, procedures):
    """A year of the store room (2026): ~1,200 moves at random local times, including moves on the
    last second of a month and the first of the next, with prices changing as stock comes in."""
    from liyuan_tui.store import Store

    path = tmp_path_factory.mktemp("stock") / "desk.db"
    clock = FakeClock(datetime(2025, 12, 31, 12, 0, tzinfo=UTC))
    store = Store(f"sqlite:///{path}", clock, "sup", procedures=procedures, tz="Asia/Shanghai", create=True)
    store.staff.ensure_identity()
    moves: list[tuple[datetime, str, str, int, int]] = []  # at, code, kind, delta (milli), price after
    price = {}
    balance = {}
    for code, name, unit, p in MATERIALS:
        store.stock.add_material(code, name, unit, price=p)
        price[code], balance[code] = yuan(p), 0
    rng = random.Random(13)
    when = datetime(2026, 1, 1, tzinfo=SHANGHAI)
    edges = [datetime(2026, m, 1, tzinfo=SHANGHAI) for m in range(2, 13)]
    while when < datetime(2026, 12, 31, 20, tzinfo=SHANGHAI):
        when += timedelta(seconds=rng.randint(600, 14 * 3600))
        if edges and when >= edges[0]:  # a move on each side of every month's boundary
            edge = edges.pop(0)
            stamps = [edge - timedelta(seconds=1), edge]
        else:
            stamps = [when]
        for at in stamps:
            clock.set(at.astimezone(UTC))
            code = rng.choice(MATERIALS)[0]
            roll = rng.random()
            if roll < 0.35 or balance[code] == 0:
                amount = rng.randint(1, 40_000)
                new_price = f"{rng.randint(100, 5000) / 100:.2f}" if rng.random() < 0.3 else None
                move = store.stock.receive(code, qty(amount), price=new_price)
                kind, delta = "in", amount
                if new_price:
                    price[code] = yuan(new_price)
            elif roll < 0.9:
                amount = rng.randint(1, balance[code])
                move = store.stock.use(code, qty(amount), reason="维修领用")
                kind, delta = "use", -amount
            else:
                counted = max(0, balance[code] + rng.randint(-3000, 1000))
                move = store.stock.count(code, qty(counted))
                kind, delta = "count", counted - balance[code]
            balance[code] += delta
            assert move.balance_milli == balance[code] >= 0
            moves.append((at, code, kind, delta, price[code]))
    yield store, moves
    store.close()


def expected_month(moves, code: str, month: int, catalogue_price: int) -> dict:
    """The tests' own figures for one item and month, from the list of moves as they were made."""
    start = datetime(2026, month, 1, tzinfo=SHANGHAI)
    end = datetime(2026 + month // 12, month % 12 + 1, 1, tzinfo=SHANGHAI)
    mine = [m for m in moves if m[1] == code]
    inside = [m for m in mine if start <= m[0] < end]
    before_end = [m for m in mine if m[0] < end]
    return {
        "opening": sum(m[3] for m in mine if m[0] < start),
        "received": sum(m[3] for m in inside if m[2] == "in"),
        "used": -sum(m[3] for m in inside if m[2] == "use"),
        "counted": sum(m[3] for m in inside if m[2] == "count"),
        "closing": sum(m[3] for m in before_end),
        "price": before_end[-1][4] if before_end else catalogue_price,
    }


@pytest.mark.xdist_group("stock_year")  # one worker builds the year once for both
def test_every_item_every_month_matches_the_moves_as_made(year):
    store, moves = year
    assert len(moves) > 1000
    catalogue = {m.code: m.price_fen for m in store.stock.materials()}
    for month in range(1, 13):
        report = stock_report(store, f"2026-{month:02d}")
        assert [x.code for x in report.lines] == sorted(catalogue)
        for line in report.lines:
            want = expected_month(moves, line.code, month, catalogue[line.code])
            got = {
                "opening": line.opening,
                "received": line.received,
                "used": line.used,
                "counted": line.counted,
                "closing": line.closing,
                "price": line.price_fen,
            }
            assert got == want, (month, line.code)
            assert line.opening + line.received - line.used + line.counted == line.closing
            assert line.balanced
            for column in ("opening", "received", "used", "counted", "closing"):
                assert line.value(column) == value(want[column], want["price"])
        # one month's closing is the next month's opening
        if month < 12:
            following = {x.code: x.opening for x in stock_report(store, f"2026-{month + 1:02d}").lines}
            assert following == {x.code: x.closing for x in report.lines}


@pytest.mark.xdist_group("stock_year")  # one worker builds the year once for both
def test_the_json_markdown_and_csv_say_the_same(year):
    store, _moves = year
    report = stock_report(store, "2026-06")
    data = json.loads(render_stock(report, "json", Translator("en")))
    assert data["month"] == "2026-06" and len(data["items"]) == len(MATERIALS)
    for item, line in zip(data["items"], report.lines, strict=True):
        assert set(item) >= {
            "code",
            "name",
            "unit",
            "opening",
            "received",
            "used",
            "counted",
            "closing",
            "closing_value",
        }
        assert item["closing"] * 1000 == pytest.approx(line.closing)
        assert item["opening"] + item["received"] - item["used"] + item["counted"] == pytest.approx(
            item["closing"]
        )
        assert item["closing_value"] == line.value("closing") / 100
    assert data["totals"]["closing_value"] == pytest.approx(sum(i["closing_value"] for i in data["items"]))
    rows = list(csv.reader(io.StringIO(render_stock(report, "csv", Translator("zh")).lstrip("\ufeff"))))
    assert rows[1][0] == "编码" and len(rows) == 2 + len(MATERIALS) + 1
    total_row = rows[-1]
    assert float(total_row[-1]) == pytest.approx(data["totals"]["closing_value"])
    md = render_stock(report, "md", Translator("zh"))
    assert "PPR管 20mm" in md and "核对无误" in md


def test_the_report_is_for_the_store_room_and_a_month(staff):
    with pytest.raises(PermissionDenied):
        stock_report(staff["assistant"], "2026-11")
    with pytest.raises(ValidationError):
        stock_report(staff["cs_supervisor"], "2026-13")


def test_stock_report_from_the_command_line(cli_desk):
    env = dict(cli_desk)
    assert (
        run_liyuan(env, "stock", "add", "TAPE", "--name", "生料带", "--unit", "卷", "--price", "3").returncode
        == 0
    )
    assert run_liyuan(env, "stock", "in", "TAPE", "10").returncode == 0
    assert run_liyuan(env, "stock", "use", "TAPE", "2", "--reason", "自用").returncode == 0
    month = datetime.now(SHANGHAI).strftime("%Y-%m")
    out = run_liyuan(env, "stock", "report", "--month", month, "--format", "json")
    assert out.returncode == 0, out.stderr
    [item] = json.loads(out.stdout)["items"]
    assert (item["opening"], item["received"], item["used"], item["counted"], item["closing"]) == (
        0,
        10,
        2,
        0,
        8,
    )
    assert item["closing_value"] == 24.0
    bad = run_liyuan(env, "stock", "report", "--month", "2026/11")
    assert bad.returncode == 2 and "--month" in bad.stderr and len(bad.stderr.strip().splitlines()) == 1

"""The live queue: countdowns from the deadline and the clock, colours, alerts, the cursor staying
put, and other processes' changes arriving without a key press."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest
from ui_helpers import advance, log_from_another_process, settle, wait_for

from liyuan_tui.widgets.queue_table import QueueTable

AMBER = "#ffaf00"


def countdown(table: QueueTable, ref: str):
    return table.get_cell(ref, "countdown")


def shown_line(table: QueueTable, ref: str) -> str:
    """The table's line for a request as it renders now (through every cache)."""
    y = table.get_row_index(ref) + table.header_height - int(table.scroll_offset.y)
    return table.render_line(y).text


async def tick_after(pilot, clock, **delta) -> None:
    """Move the clock, then let the app's once-a-second tick run (as its timer would) and wait for
    what it set off (the warning ladder writes in a worker; its notice follows the write)."""
    advance(clock, **delta)
    pilot.app.tick()
    await settle(pilot)


def alerts(app) -> list[str]:
    return [n.message for n in app._notifications]


async def test_countdown_turns_amber_under_three_minutes_and_red_when_overdue(make_app, desk, clock):
    ref = desk.intake.create_request(
        category="repair", unit="B5-0803", phone="13900000000", complete=True
    ).ref
    app = make_app("ann")
    bells = []
    app.bell = lambda: bells.append(clock.now())
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        table = app.queue.table
        assert countdown(table, ref).plain.strip() == "10:00"
        assert "green" in str(countdown(table, ref).style)

        await tick_after(pilot, clock, minutes=7)
        assert countdown(table, ref).plain.strip() == "03:00"
        assert "green" in str(countdown(table, ref).style)

        await tick_after(pilot, clock, seconds=1)
        assert countdown(table, ref).plain.strip() == "02:59"
        assert AMBER in str(countdown(table, ref).style)
        assert "02:59" in shown_line(table, ref)  # what is painted, not only what is stored
        assert any(ref in m and "3" in m for m in alerts(app)), alerts(app)
        assert len(bells) == 1

        await tick_after(pilot, clock, minutes=3)
        assert countdown(table, ref).plain.strip() == "-00:01"
        assert "red" in str(countdown(table, ref).style)
        assert table.get_cell(ref, "state").plain.strip() == "已超时"
        assert any(ref in m and "超过" in m for m in alerts(app)), alerts(app)
        assert len(bells) == 2

        # Computed from the deadline, not counted down: a tick that comes late is still right.
        await tick_after(pilot, clock, minutes=5)
        assert countdown(table, ref).plain.strip() == "-05:01"
        assert "-05:01" in shown_line(table, ref) and "已超时" in shown_line(table, ref)


async def test_a_tick_repaints_only_the_cells_that_changed(make_app, desk, clock):
    refs = [
        desk.intake.create_request(category="other", unit=f"U{i}", phone="13900000000", complete=True).ref
        for i in range(5)
    ]
    desk.lifecycle.mark_replied(refs[0])
    app = make_app("ann")
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        table = app.queue.table
        before = table.cell_refreshes
        await tick_after(pilot, clock, seconds=1)
        # Four countdowns moved (the replied one is frozen); no state changed colour.
        assert table.cell_refreshes - before == 4
        app.tick()  # the same second again: nothing to repaint
        assert table.cell_refreshes - before == 4


async def test_cursor_stays_on_its_request_when_others_arrive(make_app, desk, staff, clock):
    first = desk.intake.create_request(category="repair", unit="A1", phone="13900000000", complete=True).ref
    second = desk.intake.create_request(category="repair", unit="A2", phone="13900000000", complete=True).ref
    app = make_app("ann")
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        table = app.queue.table
        await pilot.press("down")
        assert table.current_ref == second
        # A major case from the security lead goes to the top, above the cursor.
        major = (
            staff["security_lead"]
            .intake.create_request(
                category="security", unit="B2", phone="13900000001", major=True, complete=True
            )
            .ref
        )
        await settle(pilot)
        assert table.keys[0] == major
        assert table.current_ref == second
        assert any(major in m for m in alerts(app))
        desk.lifecycle.mark_replied(first)
        await settle(pilot)
        assert table.current_ref == second


@pytest.mark.e2e  # the real poller thread, in real time: its latency is what this proves
async def test_a_request_logged_by_another_process_appears_without_a_key_press(
    make_app, desk, cli_env, db_path
):
    app = make_app("ann", poll_interval=1.0)  # the real poll period
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        table = app.queue.table
        assert table.row_count == 0
        ref = log_from_another_process(cli_env)
        written = time.monotonic()
        await wait_for(pilot, lambda: ref in table.keys, timeout=2.0)
        assert time.monotonic() - written <= 2.0
        assert any(ref in m for m in alerts(app)), alerts(app)

        out = subprocess.run(
            [sys.executable, "-m", "liyuan_tui.cli", "reply", ref, "--user", "sup"],
            env=cli_env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert out.returncode == 0, out.stderr
        await wait_for(pilot, lambda: table.get_cell(ref, "state").plain.strip() == "已回复", timeout=2.0)


async def test_cjk_text_keeps_every_column_in_line(make_app, desk):
    """Chinese characters are two cells wide: the columns after them must still line up."""
    wide = desk.intake.create_request(
        category="security",
        unit="地下车库 B2",
        phone="13900000000",
        requester_name="张阿姨的女儿",
        complete=True,
    ).ref
    narrow = desk.intake.create_request(
        category="repair", unit="B5-0803", phone="13900000001", requester_name="Wu", complete=True
    ).ref
    app = make_app("ann")
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        table = app.queue.table
        from rich.cells import cell_len

        def column_of(line: str, text: str) -> int:
            return cell_len(line[: line.index(text)])

        header = table.render_line(0).text
        for ref in (wide, narrow):
            line = shown_line(table, ref)
            received = table.get_cell(ref, "received").plain.strip()
            assert column_of(line, received) == column_of(header, "接报"), (line, header)
            assert column_of(line, "ANN") == column_of(header, "经办")


async def test_a_storm_of_rows_added_changed_and_removed_at_once_leaves_the_table_exact():
    """One update that adds, changes and removes many rows (a typhoon night's look) leaves exactly
    the rows given, in their order, each painted with its cells, the cursor on its request and the
    scrollable height one line a row (rows removed in one go, new rows not measured cell by cell)."""
    from textual.app import App

    class Bare(App[None]):
        def compose(self):
            yield QueueTable({})

    def rows(keys, unit="1-101"):
        return [(k, {"ref": k, "unit": unit if k in "ceg" else "9-909", "category": "报修"}) for k in keys]

    async with Bare().run_test(size=(120, 20)) as pilot:
        table = pilot.app.query_one(QueueTable)
        table.show_rows(rows("abcdef"))
        await pilot.pause()
        table.move_cursor(row=table.get_row_index("d"))
        table.show_rows(rows("gfdca", unit="报修二号楼"))  # b and e gone, g new, c changed, reordered
        await pilot.pause()
        assert table.keys == list("gfdca") and table.current_ref == "d"
        assert table.virtual_size.height == 5 + table.header_height
        assert "报修二号楼" in shown_line(table, "c") and "9-909" in shown_line(table, "a")
        assert [table.get_row_index(k) for k in "gfdca"] == [0, 1, 2, 3, 4]
        table.show_rows(rows(""))
        await pilot.pause()
        assert table.keys == [] and table.virtual_size.height == table.header_height

"""What an idle desk does each second, and that it is no less right for doing less: a tick repaints
the countdowns in sight only, rendered as a stock DataTable renders them; a row scrolled into
sight shows the time now; a page under another page does not tick and catches up when shown."""

from __future__ import annotations

from textual.widgets import DataTable
from ui_helpers import advance, settle

from liyuan_tui.widgets.live_table import LiveTable
from liyuan_tui.widgets.queue_table import QueueTable


def log_many(desk, count: int) -> list[str]:
    return [
        desk.intake.create_request(category="repair", unit=f"U{i}", phone="13900000000", complete=True).ref
        for i in range(count)
    ]


def painted(table: QueueTable) -> list[list[tuple[str, object]]]:
    """Every line of the table as it is painted now: each segment's text and style."""
    return [[(s.text, s.style) for s in table.render_line(y)] for y in range(table.size.height)]


def countdown_shown(table: QueueTable, ref: str) -> str:
    y = table.get_row_index(ref) + table.header_height - int(table.scroll_offset.y)
    return table.render_line(y).text.split()[0]


async def test_a_tick_paints_what_a_stock_table_paints(make_app, desk, clock, monkeypatch):
    log_many(desk, 12)
    app = make_app("ann")
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        table = app.queue.table
        await pilot.press("down", "down")  # the cursor's row is styled too
        for seconds in (1, 1, 59, 1):
            advance(clock, seconds=seconds)
            app.tick()
            await pilot.pause()
            after_ticks = painted(table)
            # The same cells rendered afresh, the stock way: every cache dropped, DataTable's own
            # cell rendering.
            with monkeypatch.context() as stock:
                stock.setattr(LiveTable, "_render_cell", DataTable._render_cell)
                table._update_count += 1
                table._line_cache.clear()
                assert painted(table) == after_ticks


async def test_a_tick_sets_only_the_rows_in_sight_and_a_scroll_brings_the_time_now(make_app, desk, clock):
    refs = log_many(desk, 40)
    app = make_app("ann")
    async with app.run_test(size=(120, 24)) as pilot:
        await settle(pilot)
        table = app.queue.table
        in_sight = table.rows_in_sight()
        assert 10 < len(in_sight) < 40
        before = table.cell_refreshes
        advance(clock, seconds=1)
        app.tick()
        assert table.cell_refreshes - before == len(in_sight)  # one countdown a row in sight
        advance(clock, seconds=30)
        app.tick()
        last = refs[-1]
        assert last not in table.rows_in_sight()
        table.scroll_end(animate=False, immediate=True)
        await pilot.pause()
        assert last in table.rows_in_sight()
        assert countdown_shown(table, last) == "09:29"  # 31 s after it was logged, not when it was set


async def test_the_queue_under_another_page_does_not_tick_and_catches_up_when_shown(make_app, desk, clock):
    first, *_ = log_many(desk, 3)
    app = make_app("ann")
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        table = app.queue.table
        app.open_request(first)
        await settle(pilot)
        before = table.cell_refreshes
        for _ in range(3):
            advance(clock, seconds=1)
            app.tick()
        assert table.cell_refreshes == before  # nobody sees it: nothing is set or painted
        app.pop_screen()
        await settle(pilot)
        assert app.screen is app.queue
        assert countdown_shown(table, first) == "09:57"


async def test_an_idle_look_reads_the_newest_event_once(make_app, desk):
    """The poller's look and the ladder's calm go by one read of the newest event (issue 24: an
    idle desk on a server makes a few transactions a look, not one more for each)."""
    from sqlalchemy import event

    log_many(desk, 3)
    app = make_app("ann")
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        statements: list[str] = []

        def seen(_conn, _cursor, statement, *_args) -> None:
            statements.append(statement)

        event.listen(app.store.engine, "before_cursor_execute", seen)
        try:
            await app.poll_now().wait()
        finally:
            event.remove(app.store.engine, "before_cursor_execute", seen)
    assert statements.count(app.store.kernel.last_event_sql) == 1, statements

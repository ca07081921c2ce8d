"""The pager at the desk: every open desk turns its header red (and says so once, with the bell)
when no sender has been alive for two minutes, and says when it is back; `k` acknowledges a
request's pages; the roster screen shows who a page reaches now and every shift, and lets a
supervisor add and remove one (an assistant has no such keys). Snapshots of the roster and of a
desk with its pager down."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable, Header
from ui_helpers import advance, keys_here, press_keys, settle

from liyuan_tui.screens.pages.roster import RosterScreen
from liyuan_tui.store import Store
from liyuan_tui.widgets.pager_banner import DOWN_CLASS


@pytest.fixture
def sender(staff, clock):
    holder = staff["cs_supervisor"]
    store = Store(holder.url, clock, "pager", procedures=holder.procedures, tz="Asia/Shanghai", service=True)
    yield store
    store.close()


async def look_at_the_pager(pilot) -> None:
    pilot.app.poller.pager.soon()  # (the poller reads it every few seconds: now)
    pilot.app.poll_now()
    await settle(pilot)


def alerts(app) -> list[str]:
    return [n.message for n in app._notifications]


async def test_a_dead_pager_turns_every_desks_header_red_and_is_said_once(make_app, sender, clock):
    assert sender.pager.sending.take_lease("otherhost:1:abc") is None
    app = make_app("ann")
    bells = []
    app.bell = lambda: bells.append(1)
    async with app.run_test(size=(100, 30)) as pilot:
        await look_at_the_pager(pilot)
        assert not app.has_class(DOWN_CLASS) and alerts(app) == []
        advance(clock, minutes=2, seconds=1)
        await look_at_the_pager(pilot)
        assert app.has_class(DOWN_CLASS) and app.pager_down
        header = app.screen.query_one(Header)
        assert header.styles.background.r > 150 and header.styles.background.g < 100  # red
        assert "PAGER DOWN" in app.title or "寻呼已停止" in app.title
        assert len([m for m in alerts(app) if "22:00" in m]) == 1 and bells
        await look_at_the_pager(pilot)
        assert len([m for m in alerts(app) if "22:00" in m]) == 1  # said once, not on every look
        await pilot.app.run_action("roster")  # every screen: the header is the app's
        await settle(pilot)
        assert isinstance(app.screen, RosterScreen)
        assert app.screen.query_one(Header).styles.background.r > 150
        assert sender.pager.sending.heartbeat("otherhost:1:abc")  # the sender is back
        await look_at_the_pager(pilot)
        assert not app.has_class(DOWN_CLASS)
        assert "寻呼服务已恢复" in alerts(app)


async def test_k_at_the_desk_acknowledges_the_requests_pages(make_app, staff, desk, clock):
    ref = desk.intake.create_request(category="A", unit="3-1201", phone="139", complete=True, major=True).ref
    app = make_app("mgr")
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        assert app.queue.table.current_ref == ref
        await pilot.press("k")
        await settle(pilot)
    pages = staff["cs_supervisor"].pager.pages()
    assert pages and {(p.status, p.acknowledged_by) for p in pages} == {("acknowledged", "mgr")}


@pytest.fixture
def roster(staff, clock):
    sup = staff["cs_supervisor"]
    sup.staff.add_staff("zhou", "周敏", "cs_supervisor")
    sup.roster.add("zhou", "duty_supervisor", "2026-11-27T18:00", "2026-11-28T08:00")
    sup.roster.add("sup", "duty_supervisor", "2026-11-27T18:00", "2026-11-28T08:00", backup=True)
    sup.roster.add("mgr", "duty_manager", "2026-11-28T08:00", "2026-11-28T20:00")
    return sup


async def test_the_roster_screen_shows_who_a_page_reaches_and_a_supervisor_adds_and_removes_a_shift(
    make_app, roster, clock
):
    app = make_app("sup")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await app.run_action("roster")
        await settle(pilot)
        screen = app.screen
        now = str(screen.now_box.render())
        assert "周敏(zhou)" in now and "sup(sup)" in now  # on duty, and the backup
        assert "无排班" in now  # nobody is the duty manager yet: everyone it falls back on
        assert screen.query_one(DataTable).row_count == 3
        await pilot.press("a")
        await settle(pilot)
        await pilot.press(*"mgr", "tab", "backspace", "2", "tab")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert screen.query_one(DataTable).row_count == 4  # read again with the roster's change
        assert "经理" in str(screen.now_box.render()) or "MGR" in str(screen.now_box.render())
        await pilot.press("x", "y")
        await settle(pilot)
        assert screen.query_one(DataTable).row_count == 3
    assert len(roster.roster.shifts()) == 3


async def test_an_assistant_sees_the_roster_but_cannot_change_it(make_app, roster):
    app = make_app("ann")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await app.run_action("roster")
        await settle(pilot)
        assert app.screen.query_one(DataTable).row_count == 3
        assert {"add_shift", "remove_shift"}.isdisjoint(keys_here(app.screen))  # no such keys
        assert "back" in keys_here(app.screen)
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, RosterScreen)  # no form opened


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_roster_screen(snap_compare, make_app, roster, lang, size):
    async def run_before(pilot):
        await settle(pilot)
        await pilot.app.run_action("roster")
        await press_keys(pilot, [])

    assert snap_compare(make_app("sup", lang=lang), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_queue_with_the_pager_down(snap_compare, make_app, sender, desk, clock, lang):
    desk.intake.create_request(category="A", unit="3-1201", phone="139", complete=True, major=True)
    assert sender.pager.sending.take_lease("otherhost:1:abc") is None
    advance(clock, minutes=3)

    async def run_before(pilot):
        await look_at_the_pager(pilot)
        assert pilot.app.has_class(DOWN_CLASS)
        pilot.app.clear_notifications()
        await settle(pilot)

    assert snap_compare(make_app("sup", lang=lang), terminal_size=(80, 24), run_before=run_before)

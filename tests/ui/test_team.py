"""Many people, one queue: each user's desk is told what concerns them — across processes and
logins — and sees its own work first. Two Pilot-driven apps run side by side on one file."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest
from ui_helpers import advance, keys_here, settle, wait_for

from liyuan_tui.screens.pages.request import RequestScreen


def alerts(app) -> list[str]:
    return [n.message for n in app._notifications]


@pytest.mark.e2e  # the real poller thread, in real time: its latency is what this proves
async def test_an_escalation_from_another_process_reaches_the_supervisor_within_2_seconds(
    make_app, desk, cli_env
):
    ref = desk.intake.create_request(category="repair", unit="5-302", phone="13900000000", complete=True).ref
    sup = make_app("sup", poll_interval=1.0)  # the real poll period
    bells = []
    sup.bell = lambda: bells.append(1)
    async with sup.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        out = subprocess.run(
            [
                sys.executable,
                "-m",
                "liyuan_tui.cli",
                "escalate",
                ref,
                "--user",
                "ann",
                "--note",
                "水管爆了,需要主管协调",
            ],
            env=cli_env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert out.returncode == 0, out.stderr
        written = time.monotonic()
        await wait_for(pilot, lambda: any(ref in m and "上报" in m for m in alerts(sup)), timeout=2.0)
        assert time.monotonic() - written <= 2.0
        assert bells
        assert sup.queue.table.keys[0] == ref  # escalations to the supervisor come first
        await pilot.press("k")  # acknowledge it
        await settle(pilot)
    req = desk.lookup.get_request(ref)
    assert req.acknowledged_by == "sup"


async def test_going_overdue_escalates_once_and_alerts_every_supervisor(make_app, staff, desk, clock):
    ref = desk.intake.create_request(category="other", unit="1-301", phone="13900000000", complete=True).ref
    sup, mgr = make_app("sup"), make_app("mgr")
    async with sup.run_test(size=(120, 30)) as p1, mgr.run_test(size=(120, 30)) as p2:
        await settle(p1)
        await settle(p2)
        advance(clock, minutes=10, seconds=1)
        sup.tick()
        mgr.tick()
        for pilot, app in ((p1, sup), (p2, mgr)):
            await settle(pilot)
            assert any(ref in m and "自动上报" in m for m in alerts(app)), alerts(app)
        advance(clock, minutes=5)
        sup.tick()
        await settle(p1)
        assert any(ref in m and "5 分钟" in m for m in alerts(sup)), alerts(sup)
    ladder = [e.kind for e in desk.lookup.detail(ref).events if e.dedupe_key]
    assert ladder == ["auto_escalated", "overdue_alert"]  # once each, though two desks were watching
    assert desk.lookup.get_request(ref).escalated_by == "system"


async def test_major_reaches_the_manager_and_the_acknowledgement_reaches_the_assistant(make_app, desk, staff):
    ref = desk.intake.create_request(
        category="medical", unit="3-1202", phone="13900000000", complete=True
    ).ref
    other = desk.intake.create_request(
        category="repair", unit="5-302", phone="13900000001", complete=True
    ).ref
    ann, mgr = make_app("ann"), make_app("mgr")
    async with ann.run_test(size=(120, 30)) as p1, mgr.run_test(size=(120, 30)) as p2:
        await settle(p1)
        await settle(p2)
        ann.queue.table.move_cursor(row=ann.queue.table.get_row_index(ref))
        await p1.press("m", "y")  # mark major, confirm
        await settle(p1)
        await settle(p2)
        assert any(ref in m for m in alerts(mgr)), alerts(mgr)
        assert mgr.queue.table.keys[0] == ref and other in mgr.queue.table.keys
        mgr.queue.table.move_cursor(row=0)
        await p2.press("k")
        await settle(p2)
        await settle(p1)
        assert any(ref in m and "确认" in m for m in alerts(ann)), alerts(ann)
        ann.queue.table.move_cursor(row=ann.queue.table.get_row_index(ref))
        await p1.press("enter")
        await settle(p1)
        assert "已由 MGR 于 22:00 确认" in ann.screen.summary_text()  # on the request itself too
    assert desk.lookup.get_request(ref).major_ack_by == "mgr"


async def test_the_security_lead_sees_what_waits_on_security(make_app, desk, staff):
    ref = desk.intake.create_request(
        category="medical", unit="3-1202", phone="13900000000", complete=True
    ).ref
    desk.intake.create_request(category="repair", unit="5-302", phone="13900000001", complete=True)
    desk.lifecycle.tick_step(ref, "patient_address", value="3-1202")
    desk.lifecycle.tick_step(ref, "contact_phone", value="13900000000")
    desk.lifecycle.choose_branch(ref, "ambulance")
    lead = make_app("lead")
    async with lead.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        panel = str(lead.queue.security_tasks.render())
        assert "暂无" in panel  # nothing yet: the desk has not called security
        desk.lifecycle.tick_step(ref, "ambulance_notify_security")
        await settle(pilot)
        assert "入口" in str(lead.queue.security_tasks.render())
        assert lead.queue.table.keys[0] == ref
        await pilot.press("f")  # mine: what waits on security
        await settle(pilot)
        assert lead.queue.table.keys == [ref]


async def test_taking_a_request_someone_holds_says_who(make_app, staff, desk):
    ref = (
        staff["cs_supervisor"]
        .intake.create_request(category="repair", unit="5-302", phone="1390000", complete=True)
        .ref
    )
    staff["manager"].lifecycle.take(ref)
    ann = make_app("ann")
    async with ann.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        assert any("MGR" in m or "mgr" in m for m in alerts(ann)), alerts(ann)
    assert desk.lookup.get_request(ref).assignee == "mgr"


async def test_a_guard_has_no_desk_keys_and_does_not_see_confidential_details(make_app, desk):
    secret = "公司内部收费调整方案"
    ref = desk.intake.create_request(
        category="consultation",
        unit="8-801",
        phone="13900000000",
        description=secret,
        confidential=True,
        complete=True,
    ).ref
    guard = make_app("gd")
    async with guard.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        queue = guard.screen
        shown = [str(cell) for row in range(queue.table.row_count) for cell in queue.table.get_row_at(row)]
        # Listed (it is open), but a consultation has no step for a guard: not where, not who, not what.
        assert any(ref in cell for cell in shown)
        assert not any(secret in cell or "8-801" in cell for cell in shown)
        assert not {"replied", "close"} & keys_here(queue) and "escalate" not in keys_here(queue)
        await pilot.press("r")  # nothing happens: the key is not the guard's
        await settle(pilot)
        assert desk.lookup.get_request(ref).replied_at is None
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(guard.screen, RequestScreen)
        shown = guard.screen.summary_text()
        assert "8-801" not in shown and "13900000000" not in shown and secret not in shown and "***" in shown
    sup = make_app("sup")
    async with sup.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        assert {"replied", "close", "escalate"} <= keys_here(sup.screen)  # the desk's keys are the desk's
        await pilot.press("enter")
        await settle(pilot)
        assert secret in sup.screen.summary_text()


async def test_a_storm_of_new_requests_is_three_toasts_and_a_count_and_one_bell(make_app, desk, staff):
    """A typhoon night: ten requests logged at another desk between two looks are not ten toasts
    over the queue (and a core spent drawing them): three, then how many more; the bell rings
    once. Every one of them is in the queue."""
    app = make_app("ann", lang="en")
    rings = []
    app.bell = lambda: rings.append(1)  # type: ignore[method-assign]
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        lead = staff["security_lead"]
        refs = [
            lead.intake.create_request(category="other", unit=f"9-{i}", phone="138", complete=True).ref
            for i in range(10)
        ]
        before = len(alerts(app))
        await settle(pilot)
        said = alerts(app)[before:]
        assert said[:3] == [f"New request {ref} (9-{i}) logged by LEAD" for i, ref in enumerate(refs[:3])]
        assert said[3:] == ["7 more notices: see the queue"]
        assert len(rings) == 1
        assert set(refs) <= set(app.requests)


def test_the_toasts_of_a_storm_put_the_most_severe_first():
    from liyuan_tui.domain.i18n import Translator
    from liyuan_tui.domain.notices import Notice
    from liyuan_tui.widgets.notice_text import toasts

    t = Translator("zh")
    storm = [
        Notice("new_request", f"R{i}", "notice.new_request", {"ref": f"R{i}", "by": "x", "unit": "1"})
        for i in range(5)
    ]
    storm.append(Notice("major", "M", "notice.major", {"ref": "M", "by": "x", "unit": "1"}, "error"))
    shown = toasts(storm, t, {})
    assert [severity for _, severity in shown] == ["error", "information", "information", "information"]
    assert "M" in shown[0][0]
    assert shown[3][0] == "另有 3 条提醒,见队列"
    assert toasts(storm[:3], t, {}) == [(text, "information") for text, _ in toasts(storm[:3], t, {})]
    assert len(toasts(storm[:3], t, {})) == 3  # three or fewer: each its own, no count


async def test_a_second_storm_while_the_first_is_on_screen_waits_for_room_and_is_not_lost(
    make_app, desk, staff
):
    """Looks keep coming on a typhoon night: while the screen already has four toasts, the next
    look's new requests are held (each toast would lay the whole screen out as it came and went);
    the bell still rings, and once the toasts have gone the held ones are said, none dropped."""
    app = make_app("ann", lang="en")
    rings = []
    app.bell = lambda: rings.append(1)  # type: ignore[method-assign]
    lead = staff["security_lead"]

    def storm(name: str, count: int) -> list[str]:
        return [
            lead.intake.create_request(category="other", unit=f"{name}-{i}", phone="138", complete=True).ref
            for i in range(count)
        ]

    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        storm("1", 10)
        await settle(pilot)
        on_screen = alerts(app)
        assert len(on_screen) == 4
        second = storm("2", 5)
        await settle(pilot)
        assert alerts(app) == on_screen and len(rings) == 2  # held, and the bell rang for them
        assert set(second) <= set(app.requests)
        app.clear_notifications()  # (the toasts gone, as after their 8 s)
        app.announcer.show_held()  # (what the hold's timer does then)
        await pilot.pause()
        said = alerts(app)
        assert said[:3] == [f"New request {ref} (2-{i}) logged by LEAD" for i, ref in enumerate(second[:3])]
        assert said[3:] == ["2 more notices: see the queue"]

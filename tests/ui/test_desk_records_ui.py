"""Issue 22 at the keyboard: `r` replies with what was said (a canned answer found by typing, taken
with enter), `l` links a call (the queue lists it under its incident's first call), closing the
first call offers to close its calls, `$` takes payment of a receipt, the handover screen's `l`
`g` `a` (the duty log, signing, accepting — the receiver is told), `j` the reception log; text
typed by people shown as text."""

from __future__ import annotations

import pytest
from screens_import import ConfirmScreen, PickScreen, ReceptionScreen, ReplyScreen, RequestScreen
from ui_helpers import keys_here, settle
from walking import open_first, press_and_settle, shown_text, terminals

from liyuan_tui.domain.i18n import Translator


def log(store, category="other", **kw):
    fields = {"category": category, "unit": "3-1201", "phone": "13800000000", "complete": True}
    return store.intake.create_request(**(fields | kw)).ref


async def type_in(term, text: str) -> None:
    await term.pilot.press(*text)
    await settle(term.pilot)


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_r_finds_a_canned_answer_and_keeps_it_with_the_reply(make_app, desk, lang):
    ref = log(desk, "consultation")
    async with terminals(make_app, "ann", lang=lang) as (ann,):
        await open_first(ann)
        await press_and_settle(ann, "r")
        assert isinstance(ann.screen, ReplyScreen)
        await press_and_settle(ann, "tab")  # to the search
        await type_in(ann, "renovat" if lang == "en" else "装修")
        await press_and_settle(ann, "enter")  # to the answers found
        await press_and_settle(ann, "enter")  # take the first: its words, to say
        assert ann.screen.query_one("#said").value.startswith(
            "Before renovating" if lang == "en" else "装修前"
        )
        await press_and_settle(ann, "enter")  # saved
        assert isinstance(ann.screen, RequestScreen)
        req = desk.lookup.get_request(ref)
        assert req.replied_at is not None and req.reply_answer == "renovation"
        assert Translator(lang)("field.reply_text") in ann.screen.summary_text()


async def test_l_links_a_call_and_the_queue_lists_it_under_the_first(make_app, desk, clock):
    first = log(desk, unit="1-101")
    clock.advance(60)
    other = log(desk, unit="9-909")
    clock.advance(60)
    second = log(desk, unit="2-202")
    async with terminals(make_app, "ann", lang="en") as (ann,):
        table = ann.screen.table
        assert table.keys == [first, other, second]  # by time left
        table.move_cursor(row=2)
        await press_and_settle(ann, "l")
        await type_in(ann, first)
        await press_and_settle(ann, "enter")
        assert desk.lookup.get_request(second).incident == first
        await settle(ann.pilot)
        assert table.keys == [first, second, other]  # under its first call
        assert "+" in table.get_value(second, "ref").plain


async def test_l_on_the_request_page_shows_the_incident_it_joined(make_app, desk, clock):
    first = log(desk, unit="1-101")
    clock.advance(60)
    second = log(desk, unit="2-202")
    async with terminals(make_app, "ann", lang="en") as (ann,):
        ann.screen.table.move_cursor(row=1)
        await press_and_settle(ann, "enter")
        assert ann.screen.ref == second and first not in ann.screen.summary_text()
        await press_and_settle(ann, "l")
        await type_in(ann, first)
        await press_and_settle(ann, "enter")
        assert isinstance(ann.screen, RequestScreen)
        assert first in ann.screen.summary_text()  # "+ one of the calls of <first>'s incident"
        assert ann.screen.detail.linked == [first]


async def test_department_staff_have_the_keys_of_their_own_calls(make_app, staff):
    """2, 3.3: a department manager who logs a call replies, closes and links it like the desk;
    the store says whose request it may act on (permissions.owns)."""
    ref = log(staff["dept_staff"])
    async with terminals(make_app, "eng", lang="en") as (eng,):
        assert {"replied", "close", "link"} <= keys_here(eng.screen)
        assert "take" not in keys_here(eng.screen)  # not another's request to take
        await press_and_settle(eng, "r", "enter")
    assert staff["dept_staff"].lookup.get_request(ref).replied_at is not None


async def test_closing_the_first_call_offers_to_close_its_calls(make_app, desk):
    first, ready, unready = log(desk), log(desk), log(desk)
    for ref in (ready, unready):
        desk.incidents.link(ref, first)
    for ref in (first, ready):
        desk.lifecycle.mark_replied(ref)
        desk.lifecycle.tick_step(ref, "need", note="水浸")
        desk.lifecycle.tick_step(ref, "record")
    async with terminals(make_app, "ann", lang="en") as (ann,):
        await open_first(ann)  # the first call heads the queue
        assert ann.screen.ref == first
        await press_and_settle(ann, "c")
        await ann.pilot.press("1", *"drained")
        await press_and_settle(ann, "enter")
        assert isinstance(ann.screen, ConfirmScreen)
        await press_and_settle(ann, "y")
        said = [n.message for n in ann.app._notifications]
        assert any(unready in m and "replied" in m for m in said), said  # why it stays open
    assert desk.lookup.get_request(ready).status == "closed"
    assert desk.lookup.get_request(unready).status == "open"


async def test_dollar_takes_payment_of_the_receipt(make_app, desk, staff):
    ref = log(desk)
    desk.charges.add_charge(ref, "drain")
    async with terminals(make_app, "ann", lang="en") as (ann,):
        await open_first(ann)
        assert "unpaid" in shown_text(ann.screen.query_one("#charges"))
        await press_and_settle(ann, "dollar_sign")
        assert isinstance(ann.screen, PickScreen)
        await press_and_settle(ann, "down", "enter")  # WeChat
        assert "WeChat" in shown_text(ann.screen.query_one("#charges"))
    [receipt] = desk.lookup.detail(ref).receipts.values()
    assert (receipt.method, receipt.paid_by) == ("wechat", "ann")
    async with terminals(make_app, "gd", lang="en") as (gd,):
        assert "link" not in keys_here(gd.screen)  # a guard's queue has no link key


async def test_the_handover_screen_logs_signs_and_the_receiver_accepts(make_app, desk, staff):
    async with terminals(make_app, "ann", "mgr", lang="en") as (ann, mgr):
        await press_and_settle(ann, "h")
        await press_and_settle(ann, "l")
        await type_in(ann, "23:00 patrol [@click=app.quit]x[/]")
        await press_and_settle(ann, "enter")
        body = ann.screen.body_text()
        assert "Duty log (1)" in body and "[@click=app.quit]x[/]" in body  # text as typed
        await press_and_settle(ann, "g")
        await type_in(ann, "mgr")
        await press_and_settle(ann, "tab")
        await type_in(ann, "lift 3 out of order")
        await press_and_settle(ann, "enter")
        assert "Last handover: ANN to MGR" in ann.screen.body_text()  # (waiting: for MGR and supervisors)
        await settle(mgr.pilot)
        told = [n.message for n in mgr.app._notifications]
        assert any("handed the shift to you" in m for m in told), told
        await press_and_settle(mgr, "h")
        assert "Waiting: ANN handed the shift to MGR" in mgr.screen.body_text()
        await press_and_settle(mgr, "a")
        await press_and_settle(mgr, "y")
        assert "accepted" in mgr.screen.body_text() and "Waiting" not in mgr.screen.body_text()
    assert staff["cs_supervisor"].shift.pending() == []


async def test_the_reception_log_records_visitors_as_typed(make_app, desk, staff):
    async with terminals(make_app, "ann", lang="zh") as (ann,):
        await press_and_settle(ann, "j")
        assert isinstance(ann.screen, ReceptionScreen)
        await press_and_settle(ann, "a")
        await type_in(ann, "[bold]王[/bold]")
        await press_and_settle(ann, "enter")
        await type_in(ann, "问装修手续")
        await press_and_settle(ann, "enter", "enter", "enter", "enter")
        assert isinstance(ann.screen, ReceptionScreen)
        row = ann.screen.table.get_row_at(0)
        assert row[1].plain.startswith("[bold]王[") and not row[1].spans  # as typed, never markup
        assert row[2].plain == "问装修手续"
    assert [r.name for r in desk.reception.listed()] == ["[bold]王[/bold]"]
    async with terminals(make_app, "gd", lang="zh") as (gd,):
        assert "reception" not in keys_here(gd.screen)  # nor the reception log's

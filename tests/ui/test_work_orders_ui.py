"""A repair from the first ring to a finished, signed work order with materials, by keys: the
assistant logs the call and dispatches the technician from the request screen; the technician's
own desk (their work orders) shows it at once, they arrive and finish it — hours, materials from
stock, the resident's name; the request, which could not close while the order was open, closes."""

from __future__ import annotations

import pytest
from screens_import import PickScreen, RequestScreen
from textual.widgets import Input
from ui_helpers import advance, settle
from walking import close, log_request, press_and_settle, shown_text, terminals, tick

from liyuan_tui.domain.i18n import Translator
from liyuan_tui.screens.dialogs import FormScreen
from liyuan_tui.screens.pages.order import OrderScreen
from liyuan_tui.screens.pages.orders import OrdersScreen
from liyuan_tui.screens.pages.stock import StockScreen
from liyuan_tui.screens.pages.tools import ToolsScreen


@pytest.fixture
def stocked(staff):
    sup = staff["cs_supervisor"]
    sup.stock.add_material("PIPE20", "PPR管 20mm", "米", price="12.5")
    sup.stock.receive("PIPE20", "10")
    return sup


async def from_the_palette(term, action: str) -> None:
    """ctrl+p, the command's name typed, enter (as a person finds the stock or tools screen)."""
    await term.pilot.press("ctrl+p")
    await settle(term.pilot)
    await term.pilot.press(*term.app.t(f"ui.key.{action}"))
    await settle(term.pilot)  # the palette searches as it is typed (in its workers)
    await press_and_settle(term, "enter")


async def fill_form(term, *values: str) -> None:
    """Type each field of the form dialog in turn (enter moves on, and saves after the last)."""
    assert isinstance(term.screen, FormScreen), term.screen
    for value in values:
        await term.pilot.press(*value, "enter")
    await settle(term.pilot)


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_a_repair_from_intake_to_a_finished_signed_order_with_materials(make_app, stocked, desk, lang):
    t = Translator(lang)
    async with terminals(make_app, "ann", "tech", lang=lang) as (ann, tech):
        assert isinstance(tech.screen, OrdersScreen)  # a technician's desk is their own work orders
        assert tech.screen.filter == "mine" and not tech.screen.query_one("#orders-table").display

        ref = await log_request(ann, "b", unit="5-803", phone="13911110803")
        await press_and_settle(ann, "r", "enter")
        for step, answer in (("fault", "kitchen pipe"), ("dispatch", "W order")):
            assert await tick(ann, step, answer) is None

        await press_and_settle(ann, "d")  # dispatch: who goes
        assert isinstance(ann.screen, PickScreen)
        assert ann.screen.query_one("#pick").highlighted_option.id == "tech"  # technicians first
        await press_and_settle(ann, "enter")
        await fill_form(ann, "", "bring a pipe wrench")  # no appointment; what the technician is told
        assert isinstance(ann.screen, OrderScreen)
        number = ann.screen.number
        [order] = desk.orders.list_orders()
        assert (order.order.number, order.order.state, order.order.technician) == (
            number,
            "dispatched",
            "tech",
        )
        assert t("order.state.dispatched") in str(ann.screen.summary.render())

        await settle(tech.pilot)  # the technician's list has it, counting down to the arrival limit
        await settle(tech.pilot)
        assert tech.screen.query_one("#orders-table").display
        assert tech.screen.table.current_ref == number
        assert any(
            t("notice.order_new", number=number, unit="5-803", ref=ref) == n.message
            for n in tech.app._notifications
        )

        await press_and_settle(ann, "escape")  # back on the request: it cannot close with the order open
        assert isinstance(ann.screen, RequestScreen)
        assert number in shown_text(ann.screen.query_one("#request-orders"))
        assert await tick(ann, "record") is None
        refusal = await close(ann, "fixed")
        assert refusal is not None and number in refusal

        advance(tech.app.clock, minutes=20)
        await press_and_settle(tech, "enter")
        assert isinstance(tech.screen, OrderScreen)
        await press_and_settle(tech, "a")  # arrived
        assert desk.orders.detail(number).order.state == "on_site"
        await press_and_settle(tech, "f")  # finished: hours, materials, the resident signs, what was done
        await fill_form(tech, "1.5", "PIPE20=99", "Mrs Wu", "new joint")
        assert isinstance(tech.screen, FormScreen)  # more than is held: refused with the figures
        assert "10" in str(tech.screen.query_one(".dialog-error").render())
        material = tech.screen.query_one("#form-material", Input)
        material.value = ""
        await tech.pilot.click("#form-material")
        await tech.pilot.press(*"PIPE20=1.5")
        await press_and_settle(tech, "ctrl+s")
        assert isinstance(tech.screen, OrderScreen)
        done = desk.orders.detail(number)
        assert (done.order.state, done.order.hours, done.order.signed_by) == ("done", 1.5, "Mrs Wu")
        assert [(m.code, milli) for m, milli in done.materials] == [("PIPE20", 1500)]
        assert stocked.stock.material("PIPE20").on_hand_milli == 8500
        shown = shown_text(tech.screen.details)
        assert "PIPE20" in shown and "1.5" in shown and "Mrs Wu" in shown

        await settle(ann.pilot)
        assert t("order.state.done") in shown_text(ann.screen.query_one("#request-orders"))
        assert await close(ann, "fixed") is None
        assert desk.lookup.get_request(ref).status == "closed"


async def test_w_opens_the_work_orders_and_the_palette_opens_stock_and_tools(make_app, stocked, desk):
    ref = desk.intake.create_request(category="repair", unit="1-101", phone="123", complete=True).ref
    late = desk.orders.create(ref, "tech").number
    async with terminals(make_app, "sup") as (sup,):
        await press_and_settle(sup, "w")
        assert isinstance(sup.screen, OrdersScreen) and sup.screen.table.current_ref == late
        advance(sup.app.clock, minutes=31)  # past the 30-minute arrival limit
        sup.app.tick()
        await press_and_settle(sup, "f", "f")  # all → mine → late
        assert sup.screen.filter == "late" and sup.screen.table.current_ref == late
        await press_and_settle(sup, "escape")
        for action, screen in (("stock", StockScreen), ("tools", ToolsScreen)):
            await from_the_palette(sup, action)
            assert isinstance(sup.screen, screen)
            await press_and_settle(sup, "escape")


async def test_stock_and_tools_screens_receive_and_issue_by_keys(make_app, stocked):
    stocked.tools.add_tool("T01", "管钳")
    async with terminals(make_app, "sup", lang="en") as (sup,):
        await from_the_palette(sup, "stock")
        await press_and_settle(sup, "i")
        await fill_form(sup, "2.5", "", "from the shop")
        assert isinstance(sup.screen, StockScreen)
        assert stocked.stock.material("PIPE20").on_hand_milli == 12_500
        await press_and_settle(sup, "c")
        await fill_form(sup, "12")
        assert stocked.stock.material("PIPE20").on_hand_milli == 12_000
        await press_and_settle(sup, "escape")
        await from_the_palette(sup, "tools")
        await press_and_settle(sup, "i")
        await fill_form(sup, "", "")  # no order, no time; then whom, by name: technicians first
        assert isinstance(sup.screen, PickScreen)
        await press_and_settle(sup, "enter")
        assert [v.tool.holder for v in stocked.tools.list_tools(out=True)] == ["tech"]
        await press_and_settle(sup, "i")  # again: refused, saying who has it
        await fill_form(sup, "", "")
        assert isinstance(sup.screen, FormScreen)
        assert "tech" in str(sup.screen.query_one(".dialog-error").render())
        await press_and_settle(sup, "escape")
        await press_and_settle(sup, "r")
        await fill_form(sup, "", "")  # condition ok (offered), no note
        assert stocked.tools.list_tools(out=True) == []


async def test_a_technician_cannot_reach_the_queue_or_anything_confidential(make_app, desk):
    desk.intake.create_request(
        category="repair",
        unit="8-101",
        phone="13900000001",
        requester_name="李女士",
        description="不要声张",
        confidential=True,
        complete=True,
    )
    async with terminals(make_app, "tech") as (tech,):
        assert isinstance(tech.screen, OrdersScreen)
        for key in ("escape", "n", "slash", "h", "ctrl+r"):
            await press_and_settle(tech, key)
            assert isinstance(tech.screen, OrdersScreen), key
        names = [c.title for c in tech.app.get_system_commands(tech.screen)]
        assert tech.app.t("ui.key.stock") not in names and tech.app.t("ui.key.new_request") not in names


async def test_the_handover_screen_lists_late_orders_and_tools_still_out(make_app, stocked, desk, clock):
    from datetime import timedelta

    from liyuan_tui.screens.pages.handover import HandoverScreen

    ref = desk.intake.create_request(category="repair", unit="9-909", phone="123", complete=True).ref
    number = desk.orders.create(ref, "tech").number
    stocked.tools.add_tool("T01", "管钳")
    stocked.tools.issue("T01", "tech", order=number, due=clock.now() + timedelta(minutes=10))
    clock.advance(40 * 60)
    async with terminals(make_app, "sup", lang="en") as (sup,):
        await press_and_settle(sup, "h")
        assert isinstance(sup.screen, HandoverScreen)
        text = sup.screen.body_text()
        assert "Work orders past their limit: 1" in text and number in text and "-10:00" in text
        assert "Tools overdue: 1" in text and "T01" in text

"""Issuing a tool by keys (issue 20): the order and when it is due back first, then to whom — by
name, in the picker dispatch uses, the order's technician offered first. A bad order or time is
refused under its field, in the user's language, with nothing written; a tool taken meanwhile is
refused in the picker, saying who has it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from screens_import import PickScreen
from textual.widgets import Input, Label, OptionList
from ui_helpers import settle
from walking import press_and_settle, shown_text, terminals

from liyuan_tui.domain.errors import ValidationError
from liyuan_tui.domain.i18n import Translator
from liyuan_tui.screens.dialogs import FormScreen, PersonPickScreen
from liyuan_tui.screens.pages.tools import ToolsScreen


@pytest.fixture
def order_for_eng(staff) -> str:
    """A repair's work order sent to eng (maintenance staff, not the first technician listed)."""
    desk, sup = staff["assistant"], staff["cs_supervisor"]
    sup.tools.add_tool("T01", "管钳")
    ref = desk.intake.create_request(category="repair", unit="1-101", phone="123", complete=True).ref
    return desk.orders.create(ref, "eng").number


async def open_issue(term) -> None:
    await term.app.run_action("tools")
    await settle(term.pilot)
    assert isinstance(term.screen, ToolsScreen)
    await press_and_settle(term, "i")
    assert isinstance(term.screen, FormScreen)


async def type_into(term, field: str, text: str) -> None:
    box = term.screen.query_one(f"#form-{field}", Input)
    box.value = ""
    box.focus()
    await term.pilot.press(*text)


def highlighted(term) -> str | None:
    option = term.screen.query_one("#pick", OptionList).highlighted_option
    return option.id if option else None


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_a_tool_for_an_order_goes_to_the_orders_technician_by_name(
    make_app, staff, order_for_eng, lang
):
    t = Translator(lang)
    async with terminals(make_app, "sup", lang=lang) as (sup,):
        await open_issue(sup)
        await sup.pilot.press(*order_for_eng.lower(), "enter", *"2026-11-28 08:00", "enter")
        await settle(sup.pilot)
        assert isinstance(sup.screen, PersonPickScreen)
        assert highlighted(sup) == "eng"  # the order's technician, though technicians come first
        shown = [str(o.prompt) for o in sup.screen.query_one("#pick", OptionList).options]
        assert shown == [f"TECH  ({t('role.technician')})", f"ENG  ({t('role.dept_staff')})"]
        title = sup.screen.query_one(".dialog-title", Label)
        assert str(title.content) == t("ui.tools.whom_title", code="T01", name="管钳")
        await press_and_settle(sup, "enter")
        assert isinstance(sup.screen, ToolsScreen)
        [view] = staff["cs_supervisor"].tools.list_tools(out=True)
        assert (view.tool.holder, view.order) == ("eng", order_for_eng)
        assert view.loan is not None and view.loan.due_at is not None
        assert any(n.message == t("ui.tools.done.issue") for n in sup.app._notifications)


async def test_without_an_order_the_picker_offers_the_technicians_first_and_any_may_be_chosen(
    make_app, staff, order_for_eng
):
    async with terminals(make_app, "sup", lang="en") as (sup,):
        await open_issue(sup)
        await press_and_settle(sup, "enter", "enter")  # no order, no time
        assert isinstance(sup.screen, PersonPickScreen) and highlighted(sup) == "tech"
        await press_and_settle(sup, "escape")  # changed my mind: nothing written
        assert isinstance(sup.screen, ToolsScreen)
        assert staff["cs_supervisor"].tools.list_tools(out=True) == []
        await press_and_settle(sup, "i", "enter", "enter", "down", "enter")
        assert [v.tool.holder for v in staff["cs_supervisor"].tools.list_tools(out=True)] == ["eng"]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize(
    "field, typed, key",
    [
        ("order", "W-nonsense", "error.order_malformed"),
        ("order", "W202611-9999", "error.order_unknown"),
        ("due_at", "tomorrow-ish", "error.time_malformed"),
        ("due_at", "2029-01-01 08:00", "error.appointment_range"),
    ],
)
async def test_a_bad_order_or_time_is_refused_under_its_field_and_nothing_is_written(
    make_app, staff, order_for_eng, lang, field, typed, key
):
    t = Translator(lang)
    async with terminals(make_app, "sup", lang=lang) as (sup,):
        await open_issue(sup)
        await type_into(sup, field, typed)
        await press_and_settle(sup, "ctrl+s")
        assert isinstance(sup.screen, FormScreen)  # still asking: no picker, nothing issued
        box = sup.screen.query_one(f"#form-{field}", Input)
        assert box.has_class("-invalid") and box.has_focus
        value = typed.upper() if key == "error.order_unknown" else typed
        said = ValidationError(key, field, value=value).message(t)  # in the user's language
        assert shown_text(sup.screen.query_one(".dialog-error")).strip() == said
        assert staff["cs_supervisor"].tools.list_tools(out=True) == []


async def test_a_tool_taken_while_the_picker_is_open_is_refused_in_it(make_app, staff, order_for_eng, clock):
    async with terminals(make_app, "sup", lang="en") as (sup,):
        await open_issue(sup)
        await press_and_settle(sup, "enter", "enter")
        assert isinstance(sup.screen, PickScreen)
        staff["cs_supervisor"].tools.issue("T01", "eng", due=clock.now() + timedelta(hours=1))  # meanwhile
        await press_and_settle(sup, "enter")
        assert isinstance(sup.screen, PersonPickScreen)  # stays open, saying who has it
        assert "eng" in shown_text(sup.screen.query_one(".dialog-error"))
        [view] = staff["cs_supervisor"].tools.list_tools(out=True)
        assert view.tool.holder == "eng"

"""Paid services at the keyboard: `p` on a request, an item of the schedule, a quantity checked on
its field in the user's language, the charge added in a worker and the total under the checklist."""

from __future__ import annotations

import pytest
from textual.widgets import Input
from ui_helpers import settle
from walking import Terminal, add_charge, open_first, press_and_settle, shown_text, terminals

from liyuan_tui.domain.i18n import Translator
from liyuan_tui.screens.dialogs import ChargeScreen

SITE_FEES = """
[[items]]
code = "drain"
zh = "疏通下水道(本小区)"
en = "Unblock a drain (our estate)"
unit = { zh = "次", en = "job" }
price = 45
"""


@pytest.fixture
def repair(desk) -> str:
    return desk.intake.create_request(
        category="repair",
        unit="5栋0803",
        phone="13911110803",
        requester_name="吴太太",
        description="厨房下水道堵塞",
        complete=True,
    ).ref


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_a_bad_quantity_is_refused_on_its_field_and_a_good_one_is_charged(make_app, desk, repair, lang):
    t = Translator(lang)
    async with terminals(make_app, "ann", lang=lang) as (ann,):
        await open_first(ann)
        assert not ann.screen.query_one("#charges").display  # no charges yet: no panel

        refusal = await add_charge(ann, "drain", "0")
        dialog = ann.screen
        assert isinstance(dialog, ChargeScreen)
        assert refusal == t("error.qty_range", value="0", low=0.01, high=10_000)
        assert dialog.query_one("#qty", Input).has_class("-invalid")
        assert str(dialog.query_one("#charge-example").render()) == t(
            "ui.charge.example"
        )  # the shipped example
        assert desk.lookup.detail(repair).charges == []

        await ann.pilot.press("backspace", "3")  # 3 jobs: the preview follows the typing
        assert "150.00" in str(dialog.query_one("#charge-amount").render())
        assert not dialog.query_one(".dialog-error").display
        await press_and_settle(ann, "enter")
        assert not isinstance(ann.screen, ChargeScreen)
        text = shown_text(ann.screen.query_one("#charges"))
        assert t("ui.charges.total") in text and "150.00" in text.splitlines()[-1]
        assert t("fees.example_short") in text
    assert [(c.item_code, c.qty, c.amount_cents, c.by) for c in desk.lookup.detail(repair).charges] == [
        ("drain", 3, 15000, "ann")
    ]


async def test_a_sites_own_schedule_is_offered_without_the_example_notice(make_app, desk, repair, tmp_path):
    fees = tmp_path / "fees.toml"
    fees.write_text(SITE_FEES, encoding="utf-8")
    app = make_app("ann")
    app.store.charges.fees_file = fees
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        ann = Terminal(pilot, "ann", "assistant")
        await open_first(ann)
        await press_and_settle(ann, "p")
        assert not ann.screen.query("#charge-example")
        await press_and_settle(ann, "escape")
        assert await add_charge(ann, "drain", "2") is None
        text = shown_text(ann.screen.query_one("#charges"))
        assert "疏通下水道(本小区)" in text and "90.00" in text and "示例" not in text
    assert desk.lookup.detail(repair).charges[0].unit_price_cents == 4500


async def test_only_the_desk_has_the_charge_key(make_app, desk, repair):
    t = Translator("zh")
    async with terminals(make_app, "ann", "gd") as (ann, gd):
        for term in (ann, gd):
            await open_first(term)
        for term, shown in ((ann, True), (gd, False)):
            with term.app._context():  # the palette as that terminal's own app builds it
                titles = {c.title for c in term.app.get_system_commands(term.screen)}
            assert (t("ui.key.charge") in titles) is shown, term.login
        await press_and_settle(gd, "p")
        assert not isinstance(gd.screen, ChargeScreen)


async def test_a_closed_request_takes_no_charge(make_app, desk, repair, procedures):
    desk.lifecycle.mark_replied(repair)
    proc = procedures["repair"]
    for step in proc.missing_required([], {"ordinary", "oral"}, ()):
        desk.lifecycle.tick_step(
            repair, step.key, **({step.input: "ok"} if step.input in ("value", "note") else {})
        )
    desk.lifecycle.close_request(repair, "修好")
    async with terminals(make_app, "ann") as (ann,):
        await press_and_settle(ann, "slash")
        await ann.pilot.press(*repair[-4:])
        await press_and_settle(ann, "enter")
        await press_and_settle(ann, "enter")
        await press_and_settle(ann, "p")
        assert not isinstance(ann.screen, ChargeScreen)
        assert any(
            n.message == Translator("zh")("ui.charge.closed", ref=repair) for n in ann.app._notifications
        )

"""The footer at any width: every key it shows is whole, back, help and quit always there, short
labels first, then fewer keys; never a key that a field in focus would take as typing."""

from __future__ import annotations

import pytest
from screens_import import IntakeScreen, RequestScreen
from ui_helpers import settle

from liyuan_tui.widgets.key_bar import KeyBar, KeyItem, fit_keys, item_width


def item(action: str, label: str = "label", short: str = "l") -> KeyItem:
    return KeyItem(action[0], action[0], label, short, action, True)


def test_keys_are_dropped_whole_and_the_way_out_stays():
    items = [
        item("replied"),
        item("escalate"),
        item("close"),
        item("search"),
        item("back"),
        item("help"),
        item("quit"),
    ]
    full = sum(item_width(i, False) for i in items)
    assert fit_keys(items, full) == (items, False)
    assert fit_keys(items, full - 1) == (items, True)  # short labels first
    kept, _ = fit_keys(items, 16)
    assert [i.action for i in kept] == ["back", "help", "quit"]  # never cut mid-word: left out whole
    kept, _ = fit_keys(items, 23)
    assert [i.action for i in kept] == ["replied", "back", "help", "quit"]  # search and escalate go first


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_at_80_columns_the_request_screen_keeps_close_back_help_and_quit(make_app, desk, lang):
    desk.intake.create_request(category="repair", unit="5-0803", phone="139", complete=True)
    app = make_app("ann", lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, RequestScreen)
        bar = app.screen.query_one(KeyBar)
        shown = bar.render().plain
        assert len(shown) <= 80
        for key in ("esc", "?", "q", "c"):
            assert f" {key} " in shown


async def test_a_field_in_focus_hides_the_keys_it_would_take_as_typing(make_app):
    app = make_app("ann", lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, IntakeScreen)
        await pilot.press("b", "1")  # on to the unit
        await pilot.pause()
        shown = app.screen.query_one(KeyBar).render().plain
        assert " / " not in shown and "^s" in shown


@pytest.mark.parametrize("lang,word", [("zh", "回车"), ("en", "Enter")])
async def test_a_gbk_terminal_gets_a_word_for_a_symbol_it_cannot_show(
    make_app, desk, monkeypatch, lang, word
):
    """⏎ in GBK printed as `\\u23ce` and pushed keys off the footer: a plain word takes its place."""
    import liyuan_tui.widgets.key_bar as key_bar

    desk.intake.create_request(category="repair", unit="5-0803", phone="139", complete=True)
    monkeypatch.setattr(key_bar, "terminal_encoding", lambda: "gbk")
    app = make_app("ann", lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        shown = app.screen.query_one(KeyBar).render().plain
        assert f" {word} " in shown and "⏎" not in shown
        shown.encode("gbk")  # every character of the footer can be shown
        assert " ? " in shown and " q " in shown  # and the keys after it are still there

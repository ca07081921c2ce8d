"""No footer shows two keys under one word: `b Help` beside `? Help` sent the operator to the
wrong key (issue 20). Each screen's footer keys with the app's, in both languages, long labels and
short ones alike."""

from __future__ import annotations

import pytest

from liyuan_tui.domain.i18n import Translator
from liyuan_tui.widgets.keys import APP_KEYS, SCOPES


def footer_words(table, t: Translator, short: bool) -> dict[str, list[str]]:
    words: dict[str, list[str]] = {}
    for _keys, action, shown in (*table, *APP_KEYS):
        if not shown:
            continue
        label = t(f"ui.key.{action}")
        word = t(f"ui.key_short.{action}") if short else label
        if word.startswith("ui.key_short."):
            word = label
        words.setdefault(word, []).append(action)
    return {word: actions for word, actions in words.items() if len(actions) > 1}


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("short", [False, True], ids=["labels", "short"])
@pytest.mark.parametrize("scope", [name for name, _ in SCOPES if name != "app"])
def test_no_two_footer_keys_share_a_word(scope, short, lang):
    table = dict(SCOPES)[scope]
    assert footer_words(table, Translator(lang), short) == {}


def test_the_check_finds_two_keys_under_one_word():
    table = (("b", "help", True),)  # the app's ? Help and another Help
    assert footer_words(table, Translator("en"), False) == {"Help": ["help", "help"]}

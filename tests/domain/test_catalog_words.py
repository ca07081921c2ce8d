"""Every message of both catalogs speaks the company's language: no step key, role key, event kind
or action key in any of them, and every word of the desk's vocabulary has its name in both."""

from __future__ import annotations

import pytest
from words import leaked, render

from liyuan_tui.domain.events import EventKind
from liyuan_tui.domain.i18n import catalog
from liyuan_tui.domain.models import ROLES
from liyuan_tui.domain.permissions import Action
from liyuan_tui.widgets.keys import SCOPES

MESSAGES = sorted(catalog())


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_message_of_either_catalog_shows_an_internal_key(lang):
    leaks = {key: found for key in MESSAGES if (found := leaked(render(catalog()[key][lang]), lang))}
    assert leaks == {}


def test_the_check_finds_the_leaks_the_desk_once_showed():
    assert leaked("你的角色(物业助理)不能create", "zh") == {"create"}
    assert leaked("此步骤由guard负责", "zh") == {"guard"}
    assert leaked("required steps not done: manager_informed", "en") == {"manager_informed"}
    assert leaked("请主管先运行 liyuan migrate", "zh") == set()  # a command, not a key


@pytest.mark.parametrize(
    "prefix, keys",
    [
        ("event", [str(k) for k in EventKind]),
        ("role", list(ROLES)),
        ("action", [str(a) for a in Action]),
    ],
)
def test_every_word_of_the_vocabulary_has_a_name_in_both_languages(prefix, keys):
    for key in keys:
        entry = catalog().get(f"{prefix}.{key}")
        assert entry and entry.get("zh") and entry.get("en"), f"{prefix}.{key}"


def test_every_key_of_every_screen_has_its_description():
    actions = {action for _, table in SCOPES for _, action, _ in table}
    assert not [a for a in actions if f"ui.key.{a}" not in catalog()]
    shorts = [k.split(".")[-1] for k in MESSAGES if k.startswith("ui.key_short.")]
    assert not [a for a in shorts if f"ui.key.{a}" not in catalog()]  # a short label of a real key


def test_the_desk_picks_one_word_for_each_thing():
    """住户 (not 客户) for the people the desk serves, except in the company procedure's own title;
    作废 for a request logged by mistake; one form each for handed on and withdrawn."""
    zh = {key: catalog()[key]["zh"] for key in MESSAGES}
    assert not [k for k, v in zh.items() if "客户" in v.replace("客户求助服务工作规程", "")]
    assert not [k for k, v in zh.items() if "撤销" in v]
    assert not [k for k, v in zh.items() if "转交他部门" in v or "住户撤回" in v]
    assert zh["status.cancelled"] == "已作废"

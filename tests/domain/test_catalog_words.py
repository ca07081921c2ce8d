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


# Words retired for the company's own (issue 20): the role is 客服部主管, the caller is 求助人 and
# the customer 客户 (never 住户), the workshop is 维修管理 / 维修派工 (never 后勤).
RETIRED = {"住户": "求助人 or 客户", "客服主管": "客服部主管", "后勤": "维修管理"}


def _retired_in(text: str) -> list[str]:
    return [word for word in RETIRED if word in text.replace("客服部主管", "")]


def test_the_desk_picks_one_word_for_each_thing():
    """作废 for a request logged by mistake; one form each for handed on and withdrawn; and none of
    the retired words, in a message or in a procedure's text."""
    zh = {key: catalog()[key]["zh"] for key in MESSAGES}
    assert {k: _retired_in(v) for k, v in zh.items() if _retired_in(v)} == {}
    assert not [k for k, v in zh.items() if "撤销" in v]
    assert not [k for k, v in zh.items() if "转交他部门" in v or "住户撤回" in v]
    assert zh["status.cancelled"] == "已作废"
    assert zh["role.cs_supervisor"] == "客服部主管"


def test_no_procedure_file_uses_a_retired_word():
    from liyuan_tui.domain.procedure_files import load_procedures

    said = {}
    for proc in load_procedures().values():
        texts = (
            [proc.name.zh] + [s.text.zh for s in proc.steps] + [s.prompt.zh for s in proc.steps if s.prompt]
        )
        texts += [t.zh for t in (proc.refers_to, proc.baseline) if t is not None]
        said.update({f"{proc.key}: {t}": _retired_in(t) for t in texts if _retired_in(t)})
    assert said == {}


def test_the_retired_word_check_finds_them():
    assert _retired_in("已上报客服主管") == ["客服主管"] and _retired_in("已上报客服部主管") == []
    assert _retired_in("住户签名") == ["住户"] and _retired_in("后勤:派工") == ["后勤"]

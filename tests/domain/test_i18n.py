"""Every message exists in Chinese and English with the same placeholders."""

from __future__ import annotations

import re
import string

from liyuan_tui.domain.i18n import Translator, catalog


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_message_has_zh_and_en_with_the_same_placeholders():
    for key, entry in catalog().items():
        assert set(entry) == {"zh", "en"}, key
        assert entry["zh"].strip() and entry["en"].strip(), key
        assert fields(entry["zh"]) == fields(entry["en"]), key


def test_chinese_messages_are_chinese():
    cjk = re.compile(r"[\u4e00-\u9fff]")
    untranslated = [k for k, e in catalog().items() if not cjk.search(e["zh"]) and e["zh"] != e["en"]]
    assert untranslated == []


def test_translator_fills_placeholders_and_falls_back_to_the_key():
    assert Translator("en")("error.ref_unknown", value="202611-0001") == "no request with ref 202611-0001"
    assert "202611-0001" in Translator("zh")("error.ref_unknown", value="202611-0001")
    assert Translator("zh")("no.such.key") == "no.such.key"


def test_every_error_key_used_in_the_code_exists():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "liyuan_tui"
    used = set()
    for path in root.rglob("*.py"):
        used |= set(re.findall(r'"(error\.[a-z_]+)"', path.read_text(encoding="utf-8")))
    missing = sorted(k for k in used if k not in catalog())
    assert missing == []

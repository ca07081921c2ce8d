"""Chinese (default) and English messages.

The catalogs are data: `data/messages/*.toml`, each message a table with a `zh` and an `en`
string, so translators edit text without touching code and each area of the app keeps its own file.
"""

from __future__ import annotations

import re
import string
import tomllib
from functools import cache
from importlib import resources
from typing import Any

LANGUAGES = ("zh", "en")


@cache
def catalog() -> dict[str, dict[str, str]]:
    """Every message: key → {"zh": …, "en": …}, merged from all catalog files."""
    merged: dict[str, dict[str, str]] = {}
    folder = resources.files("liyuan_tui.data") / "messages"
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".toml"):
            continue
        data = tomllib.loads(entry.read_text(encoding="utf-8"))
        _flatten(data, "", merged, entry.name)
    return merged


@cache
def catalog_file(name: str) -> dict[str, dict[str, str]]:
    """The messages of one catalog file (key → {"zh": …, "en": …}), without reading the others:
    argparse's words are looked up as every parser is built, by every command (cli/argparse_words.py)."""
    entry = resources.files("liyuan_tui.data") / "messages" / name
    out: dict[str, dict[str, str]] = {}
    _flatten(tomllib.loads(entry.read_text(encoding="utf-8")), "", out, name)
    return out


def _flatten(data: dict[str, Any], prefix: str, out: dict[str, dict[str, str]], source: str) -> None:
    for key, value in data.items():
        full = f"{prefix}{key}"
        if isinstance(value, dict) and ("zh" in value or "en" in value):
            if full in out:
                raise ValueError(f"messages/{source}: '{full}' is defined twice")
            out[full] = value
        elif isinstance(value, dict):
            _flatten(value, full + ".", out, source)
        else:
            raise ValueError(f"messages/{source}: '{full}' must be a table with zh and en texts")


class Translator:
    """`t("error.unit_empty")` → the message in this translator's language, with {params} filled."""

    def __init__(self, lang: str = "zh") -> None:
        if lang not in LANGUAGES:
            raise ValueError(f"unknown language {lang!r}")
        self.lang = lang

    def __call__(self, key: str, /, **params: Any) -> str:
        entry = catalog().get(key)
        if entry is None:
            return key
        text = entry.get(self.lang) or entry.get("en") or key
        if not params:
            return text
        # A value carried by data in both languages (a step's prompt, a list of steps) is said in ours.
        values = {k: self.pick(v.zh, v.en) if _bilingual(v) else v for k, v in params.items()}
        said: str = _PLURALS.format(text, **values) if ":p:" in text else text.format(**values)
        if any(v in ("", None) for v in params.values()):  # a value left empty leaves no "()" behind
            said = _EMPTY_BRACKETS.sub("", said)
        return said

    def pick(self, zh: str, en: str) -> str:
        """Choose between two texts carried by data (procedure steps, fee items)."""
        return zh if self.lang == "zh" else en


class _Plurals(string.Formatter):
    """`{count:p:call|calls}` → "1 call", "2 calls": English says its plurals (Chinese needs none)."""

    def format_field(self, value: Any, format_spec: str) -> str:
        if format_spec.startswith("p:"):
            one, _, many = format_spec[2:].partition("|")
            return f"{value} {one if value == 1 else many}"
        return str(super().format_field(value, format_spec))


_PLURALS = _Plurals()
_EMPTY_BRACKETS = re.compile(r" ?[((][ \t]*[))]")


def _bilingual(value: Any) -> bool:
    return isinstance(getattr(value, "zh", None), str) and isinstance(getattr(value, "en", None), str)

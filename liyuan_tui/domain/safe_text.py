"""Text from people, files and other programs, made safe to show: which characters are control
characters (refused at input by validation.py), and a visible form of any that still arrive (an
old database, another SQLite client), so no terminal ever receives a raw escape sequence.

Pure: no rich, no textual. The screens wrap the result in `Text`, so it is never read as markup.
"""

from __future__ import annotations

import json
import re
import unicodedata
from typing import Any

# Format characters that reorder or hide text (bidirectional overrides and isolates), and the line
# and paragraph separators some terminals and editors treat as line breaks.
HIDDEN = "***"  # what is shown in place of a detail its reader may not see (permissions.sight)
_INVISIBLE = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u2028\u2029")


# What visible() changes, found in one search (Cc: C0, DEL and C1; Cs: lone surrogates; the invisible
# ones): keeping newlines and tabs, or not. A long text without any (a JSON document) is passed as is.
_CHANGED = {
    keep: re.compile(
        "["
        + ("\x00-\x08\x0b-\x1f" if keep else "\x00-\x1f")
        + "\x7f-\x9f\ud800-\udfff"
        + "".join(sorted(_INVISIBLE))
        + "]"
    )
    for keep in (True, False)
}


def is_control(ch: str) -> bool:
    """A character that must never reach a terminal or a stored field as itself: C0 and C1
    controls and DEL (tab and newline included: callers allow those where they belong), the
    bidirectional overrides, and lone surrogates (bytes that were not UTF-8)."""
    if ch in _INVISIBLE:
        return True
    return unicodedata.category(ch) in ("Cc", "Cs")


def first_control(text: str, *, allow: str = "") -> str | None:
    """The first control character in `text` not in `allow`, or None."""
    for ch in text:
        if ch not in allow and is_control(ch):
            return ch
    return None


def describe(ch: str) -> str:
    """How a refused character is named in a message: `\\x1b`, `\\u202e`, or `\\xff` for a byte
    that was not UTF-8 (Python carries those as surrogates)."""
    code = ord(ch)
    if 0xDC80 <= code <= 0xDCFF:  # surrogateescape: the original byte
        return f"\\x{code - 0xDC00:02x}"
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}"


def visible(text: Any, *, newlines: bool = True, limit: int | None = None) -> str:
    """`text` with every control character shown as its escape (`\\x1b`); with `newlines=False`
    a newline or tab becomes a space (one-line places: table cells, messages). `limit` cuts
    what is longer (with …), for values echoed in messages."""
    s = "" if text is None else str(text)
    if limit is not None and len(s) > limit:
        s = s[:limit] + "…"
    if s.isprintable() or not _CHANGED[newlines].search(s):  # the common cases, fast
        return s
    out = []
    for ch in s:
        if ch == "\n" and newlines:
            out.append(ch)
        elif ch in "\n\t\r" and not newlines:
            out.append(" ")
        elif ch == "\t":
            out.append(ch)
        elif is_control(ch):
            out.append(describe(ch))
        else:
            out.append(ch)
    return "".join(out)


# JSON: json.dumps escapes C0 controls itself; DEL, C1 controls (0x9b is CSI to some terminals),
# the invisible format characters and lone surrogates are escaped here too, so a JSON document
# printed to a terminal carries no control sequence and stays valid UTF-8.
_JSON_ESCAPES = {
    c: f"\\u{c:04x}" for c in [*range(0x7F, 0xA0), *map(ord, _INVISIBLE), *range(0xD800, 0xE000)]
}
_NEEDS_ESCAPE = re.compile("[\x7f-\x9f\ud800-\udfff" + "".join(sorted(_INVISIBLE)) + "]")


def safe_json(data: Any, **kwargs: Any) -> str:
    """json.dumps(ensure_ascii=False) that is safe to print: see _JSON_ESCAPES."""
    text = json.dumps(data, ensure_ascii=False, **kwargs)
    if _NEEDS_ESCAPE.search(text) is None:
        return text
    return text.translate(_JSON_ESCAPES)

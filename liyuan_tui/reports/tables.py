"""What the month report and the handover sheet both print: names in the user's language, pipe
tables that line up as plain text, and cells made safe for where they go — Markdown that never
turns a unit into a link or HTML, CSV cells Excel never runs as formulas (OWASP's CSV injection
advice), and no control character anywhere."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from liyuan_tui.domain.i18n import Translator
from liyuan_tui.domain.procedures import Procedures
from liyuan_tui.domain.safe_text import visible

NO_CATEGORY = "none"  # requests whose intake never chose a category


class Namer:
    """Category, channel, status and outcome names in the user's language."""

    def __init__(self, t: Translator, procedures: Procedures) -> None:
        self.t, self.procedures = t, procedures
        self._categories: dict[str, str] = {}  # (asked once a row of a long list)

    def category(self, key: str) -> str:
        name = self._categories.get(key)
        if name is None:
            proc = self.procedures.get(key) if key != NO_CATEGORY else None
            name = self._categories[key] = proc.name(self.t.lang) if proc else self.t("report.no_category")
        return name

    def __call__(self, kind: str, key: str) -> str:
        if kind == "category":
            return self.category(key)
        prefix = {"outcome": "report.outcome_kind"}.get(kind, kind)
        return self.t(f"{prefix}.{key}")


# Markdown punctuation that could make a link, an image, HTML, code, emphasis, strikethrough, an
# entity or a table cell of data.
_MD_ESCAPES = str.maketrans({c: "\\" + c for c in "\\`*[]<>|~"})
# What a GitHub-flavoured renderer turns into a link by itself (its autolink extension; markdown-it
# and pandoc's linkify alike): a scheme's ":" before "/", the "." of a domain (www.x.cn, x.com,
# a@b.cn), an e-mail's "@". A backslash before each breaks the pattern and renders as nothing.
_LINKABLE = re.compile(r"(?<=[A-Za-z]):(?=/)|(?i:(?<=mailto)|(?<=tel)|(?<=sms)):|(?<=\w)\.(?=[^\W\d_])|@")
_EMPHASIS_UNDERSCORE = re.compile(r"(?<!\w)_|_(?!\w)")  # (inside a word, _ is no emphasis in GFM)
_ENTITY = re.compile(r"&(?=#?\w+;)")
# Whatever the three above could change (more than they do): most cells (times, figures, names)
# have none of it, and one search is cheaper than three substitutions on a long list.
_MAYBE_MARKUP = re.compile(r"[_&@]|[^\W\d_]:|\w\.[^\W\d_]")
# At the start of a line: what opens a heading, a list, a quote, a rule, a fence or a setext underline.
_BLOCK_START = re.compile(r"^(\s*)(#|>|[-+*=_](?=\s|[-+*=_]|$)|\d+(?=[.)](?:\s|$)))")


def md_text(text: Any) -> str:
    """One line of Markdown showing `text` as it is in every renderer: controls made visible,
    whitespace runs one space, punctuation that would be read as Markdown escaped with a
    backslash, and nothing a GitHub-flavoured renderer would make a link (a bare URL, www., an
    e-mail address)."""
    shown = visible(text, newlines=False)
    if " " in shown or not shown.isprintable():
        shown = " ".join(shown.split())
    return _inline(shown)


def _inline(shown: str) -> str:
    """What would be Markdown inside a line escaped (of one text, or of texts one a line)."""
    shown = shown.translate(_MD_ESCAPES)
    if _MAYBE_MARKUP.search(shown) is None:
        return shown
    shown = _EMPHASIS_UNDERSCORE.sub(r"\\_", shown)
    shown = _ENTITY.sub(r"\\&", shown)
    return _LINKABLE.sub(lambda m: "\\" + m.group(0), shown)


_SPACE_RUNS = re.compile(r" {2,}")
_EDGE_SPACE = re.compile(r"^ | $", re.M)


def md_texts(texts: list[str]) -> list[str]:
    """[md_text(x) for x in texts], a long list faster: the printable ones (a printable text's
    only whitespace is the space) escaped together, one text a line, as one string — every
    pattern of md_text stops at a line's end as at a text's end."""
    out = [md_text(x) if not x.isprintable() else None for x in texts]
    plain = [x for x in texts if x.isprintable()]
    if not plain:
        return [x for x in out if x is not None]
    joined = "\n".join(plain)
    if " " in joined:
        joined = _EDGE_SPACE.sub("", _SPACE_RUNS.sub(" ", joined))
    done = iter(_inline(joined).split("\n"))
    return [next(done) if x is None else x for x in out]


def md_line(text: Any) -> str:
    """A line of a person's text on a line of its own (the analysis): md_text, and what would open
    a heading, a list, a quote, a rule or a fence at its start escaped too."""
    line = md_text(text)
    m = _BLOCK_START.match(line)
    if m is None:
        return line
    mark = m.group(2)
    if mark[0].isdigit():  # "1." or "1)": the dot or bracket after the number
        end = m.end(2)
        return line[:end] + "\\" + line[end:]
    return line[: m.start(2)] + "\\" + line[m.start(2) :]


def md_quote(lines: list[str]) -> list[str]:
    """Lines (already md_line) as a quoted block of their own: a hard break (a backslash) between
    two lines of one paragraph, an empty line a paragraph break."""
    out = []
    for i, line in enumerate(lines):
        more = i + 1 < len(lines) and lines[i + 1] != ""
        out.append(f"> {line}\\" if line and more else (f"> {line}" if line else ">"))
    return out


_cell = md_text


class Said(str):
    """Text a person, a file or another program gave (a unit, a phone, a name, an outcome): in a
    spreadsheet it stays text, whatever it looks like (0101, 13800138000, 3/4, 12:30, 50%, TRUE)."""


# A cell starting with one of these is a formula to a spreadsheet.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?%?")
# Read with the other separator (a comma file opened with ";" ticked, as LibreOffice allows and
# German or French Excel does), the text after a "," or ";" starts a cell of its own: a formula
# character there (after spaces or quotes) is a formula too.
_SEPARATED_FORMULA = re.compile(r"([,;\t])([\s\"']*)(?=[=+\-@])")
# What a spreadsheet turns into a number, a date, a time, a share or a truth value on opening.
_LOOKS_CONVERTED = re.compile(
    r"""\s*(?:
        [+-]?[\d.,]*\d[\d.,\s]*%?              # 0101, 13800138000, 1,5, 50%
      | [+-]?\d+(?:\.\d+)?[eE][+-]?\d+          # 1e5
      | \d+\s*/\s*\d+(?:\s*/\s*\d+)?            # 3/4, 1/2/2026
      | \d{1,4}[-.]\d{1,2}(?:[-.]\d{1,4})?        # 3-12, 2026-11-27
      | \d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s*[AaPp][Mm])?  # 12:30, 7:05 pm
      | [$¥€£]\s*[\d,.]+ | \([\d,.]+\)           # $5, (12) accounting minus
      | (?i:true|false)
    )\s*""",
    re.X,
)


def looks_converted(text: str) -> bool:
    """Whether a spreadsheet opening this text would make it a number, date, time or boolean."""
    return bool(_LOOKS_CONVERTED.fullmatch(text))


def csv_cell(value: Any) -> str:
    """A CSV cell a spreadsheet shows as written, whichever separator it reads with (OWASP's CSV
    injection advice): one starting with = + - @ tab or CR gets a leading apostrophe (a plain
    number of our own such as -3 or +12.5% stays a number), as does a formula character after a
    "," or ";" inside it; and text from a person (`Said`) that a spreadsheet would convert into a
    number, date, time or truth value (0101 → 101) gets the apostrophe that keeps it text."""
    text = visible(value)
    if isinstance(value, Said):
        if looks_converted(text) or text.startswith(_FORMULA_START):
            text = "'" + text
    elif text.startswith(_FORMULA_START) and not _PLAIN_NUMBER.fullmatch(text):
        text = "'" + text
    if "," not in text and ";" not in text and "\t" not in text:  # (the common case, fast)
        return text
    return _SEPARATED_FORMULA.sub(r"\1\2'", text)


def csv_rows(rows: Iterable[Iterable[Any]]) -> list[list[str]]:
    return [[csv_cell(c) for c in row] for row in rows]


def md_table(header: list[str], rows: list[list[str]]) -> list[str]:
    """A pipe table padded by terminal cells, so it lines up as plain printed text too."""
    from rich.cells import cell_len

    # Each column's distinct texts escaped at once (a long list repeats names, categories and
    # durations; its refs, units and times are many): md_texts, then each cell looked up.
    columns = []
    for j, head in enumerate(header):
        cells = [head, *(r[j] for r in rows)]
        if not all(isinstance(c, str) for c in cells):  # (1 and True are equal keys, not texts)
            columns.append([(x, len(x) if x.isascii() else cell_len(x)) for x in map(md_text, cells)])
            continue
        distinct = list(dict.fromkeys(cells))
        shown = {
            c: (x, len(x) if x.isascii() else cell_len(x))
            for c, x in zip(distinct, md_texts(distinct), strict=True)
        }
        columns.append([shown[c] for c in cells])
    widths = [max(3, *(n for _, n in column)) for column in columns]
    padded = [[x + " " * (w - n) for x, n in column] for column, w in zip(columns, widths, strict=True)]
    lines = ["| " + " | ".join(cells) + " |" for cells in zip(*padded, strict=True)]
    return [lines[0], "|" + "|".join("-" * (w + 2) for w in widths) + "|", *lines[1:]]


def governed_by(proc: Any, t: Translator) -> str:
    """Which company procedure governs a category's checklist, and — where the checklist is the
    shipped generic baseline, not the company's own text — a word saying so (a site that puts its
    own file in place loses the word with the baseline)."""
    if proc is None or proc.refers_to is None:
        return ""
    said = t("ui.request.governed_by", procedure=proc.refers_to(t.lang))
    return said + (t("ui.request.baseline_note") if proc.baseline is not None else "")


def escalated_to_name(value: str | None, t: Translator, names: dict[str, str] | None = None) -> str:
    """Whom a request was escalated to, in words: a role ("cs_supervisor": every supervisor) by its
    name, a person by theirs (`names`: login → name)."""
    if not value:
        return ""
    name = t(f"role.{value}")
    if name != f"role.{value}":
        return name
    return (names or {}).get(value, value)

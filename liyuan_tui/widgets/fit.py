"""Text that fits the cells it is given: what a person typed (a unit like `12栋地下车库B2`, a
name) cut with an ellipsis, never cut off silently; widths in terminal cells (CJK counts two)."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text


def fit(value: str | Text, width: int) -> Text:
    """`value` in at most `width` cells; cut, it ends with "…". A Text keeps its styles; a str
    becomes a Text (so a "[" in it is never read as markup)."""
    text = value.copy() if isinstance(value, Text) else Text(value)
    text.no_wrap = True
    if width <= 0:
        return Text()
    if text.cell_len <= width:
        return text
    # Whole characters only (Rich's own cut pads half a wide character with a space).
    used = end = 0
    for char in text.plain:
        if used + cell_len(char) > width - 1:
            break
        used += cell_len(char)
        end += 1
    cut = text[:end]
    cut.append("…")
    return cut


def padded(value: str | Text, width: int) -> Text:
    """`value` fitted between one-space margins in exactly `width` cells (a table's cell)."""
    inner = fit(value, width - 2)
    # One run of text with the value's own style, margins included: a repainted countdown is then
    # one escape sequence to the terminal, not three.
    out = Text(" " + inner.plain + " " * (width - 1 - inner.cell_len), style=inner.style, no_wrap=True)
    out.spans = [span.move(1) for span in inner.spans]
    return out


def shared_widths(wanted: list[int], room: int, floors: list[int]) -> list[int]:
    """Column widths that fit `room` cells: each column its wanted width, or, when they do not
    all fit, the widest ones cut down (never below their floor) until they do."""
    widths = list(wanted)
    while sum(widths) > room:
        widest = max(range(len(widths)), key=lambda i: (widths[i] - floors[i], widths[i]))
        if widths[widest] <= floors[widest]:
            break
        widths[widest] -= 1
    return widths


__all__ = ["cell_len", "fit", "padded", "shared_widths"]

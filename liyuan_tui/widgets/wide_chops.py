"""Chinese drawn whole over other widgets (a toast over a dialog): a fix of Textual's compositor.

Textual paints each line of the screen in pieces ("chops") cut at every widget's left and right
edge on that line, whichever widget is on top. A widget on top (a toast, a dialog) whose text has
a Chinese character straddling the edge of a widget beneath it has that character cut in two,
and each half becomes a space: "已自动上报主管" over the close dialog showed as "已自动上报主"
(Textual issue 6357, open in the 8.2 series this desk pins).

The fix: where one widget wins both sides of a cut (nothing above it on either side), its line is
not cut there. Its piece then runs across the cut, and the piece after the cut is an empty
placeholder, so that nothing beneath claims it. A partial update reads each piece's true end from
the piece itself. Applied once, when the app module is imported (`apply`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from textual._compositor import ChopsUpdate, Compositor
from textual.geometry import Region
from textual.strip import Strip

EMPTY = Strip([], 0)


def render_chops(
    self: Compositor, crop: Region, is_rendered_line: Callable[[int], bool]
) -> Sequence[Mapping[int, Strip]]:
    """Compositor._render_chops, with no cut between two pieces of the same widget."""
    cuts = self.cuts
    chops: list[dict[int, Strip | None]] = [dict.fromkeys(cut_set[:-1]) for cut_set in cuts]
    for region, clip, strips in self._get_renders(crop):
        render_region = region.intersection(clip)
        render_x = render_region.x
        first_cut, last_cut = render_region.column_span
        for y, strip in zip(render_region.line_range, strips, strict=False):
            if not is_rendered_line(y):
                continue
            line = chops[y]
            final_cuts = [cut for cut in cuts[y] if last_cut >= cut >= first_cut]
            buckets = final_cuts[:-1]
            free = [line.get(cut) is None for cut in buckets]  # painting front to back: free = ours
            # Cut only where what is ours changes; a run of free buckets is one piece.
            starts = [i for i in range(len(buckets)) if i == 0 or free[i] != free[i - 1]]
            ends = [*(buckets[i] for i in starts[1:]), final_cuts[-1]] if buckets else []
            pieces = strip.divide([end - render_x for end in ends])
            for run, (start, piece) in enumerate(zip(starts, pieces, strict=False)):
                if not free[start]:
                    continue
                stop = starts[run + 1] if run + 1 < len(starts) else len(buckets)
                line[buckets[start]] = piece
                for i in range(start + 1, stop):
                    line[buckets[i]] = EMPTY
    return chops  # type: ignore[return-value]  # (every bucket filled: the screen has a background)


def render_partial_update(self: Compositor) -> ChopsUpdate | None:
    """Compositor.render_partial_update, each piece ending where it really ends."""
    screen_region = self.size.region
    update_regions = self._dirty_regions.copy()
    self._dirty_regions.clear()
    if not update_regions:
        return None
    crop = Region.from_union(update_regions).intersection(screen_region)
    spans = list(self._regions_to_spans(update_regions))
    is_rendered_line = {y for y, _, _ in spans}.__contains__
    chops = render_chops(self, crop, is_rendered_line)
    chop_ends = [
        [
            x + strip.cell_length if strip is not None and strip.cell_length else end
            for (x, strip), end in zip(line.items(), cut_set[1:], strict=False)
        ]
        for line, cut_set in zip(chops, self.cuts, strict=False)
    ]
    return ChopsUpdate(chops, spans, chop_ends)


def apply() -> None:
    """Install the fix in Textual's compositor (once; again is harmless)."""
    patched: Any = Compositor
    patched._render_chops = render_chops
    patched.render_partial_update = render_partial_update

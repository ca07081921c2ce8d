"""How often the desk takes in a storm of changes: every LOOK_GAP while that is cheap, less often
while a look and its drawing cost more than SHARE of a core, never less often than LONGEST_GAP."""

from __future__ import annotations

import pytest

from liyuan_tui.widgets.poller import LONGEST_GAP, LOOK_GAP, SHARE, look_gap


@pytest.mark.parametrize(
    ("cost", "gap"),
    [
        (0.0, LOOK_GAP),  # idle: a cheap look
        (LOOK_GAP * SHARE, LOOK_GAP),  # exactly the share at the shortest gap
        (0.08, 0.08 / SHARE),  # a look and its drawing took 80 ms: 0.4 s apart, a fifth of a core
        (0.5, LONGEST_GAP),  # however dear, a change still shows within a second
    ],
)
def test_a_dear_look_spaces_the_next_one(cost: float, gap: float) -> None:
    assert look_gap(cost) == pytest.approx(gap)
    assert LOOK_GAP <= look_gap(cost) <= LONGEST_GAP < 1.0

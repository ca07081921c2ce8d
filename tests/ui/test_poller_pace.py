"""How often the desk takes in a storm of changes: every LOOK_GAP while that is cheap, less often
while a look and its drawing cost more than SHARE of a core, never less often than LONGEST_GAP."""

from __future__ import annotations

import pytest

from liyuan_tui.widgets.poller import LONGEST_GAP, LOOK_GAP, SHARE, look_gap


@pytest.mark.parametrize(
    ("gap", "share", "next_gap"),
    [
        (LOOK_GAP, 0.0, LOOK_GAP),  # idle
        (LOOK_GAP, 0.05, LOOK_GAP),  # a change now and then: looked at at once, whatever it costs
        (LOOK_GAP, SHARE, LOOK_GAP),  # exactly the share at the shortest gap
        (LOOK_GAP, 0.3, LOOK_GAP * 0.3 / SHARE),  # a storm: spaced so the share comes back to SHARE
        (0.4, 0.1, LOOK_GAP),  # the storm over: back to the shortest gap
        (0.5, 0.9, LONGEST_GAP),  # however dear, a change still shows within a second
    ],
)
def test_a_dear_storm_spaces_the_looks(gap: float, share: float, next_gap: float) -> None:
    assert look_gap(gap, share) == pytest.approx(next_gap)
    assert LOOK_GAP <= look_gap(gap, share) <= LONGEST_GAP < 1.0

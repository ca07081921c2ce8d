"""The scorecard's records of people (issue 22): each person's commendations, rewards and penalties
and recommendations dated in the month (激励、人事推荐), and their training hours by kind (ethics,
image, skills: 职业道德和形象教育 beside skills) — read by the store (store/figures/desk.py,
`PersonRecords`), added up here for the team."""

from __future__ import annotations

from liyuan_tui.domain.desk_records import TRAINING_KINDS
from liyuan_tui.store.figures import PersonRecords


def team_training(people: dict[str, PersonRecords]) -> dict[str, float]:
    """The team's person-hours of training by kind."""
    total = dict.fromkeys(TRAINING_KINDS, 0.0)
    for p in people.values():
        for kind, hours in p.training_hours.items():
            total[kind] = round(total.get(kind, 0.0) + hours, 2)
    return total

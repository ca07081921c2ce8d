"""What a request says of itself from its own columns, for the ORM's row (models.Request) and for a
row read without the ORM (store/glance.RequestRow) alike."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .vocabulary import OPEN_STATUSES


class RequestFacts:
    if TYPE_CHECKING:  # (the columns, declared by each class itself; none here at run time)
        branches: str
        status: str

    @property
    def branch_list(self) -> list[str]:
        return [b for b in self.branches.split(",") if b]

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

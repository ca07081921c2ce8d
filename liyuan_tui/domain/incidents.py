"""Linked calls in a queue: the calls of one incident listed together under its first call (a
typhoon's thirty calls about one flood read as one incident, not thirty rows scattered by their
countdowns). Pure: takes requests and how to order them, returns them grouped."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from .models import Request


R = TypeVar("R", bound="Request")


def incident_of(req: Request) -> str:
    """The ref of the incident's first call (the request's own ref when it is on its own)."""
    return req.incident or req.ref


def grouped(reqs: Iterable[R], key: Callable[[R], Any]) -> list[tuple[R, bool]]:
    """`reqs` ordered by `key`, each incident's calls right after its first call (or, when the
    first call is not among them, together where the most urgent of them falls); each with
    whether it is listed under another (a linked call)."""
    ordered = sorted(reqs, key=key)
    groups: dict[str, list[R]] = {}
    for r in ordered:
        groups.setdefault(incident_of(r), []).append(r)
    out: list[tuple[R, bool]] = []
    for first_ref, members in groups.items():  # in the order of each group's most urgent call
        head = next((r for r in members if r.ref == first_ref), None)
        if head is not None:
            out.append((head, False))
        out += [(r, True) for r in members if r is not head]
    return out

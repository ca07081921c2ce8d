"""Estates (小区): a company with several runs them from one database; each request and staff
member belongs to one, and a desk shows its own estate's queue. A one-estate site never needs
more than the default estate (`main`)."""

from __future__ import annotations

from sqlmodel import select

from liyuan_tui.domain import validation as check
from liyuan_tui.domain.errors import ValidationError
from liyuan_tui.domain.events import EventKind
from liyuan_tui.domain.models import DEFAULT_ESTATE, Estate
from liyuan_tui.domain.permissions import Action

from .kernel import Kernel, Tx


class Estates:
    def __init__(self, kernel: Kernel) -> None:
        self.k = kernel

    def add_estate(self, code: str, name: str) -> Estate:
        code, name = check.estate(code), check.name(name)
        with self.k.write(Action.MANAGE_STAFF) as tx:
            if tx.s.get(Estate, code) is not None:
                raise ValidationError("error.estate_exists", "estate", value=code)
            estate = Estate(code=code, name=name or code)
            tx.add(estate)
            tx.s.flush()
            tx.record(None, EventKind.ESTATE_ADDED, {"code": code, "name": estate.name})
            return estate

    def list_estates(self) -> list[Estate]:
        with self.k.read() as s:
            listed = {e.code: e for e in s.exec(select(Estate))}
        listed.setdefault(DEFAULT_ESTATE, Estate(code=DEFAULT_ESTATE, name=""))
        return sorted(listed.values(), key=lambda e: (e.code != DEFAULT_ESTATE, e.code))


def known_estate(tx: Tx, code: str) -> str:
    """An estate a staff member may be put in: the default, or one added with `estate add`."""
    code = check.estate(code)
    if code != DEFAULT_ESTATE and tx.s.get(Estate, code) is None:
        raise ValidationError("error.estate_unknown", "estate", value=code)
    return code

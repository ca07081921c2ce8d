"""Typed handles on the desk's tables for the store's SQLAlchemy Core queries.

SQLModel sets `__table__` on every table class but does not declare it to type checkers, and a
table class's attributes are typed as their Python values (`Request.received_at` is a datetime to
mypy, not a column): `table(Request).c.received_at` and sqlmodel's `col(Request.received_at)` are
the typed ways to the column. `ident(row)` is a written row's id (None only before its insert).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from sqlalchemy import Table

if TYPE_CHECKING:
    from sqlmodel import SQLModel


def table(model: type[SQLModel]) -> Table:
    found = model.__table__  # type: ignore[attr-defined]  # (set on every table=True class)
    assert isinstance(found, Table), f"{model.__name__} is not a table"
    return found


class HasId(Protocol):
    @property
    def id(self) -> int | None: ...


def ident(row: HasId) -> int:
    """The id of a row that has been inserted (flushed); a row not yet written is a programming error."""
    if row.id is None:
        raise AssertionError(f"{type(row).__name__} has no id before it is written")
    return row.id

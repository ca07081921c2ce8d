"""Reading a table as a role may: only the columns the matrix lets the role read
(postgres_matrix.py: a guard or a technician never reads the household file's notes), the others
left at their defaults. On PostgreSQL the server refuses the rest; the desk asks for no more on
any engine, so what a role is shown never depends on the engine."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, select

from .postgres_matrix import MATRIX


def columns_for(table: str, role: str) -> tuple[str, ...] | None:
    """The columns `role` may read of `table` (None: every one)."""
    cell = MATRIX.get(table, {}).get("SELECT", {}).get(role)
    return cell.columns if cell is not None else None


def read_rows(
    s: Session, model: Any, role: str, *where: Any, order_by: Any = None, limit: int | None = None
) -> list[Any]:
    """`model`'s rows matching `where`, as detached objects holding what `role` may read."""
    columns = columns_for(model.__tablename__, role)
    if columns is None:
        stmt = select(model).where(*where)
    else:
        stmt = select(*(getattr(model, c) for c in columns)).where(*where)
    if order_by is not None:
        stmt = stmt.order_by(order_by)
    if limit is not None:
        stmt = stmt.limit(limit)
    if columns is None:
        return list(s.exec(stmt))
    return [model(**dict(row)) for row in s.execute(stmt).mappings()]

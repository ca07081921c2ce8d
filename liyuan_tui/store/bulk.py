"""Many rows at once through the driver's executemany, past SQLAlchemy's per-value work (bulk
imports, `Tx.insert_rows`): the time columns written as the desk's time columns store them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC
from typing import Any

from sqlalchemy import Connection


def insert_rows(
    conn: Connection,
    sqlite: bool,
    table: str,
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    times: Iterable[str] = (),
) -> bool:
    """Insert `rows` into `table` (a name of the desk's, never a caller's); True if any were."""
    if sqlite:
        at = [i for i, c in enumerate(columns) if c in set(times)]
        stored = []
        for row in rows:
            values = list(row)
            for i in at:
                values[i] = _stored(values[i])
            stored.append(tuple(values))
        rows = stored
    else:
        rows = list(rows)
    if not rows:
        return False
    marks = ", ".join("?" if sqlite else f"%({i})s" for i in range(len(columns)))
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"
    if sqlite:
        conn.exec_driver_sql(sql, rows)  # type: ignore[arg-type]
    else:
        conn.exec_driver_sql(sql, [{str(i): v for i, v in enumerate(r)} for r in rows])
    return True


def _stored(value: Any) -> Any:
    """A value as SQLite keeps it in the desk's tables: an aware time as naive UTC text."""
    if value is None:
        return None
    return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")

"""The desk's first look at a SQLite database, before the store is loaded: the acting user's staff
row, the staff's names and their estate's open requests, read read-only with the standard
library's sqlite3 — what is cheap to read while SQLAlchemy, SQLModel and the schema's tables are
still being imported (most of a desk's start-up). The desk's first frame (widgets/first_frame.py)
is drawn from it; the live desk replaces it a moment later.

It never writes, never makes a file and decides nothing: who may use the desk is the store's to
say, right after. Whatever it cannot read as it expects (no file, a lock held, another release's
schema, a login not on the staff list, acting for another login) it leaves alone: None, and the
desk opens as it always did. Beside the store in the layers (pyproject's contracts), not inside
it: importing the store package is what this is here to do without.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from urllib.parse import quote

from liyuan_tui.domain.vocabulary import OPEN_STATUSES

WAIT_MS = 200  # a database locked for longer is left to the store


@dataclass(frozen=True)
class FirstLook:
    me: Any  # the staff row: login, name, role, estate … (the attributes the domain's rules read)
    staff: dict[str, Any]  # login → row, for the holders' names
    requests: list[Any]  # the estate's open requests, with every column as an attribute


def first_look(path: Path, login: str) -> FirstLook | None:
    """What the desk of `login` shows first, or None (see the module's docstring)."""
    if not path.is_file():
        return None
    try:
        conn = sqlite3.connect(f"file:{quote(str(path))}?mode=ro", uri=True, timeout=WAIT_MS / 1000)
    except Exception:  # (whatever goes wrong is the store's to say, in its words: faults.py)
        return None
    try:
        conn.row_factory = sqlite3.Row
        staff = {row["login"]: _record(row) for row in conn.execute("SELECT * FROM staff")}
        me = staff.get(login)
        if me is None or not me.active:
            return None
        marks = ",".join("?" * len(OPEN_STATUSES))
        rows = conn.execute(
            f"SELECT * FROM request WHERE status IN ({marks}) AND estate = ?", (*OPEN_STATUSES, me.estate)
        )
        return FirstLook(me, staff, [_record(row) for row in rows])
    except Exception:  # locked, another release's schema, a value not as expected: the store's to say
        return None
    finally:
        conn.close()


def _record(row: sqlite3.Row) -> SimpleNamespace:
    """A row as the ORM would give it: times aware (stored naive UTC, as models.UTCDateTime does),
    flags as booleans."""
    values: dict[str, Any] = {}
    for key in row.keys():  # noqa: SIM118 (a Row is not a mapping)
        value = row[key]
        if key.endswith("_at") and isinstance(value, str):
            value = datetime.fromisoformat(value).replace(tzinfo=UTC)
        elif key in ("major", "confidential", "active"):
            value = bool(value)
        values[key] = value
    return SimpleNamespace(**values)

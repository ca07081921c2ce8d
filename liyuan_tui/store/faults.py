"""Database errors said as the desk's own refusals, here and nowhere else.

Whatever the driver raises — SQLAlchemy's wrapped errors (OperationalError, IntegrityError …),
sqlite3's own (the kernel's journal keeper, backups, `liyuan check`'s lock probe) or psycopg's
(LISTEN, the site set-up's maintenance connection) — leaves the store as a `DeskError`:

    a lock held past the timeout ("database is locked")  DatabaseBusy: who may hold it, try again
    anything else (a server gone, a file that is not a    DatabaseFault: "error.database" with the
    database, a constraint the checks did not foresee)    database and the driver's reason, one line

The kernel runs every session inside `said()`; the store's few other ways to the database (the
journal keeper, backups, copies, the check's probes, the PostgreSQL set-up and LISTEN) do too.
So the command line and the screens catch `DeskError` only, and say it in the user's language.
"""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy.exc import ArgumentError, DBAPIError, IntegrityError

from liyuan_tui.domain.errors import DeskError

from .dbfiles import DatabaseBusy, busy_refusal
from .urls import shown_url

BUSY_WORDS = ("locked", "busy")


class DatabaseFault(DeskError):
    """The database failed under the desk (a server gone, a damaged file …): nothing was written."""


def _driver_errors() -> tuple[type[BaseException], ...]:
    kinds: tuple[type[BaseException], ...] = (DBAPIError, sqlite3.Error)
    if "psycopg" in sys.modules:  # (never imported just to ask: a SQLite desk does not load it)
        import psycopg

        kinds += (psycopg.Error,)
    return kinds


def reason(exc: BaseException) -> str:
    """The driver's own words, on one line."""
    inner = getattr(exc, "orig", None) or exc
    return " ".join(str(inner).split())


def is_busy(exc: BaseException) -> bool:
    said = reason(exc)
    return any(word in said for word in BUSY_WORDS)


def refusal(
    exc: BaseException, url: str, path: Path | None, timeout_ms: int | None = None
) -> DeskError | None:
    """The refusal a database error is said as; None for an error that is not the database's."""
    if isinstance(exc, DeskError):
        return exc
    if not isinstance(exc, _driver_errors()):
        return None
    if is_busy(exc):
        return busy_refusal(path, url, timeout_ms)
    return DatabaseFault("error.database", path=shown_url(url), reason=reason(exc))


@contextmanager
def said(url: str, path: Path | None = None, timeout_ms: int | None = None) -> Iterator[None]:
    """Run a piece of database work; a database error leaves it as a DeskError."""
    try:
        yield
    except DeskError:
        raise
    except Exception as exc:
        desk = refusal(exc, url, path, timeout_ms)
        if desk is None:
            raise
        raise desk from (None if isinstance(desk, DatabaseBusy) else exc)


@contextmanager
def url_refused(url: str) -> Iterator[None]:
    """Making an engine: an unknown kind of URL or a missing driver is a one-line refusal."""
    try:
        yield
    except (ArgumentError, ImportError, ValueError) as exc:
        raise DeskError("error.db_url", "db", url=shown_url(url), reason=str(exc)) from None


@contextmanager
def unique_or(refused: DeskError) -> Iterator[None]:
    """A unique constraint the database enforces, said as `refused` (e.g. a login already on the
    staff list that the transaction could not see)."""
    try:
        yield
    except IntegrityError:
        raise refused from None


__all__ = [
    "BUSY_WORDS",
    "DatabaseBusy",
    "DatabaseFault",
    "is_busy",
    "reason",
    "refusal",
    "said",
    "unique_or",
    "url_refused",
]

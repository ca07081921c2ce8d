"""Database errors said as the desk's own refusals, here and nowhere else.

Whatever the driver raises — SQLAlchemy's wrapped errors (OperationalError, IntegrityError …),
sqlite3's own (the kernel's journal keeper, backups, `liyuan check`'s lock probe) or psycopg's
(LISTEN, the site set-up's maintenance connection) — leaves the store as a `DeskError`:

    a lock held past the timeout ("database is locked")  DatabaseBusy: who may hold it, try again
    a server down or not there, a login it refuses or     DatabaseFault naming what failed and what
    has stopped, a database it does not have, a           to do (error.db_unreachable,
    privilege the role lacks                              db_login_refused, db_login_stopped,
                                                          db_missing, db_privilege)
    anything else (a file that is not a database, a       DatabaseFault: "error.database" with the
    constraint the checks did not foresee)                database and the driver's first line

never the driver's raw text over several lines, nor a link to its manual.

The kernel runs every session inside `said()`; the store's few other ways to the database (the
journal keeper, backups, copies, the check's probes, the PostgreSQL set-up and LISTEN) do too.
So the command line and the screens catch `DeskError` only, and say it in the user's language.
"""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy.exc import ArgumentError, DBAPIError, IntegrityError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from liyuan_tui.domain.clock import pause
from liyuan_tui.domain.errors import DeskError

from .dbfiles import DatabaseBusy, busy_refusal
from .urls import is_postgres, shown_url

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


MAX_REASON = 160
UNREACHABLE = (
    "connection refused",
    "no such file or directory",
    "could not connect",
    "timeout expired",
    "server closed the connection",
    "could not translate host name",
)


# A server's lines after its message: what it quoted of the statement, where, and its advice.
_ASIDES = ("DETAIL:", "HINT:", "CONTEXT:", "LINE ", "^")


def said_briefly(exc: BaseException) -> str:
    """The driver's message on one line, without its "FATAL:"/"connection failed:" prefixes nor
    the server's asides (the statement quoted, a hint), kept short."""
    inner = getattr(exc, "orig", None) or exc
    lines = [line for line in str(inner).strip().splitlines() if not line.strip().startswith(_ASIDES)]
    text = " ".join(lines) if lines else type(inner).__name__
    for prefix in ("connection failed: ", "FATAL:  ", "FATAL: ", "ERROR:  ", "ERROR: "):
        text = text.replace(prefix, "")
    text = " ".join(text.split())
    return text if len(text) <= MAX_REASON else text[: MAX_REASON - 1] + "…"


def plain_failure(exc: BaseException, url: str) -> DatabaseFault:
    """What failed, in one plain line naming the database: a server that is down or not there, a
    login it refuses or has stopped, a database it does not have, a privilege the role lacks."""
    inner = getattr(exc, "orig", None) or exc
    state = getattr(inner, "sqlstate", None) or getattr(getattr(inner, "diag", None), "sqlstate", None)
    where = shown_url(url)
    why = said_briefly(exc)
    low = str(inner).lower()
    # (a refusal while connecting carries no SQLSTATE: told apart by the server's words)
    if state == "42501":
        return DatabaseFault("error.db_privilege", path=where, reason=why)
    if "not permitted to log in" in low:
        return DatabaseFault("error.db_login_stopped", path=where)
    if state == "3D000" or ("database" in low and "does not exist" in low):
        return DatabaseFault("error.db_missing", path=where)
    if (
        state in ("28000", "28P01")
        or "authentication failed" in low
        or ("role" in low and "does not exist" in low)
    ):
        return DatabaseFault("error.db_login_refused", path=where, reason=why)
    if state is None and is_postgres(url) and any(word in low for word in UNREACHABLE):
        return DatabaseFault("error.db_unreachable", path=where)
    return DatabaseFault("error.database", path=where, reason=why)


def is_busy(exc: BaseException) -> bool:
    said = reason(exc)
    return any(word in said for word in BUSY_WORDS)


def refusal(
    exc: BaseException, url: str, path: Path | None, timeout_ms: int | None = None
) -> DeskError | None:
    """The refusal a database error is said as; None for an error that is not the database's."""
    if isinstance(exc, DeskError):
        return exc
    if isinstance(exc, PoolTimeout):  # the desk's one connection not free in time (engine.py)
        return busy_refusal(path, url, timeout_ms)
    if not isinstance(exc, _driver_errors()):
        return None
    if is_busy(exc):
        return busy_refusal(path, url, timeout_ms)
    return plain_failure(exc, url)


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


CATALOG_BUSY = ("concurrently", "duplicate key")


def again_while_catalog_busy(run: Callable[[], None], attempts: int = 8) -> None:
    """Run `run` (changes to the cluster's shared catalog: its roles), again a little later while
    another database's set-up changes the same rows at the same moment ("tuple concurrently
    updated", a role made meanwhile); any other error, or the last attempt's, leaves as it came."""
    for attempt in range(attempts):
        try:
            run()
            return
        except DBAPIError as exc:
            if not any(word in str(exc) for word in CATALOG_BUSY) or attempt == attempts - 1:
                raise
            pause(0.2 * (attempt + 1))


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
    "again_while_catalog_busy",
    "is_busy",
    "plain_failure",
    "reason",
    "refusal",
    "said",
    "unique_or",
    "url_refused",
]

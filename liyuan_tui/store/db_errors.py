"""A database failure said in one plain line, naming what failed and what to do: a server that is
down or not there, a login it refuses or has stopped, a database it does not have, a privilege
the role lacks — never the driver's raw text over several lines, nor a link to its manual. Used
by the command line (cli/main.py), the screens (widgets/store_work.py) and the administrator's
commands (copy, site init), each naming the database the failure was about."""

from __future__ import annotations

from liyuan_tui.domain.errors import DeskError

from .engine import shown_url

MAX_REASON = 160


def _reason(orig: BaseException) -> str:
    """The driver's first line, without its "FATAL:"/"connection failed:" prefixes."""
    text = str(orig).strip().splitlines()[0] if str(orig).strip() else type(orig).__name__
    for prefix in ("connection failed: ", "FATAL:  ", "FATAL: ", "ERROR:  ", "ERROR: "):
        text = text.replace(prefix, "")
    text = " ".join(text.split())
    return text if len(text) <= MAX_REASON else text[: MAX_REASON - 1] + "…"


def plain_failure(exc: BaseException, url: str) -> DeskError:
    """The refusal to show for `exc` (a SQLAlchemy DBAPIError, or the driver's own error)."""
    orig = getattr(exc, "orig", None) or exc
    state = getattr(orig, "sqlstate", None) or getattr(getattr(orig, "diag", None), "sqlstate", None)
    where = shown_url(url)
    reason = _reason(orig)
    low = str(orig).lower()
    # (a refusal while connecting carries no SQLSTATE: told apart by the server's words)
    if state == "42501":
        return DeskError("error.db_privilege", path=where, reason=reason)
    if "not permitted to log in" in low:
        return DeskError("error.db_login_stopped", path=where)
    if state == "3D000" or ("database" in low and "does not exist" in low):
        return DeskError("error.db_missing", path=where)
    if (
        state in ("28000", "28P01")
        or "authentication failed" in low
        or ("role" in low and "does not exist" in low)
    ):
        return DeskError("error.db_login_refused", path=where, reason=reason)
    if state is None and any(word in low for word in UNREACHABLE):
        return DeskError("error.db_unreachable", path=where)
    return DeskError("error.database", path=where, reason=reason)


UNREACHABLE = (
    "connection refused",
    "no such file or directory",
    "could not connect",
    "timeout expired",
    "server closed the connection",
    "could not translate host name",
)

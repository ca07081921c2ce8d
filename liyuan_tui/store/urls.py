"""Which database a URL names, said without opening it: a SQLite file or a PostgreSQL server, and
the URL as it may be printed. The command line decides with these what a command does (a backup
copies a file or dumps a server) before any store is opened."""

from __future__ import annotations

from pathlib import Path


def normalize_url(url: str) -> str:
    """`postgresql:///liyuan` (the local socket) and `postgres://…` use psycopg 3."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def is_postgres(url: str) -> bool:
    return normalize_url(url).startswith("postgresql+")


def shown_url(url: str) -> str:
    """The URL as it may be printed: never a password."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(normalize_url(url)).render_as_string(hide_password=True)
    except Exception:  # not a URL at all: say it as given
        return url


def sqlite_path(url: str) -> Path | None:
    prefix = "sqlite:///"
    if url.startswith(prefix) and url[len(prefix) :] not in ("", ":memory:"):
        return Path(url[len(prefix) :])
    return None

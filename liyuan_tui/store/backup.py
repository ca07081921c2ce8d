"""Copies of the database while terminals keep working: SQLite's online backup API, in small
steps, into a new file as private as the original (its integrity checked); on PostgreSQL,
`pg_dump` in its custom format."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote


def copy_database(source: Path, target: Path, progress: Callable[[int, int], None] | None = None) -> str:
    """Copy `source` into the new file `target` (never overwritten); returns the copy's
    integrity_check ("ok" when sound). `progress(pages copied, pages in all)` is told as it goes.
    A copy that does not finish (ctrl+c, a full disk) is removed: never a half-written backup."""
    fd = os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)  # a copy is as private as the original
    os.close(fd)
    try:
        # A URI (read-only), with the path quoted: a "?" or "#" in a folder name stays part of it.
        src = sqlite3.connect(
            f"file:{quote(os.fsencode(os.path.abspath(source)))}?mode=ro", uri=True, timeout=15
        )
        dst = sqlite3.connect(target)
        try:

            def step(_status: int, remaining: int, total: int) -> None:
                if progress is not None:
                    progress(total - remaining, total)

            src.backup(dst, pages=1024, progress=step)  # in steps, so writers are never held up for long
            return str(dst.execute("PRAGMA integrity_check").fetchone()[0])
        finally:
            dst.close()
            src.close()
    except BaseException:
        for suffix in ("", "-journal", "-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        raise


def dump_postgres(url: str, target: Path, role: str | None = None) -> None:
    """`pg_dump --format=custom` of the database `url` names into the new file `target`; with
    `role`, pg_dump becomes that role first (a site's `liyuan_backup`: it reads every row past
    row-level security, and nothing else)."""
    import shutil
    import subprocess

    from liyuan_tui.domain.errors import DeskError

    from .postgres_site import libpq_params

    params = libpq_params(url)
    pg_dump = shutil.which("pg_dump") or next(
        iter(sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_dump"))), None
    )
    if pg_dump is None:
        raise DeskError("error.pg_dump_missing")
    fd = os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)
    password = params.pop("password", None)
    conninfo = " ".join(f"{k}='{v}'" for k, v in params.items())
    command = [str(pg_dump), "--format=custom", "--file", str(target), "--dbname", conninfo]
    if role is not None:  # (a site: its event counter is the server's, set again by a restore's repair)
        command += [f"--role={role}", "--exclude-table=public.event_counter"]
    env = dict(os.environ, PGPASSWORD=password) if password else None
    try:
        done = subprocess.run(command, capture_output=True, text=True, env=env)
    except BaseException:  # ctrl+c: no half-written dump is left behind
        target.unlink(missing_ok=True)
        raise
    if done.returncode != 0:
        target.unlink(missing_ok=True)
        raise DeskError("error.pg_dump_failed", reason=" ".join(done.stderr.split())[:300])

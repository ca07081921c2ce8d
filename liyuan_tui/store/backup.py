"""Copies of a SQLite database while terminals keep working: SQLite's online backup API, in small
steps, into a new file as private as the original; the copy's integrity is checked."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from urllib.parse import quote


def copy_database(source: Path, target: Path) -> str:
    """Copy `source` into the new file `target` (never overwritten); returns the copy's
    integrity_check ("ok" when sound)."""
    fd = os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)  # a copy is as private as the original
    os.close(fd)
    try:
        # A URI (read-only), with the path quoted: a "?" or "#" in a folder name stays part of it.
        src = sqlite3.connect(f"file:{quote(os.fsencode(os.path.abspath(source)))}?mode=ro", uri=True, timeout=15)
        dst = sqlite3.connect(target)
        try:
            src.backup(dst, pages=1024)  # in steps, so writers are never held up for long
            return dst.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            dst.close()
            src.close()
    except BaseException:
        Path(target).unlink(missing_ok=True)  # no half copy left looking like a backup
        raise

"""Whether this login may reach a file the desk needs (the site's config, its database), and if
not, which group it must join: said in words instead of the system's "Permission denied"."""

from __future__ import annotations

import grp
import os
from pathlib import Path


def group_name(gid: int) -> str:
    try:
        return grp.getgrgid(gid).gr_name
    except KeyError:
        return str(gid)


def blocked_by(path: Path, *, write: bool = False) -> tuple[Path, str] | None:
    """(the file or folder in the way, its group) when this process cannot reach `path` — a
    folder on the way it may not pass through, or the file itself it may not read (or write);
    None when it can, or when nothing is there to reach (a missing file is another message)."""
    here = Path(path)
    for folder in reversed(here.parents):
        try:
            st = os.stat(folder)
        except FileNotFoundError:
            return None
        except PermissionError:
            return None  # the one above was in the way, and was said
        if not os.access(folder, os.X_OK):
            return folder, group_name(st.st_gid)
    try:
        st = os.stat(here)
    except FileNotFoundError:
        return None
    if not os.access(here, os.R_OK | (os.W_OK if write else 0)):
        return here, group_name(st.st_gid)
    return None

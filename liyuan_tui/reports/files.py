"""Writing an export (a month report, a handover sheet) to a file as private as the database:
0600, or 0640 in a group folder (setgid, like the desk's own 2770 folder) so the group can read it.
Every failure is a refusal naming the file, never a traceback."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from liyuan_tui.domain.errors import DeskError

PRIVATE = 0o600
GROUP_READABLE = 0o640


def export_mode(folder: Path) -> int:
    """0640 in a setgid (group-shared) folder, else 0600."""
    try:
        return GROUP_READABLE if os.stat(folder).st_mode & stat.S_ISGID else PRIVATE
    except OSError:
        return PRIVATE


def write_export(path: Path, text: str | bytes, *, overwrite: bool, field: str = "file") -> Path:
    """Write `text` (UTF-8, line ends as given; a workbook's bytes as they are) to `path`. An
    existing file is refused unless `overwrite` (exclusive create, so two terminals exporting at
    once cannot both think the name was free); a file made here gets export_mode()."""
    if path.is_dir():
        raise DeskError("screens.export.is_folder", field, path=str(path))
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise DeskError("screens.export.no_folder", field, path=str(folder))
    mode = export_mode(folder)
    data = text if isinstance(text, bytes) else text.encode("utf-8", errors="surrogateescape")
    try:
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
            created = True
        except FileExistsError:
            if not overwrite:
                raise DeskError("screens.export.exists", path=str(path)) from None
            fd = os.open(path, os.O_WRONLY | os.O_TRUNC)
            created = False
        try:
            if created:
                os.fchmod(fd, mode)  # exactly this, whatever the umask
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            if created or stat.S_ISREG(os.fstat(fd).st_mode):
                os.fsync(fd)
        finally:
            os.close(fd)
    except OSError as exc:
        raise DeskError(
            "screens.export.failed", field, path=str(path), reason=exc.strerror or str(exc)
        ) from None
    return path.resolve()

"""Writing an export (a month report, a handover sheet) to a file as private as the database:
0600, or 0640 in a group folder (setgid, like the desk's own 2770 folder) so the group can read it.
Every failure is a refusal naming the file, never a traceback."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import BinaryIO

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
    once cannot both think the name was free); the file written always gets export_mode(), whatever
    the mode of one it replaces: it is written beside and renamed over it (a link is replaced,
    never followed). A FIFO or a device is refused, never opened."""
    if path.is_dir():
        raise DeskError("screens.export.is_folder", field, path=str(path))
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise DeskError("screens.export.no_folder", field, path=str(folder))
    mode = export_mode(folder)
    data = text if isinstance(text, bytes) else text.encode("utf-8", errors="surrogateescape")
    try:
        existing = os.lstat(path)
    except FileNotFoundError:
        existing = None
    except OSError as exc:
        raise DeskError(
            "screens.export.failed", field, path=str(path), reason=exc.strerror or str(exc)
        ) from None
    if existing is not None:
        if not overwrite:
            raise DeskError("screens.export.exists", path=str(path))
        if not (stat.S_ISREG(existing.st_mode) or stat.S_ISLNK(existing.st_mode)):
            raise DeskError("error.special_file", field, path=str(path))
    target = path if existing is None else folder / f".{path.name}.{os.getpid()}.new"
    try:
        try:
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, mode)
        except FileExistsError:
            raise DeskError("screens.export.exists", path=str(path)) from None
        try:
            os.fchmod(fd, mode)  # exactly this, whatever the umask
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
        finally:
            os.close(fd)
        if target != path:
            os.replace(target, path)
    except OSError as exc:
        if target != path:
            Path(target).unlink(missing_ok=True)
        raise DeskError(
            "screens.export.failed", field, path=str(path), reason=exc.strerror or str(exc)
        ) from None
    return path.resolve()


def open_regular(path: str | Path, limit: int, field: str = "file") -> BinaryIO:
    """A file to read, opened without blocking and refused unless it is a regular file of at most
    `limit` bytes: a FIFO or a device (which would hang or never end) is never read from."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY)
    except OSError as exc:
        raise DeskError("import.unreadable", field, path=str(path), reason=exc.strerror or str(exc)) from None
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        raise DeskError("error.special_file", field, path=str(path))
    if info.st_size > limit:
        os.close(fd)
        raise DeskError("import.too_large", field, path=str(path), mb=limit // (1024 * 1024))
    os.set_blocking(fd, True)
    return os.fdopen(fd, "rb")

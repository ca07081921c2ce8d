"""What the desk's own writes changed, so each change travels once.

A store call made inside `recording()` collects, as committed, the events its transactions
recorded and the rows they added or changed (requests, step records, charges, work orders …): the
UI hands them on to whatever shows them, with no read after its own write. Their event ids are
remembered from just before the commit, so the desk's change watcher (watch.py), which looks for
other terminals' changes, never reads a recorded write back. Writes made outside a recording (the
deadline ladder's, recorded by the watcher itself) are read back like any other terminal's."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .rows import as_model

if TYPE_CHECKING:
    from liyuan_tui.domain.models import Event

    from .transaction import Tx


@dataclass
class Written:
    """The events and rows of the writes made inside one recording, as committed."""

    events: list[Event] = field(default_factory=list)
    rows: list[Any] = field(default_factory=list)


class Recorder:
    """The kernel's record of the desk's own writes (one per Kernel, shared by its threads)."""

    def __init__(self) -> None:
        self._local = threading.local()
        self._lock = threading.Lock()
        self._delivered: set[int] = set()  # event ids a recording delivers itself

    @contextmanager
    def recording(self) -> Iterator[Written]:
        """Collect what the writes made in this thread inside the block commit."""
        written = Written()
        outer = getattr(self._local, "written", None)
        self._local.written = written
        try:
            yield written
        finally:
            self._local.written = outer

    def _current(self) -> Written | None:
        return getattr(self._local, "written", None)

    def before_commit(self, tx: Tx) -> None:
        """The transaction's events are about to be visible: mark them delivered first, so the
        watcher that sees them already knows they are not another terminal's."""
        if self._current() is not None and tx.events:
            with self._lock:
                self._delivered.update(e.id for e in tx.events if e.id is not None)

    def rolled_back(self, tx: Tx) -> None:
        with self._lock:
            self._delivered.difference_update(e.id for e in tx.events if e.id is not None)

    def after_commit(self, tx: Tx) -> None:
        written = self._current()
        if written is not None:
            # (a row written without the ORM, rows.py, handed on as the ORM's, as the desk shows it)
            written.events.extend(as_model(e) for e in tx.events)
            written.rows.extend(as_model(r) for r in tx.rows)

    def delivered(self, after: int, upto: int) -> set[int]:
        """The event ids in (after, upto] a recording delivered; those up to `upto` are forgotten
        (the watcher has passed them)."""
        with self._lock:
            mine = {i for i in self._delivered if after < i <= upto}
            self._delivered = {i for i in self._delivered if i > upto}
        return mine

"""What every subcommand is handed: the settings, the clock, where to print, and the store,
opened on first use (so input is checked before any database is touched).

`ctx.out` and `ctx.err` show every control character as its escape: whatever a line carries (a
unit from an old database, a name from a site's file, a refused value), no escape sequence reaches
the terminal raw. Rich tables and whole documents go to `ctx.raw_out` with their data already
made safe (the tables' cells are Text, the exports' cells are escaped).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TextIO

from liyuan_tui.domain.clock import Clock
from liyuan_tui.domain.config import Settings
from liyuan_tui.domain.i18n import Translator
from liyuan_tui.domain.safe_text import visible

if TYPE_CHECKING:  # (the store, and the ORM under it, imported when a command first asks for it)
    from liyuan_tui.domain.models import Staff
    from liyuan_tui.domain.procedures import Procedures
    from liyuan_tui.store import Glance, Store


class VisibleText:
    """A text stream that writes control characters (other than newline and tab) as escapes."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        return self.stream.write(visible(text))

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)


@dataclass
class Context:
    """What a subcommand needs: settings, clock, translator, and the store once opened."""

    settings: Settings
    clock: Clock
    out: TextIO = field(default_factory=lambda: sys.stdout)
    err: TextIO = field(default_factory=lambda: sys.stderr)
    _store: Store | None = None
    _glance: Glance | None = None
    _procedures: Procedures | None = None
    _kept: list[Store] = field(default_factory=list)
    # Only the desk itself (`liyuan`) may make the personal default database on its first run
    # (`init` makes one on purpose): a command that reads or records never does.
    may_create: bool = False

    def __post_init__(self) -> None:
        self.raw_out, self.raw_err = self.out, self.err
        self.out = VisibleText(self.out)  # type: ignore[assignment]
        self.err = VisibleText(self.err)  # type: ignore[assignment]

    @property
    def t(self) -> Translator:
        return Translator(self.settings.lang)

    @property
    def procedures(self) -> Procedures:
        """The user's procedure files (with the shipped ones), loaded without touching the
        database: in force on a personal database only, elsewhere what a supervisor publishes;
        the rules in force are `ctx.store.procedures`."""
        if self._procedures is None:
            from liyuan_tui.domain.procedure_files import load_procedures

            self._procedures = load_procedures(self.settings.procedures_dir)
        return self._procedures

    def use_procedures(self, procedures: Procedures) -> None:
        self._procedures = procedures

    @property
    def store(self) -> Store:
        """The store for the acting user. Nothing is read or created until its first call: the
        store checks a command's input before it opens the database (and makes the first user
        of a new one its supervisor, which is said here)."""
        if self._store is None:
            from liyuan_tui.store.opening import store_for

            # The user's own procedure files count only on a personal database (store/rules.py).
            own = self.procedures if self.settings.db_is_personal_default else None
            self._store = store_for(self.settings, self.clock, own, may_create=self.may_create)
            self._store.on_first_user(
                lambda login: print(self.t("cli.first_user", login=login), file=self.err)
            )
        return self._store

    @property
    def glance(self) -> Glance:
        """The same database read without the ORM (store/glance.py), for a command that only
        reads what a program calling the desk asks for (`queue --json`): opened on first use."""
        if self._glance is None:
            from liyuan_tui.store.opening import glance_for

            # (the user's own procedure files: loaded, as the store's, only if none are published)
            own = self._procedures if self.settings.db_is_personal_default else None
            self._glance = glance_for(self.settings, self.clock, own)
        return self._glance

    @property
    def me(self) -> Staff:
        return self.store.identity()

    def use(self, settings: Settings) -> None:
        """Work on other settings from now on (the demo's database)."""
        self.close()
        self.settings = settings
        self._store = self._glance = None

    def keep(self, store: Store) -> Store:
        """Another store this command opened (the pager's own): closed with the context."""
        self._kept.append(store)
        return store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
        if self._glance is not None:
            self._glance.close()
        for store in self._kept:
            store.close()
        self._kept.clear()

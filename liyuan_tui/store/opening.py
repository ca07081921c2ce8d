"""Opening the desk's store for a user: the same steps for the command line and the app."""

from __future__ import annotations

from dataclasses import dataclass

from liyuan_tui.domain.clock import Clock
from liyuan_tui.domain.config import Settings
from liyuan_tui.domain.models import Staff
from liyuan_tui.domain.procedure_files import load_procedures
from liyuan_tui.domain.procedures import Procedures

from . import Store


@dataclass
class OpenedStore:
    store: Store
    me: Staff
    first_user: bool  # this run created the staff list and made the user a supervisor

    @classmethod
    def of(cls, store: Store) -> OpenedStore:
        """Open `store` now and identify its user (before a screen takes over the terminal)."""
        me, first = store.staff.ensure_identity()
        return cls(store, me, first)


def store_for(
    settings: Settings, clock: Clock, procedures: Procedures | None = None, *, may_create: bool = True
) -> Store:
    """The store the settings name, for the acting login; nothing is opened yet. `may_create`:
    the caller is the desk itself, which may make the personal default database on its first
    run; a command that only reads or records never makes one."""
    return Store(
        settings.db_url,
        clock,
        settings.login,
        procedures=procedures if procedures is not None else load_procedures(settings.procedures_dir),
        tz=settings.site_tz,  # refs and months are the site's; what a user sees is settings.tz
        os_login=settings.os_login,
        os_root=settings.os_root,
        # never a database named by flag, environment or config; the personal one by the desk only
        create=may_create and settings.db_is_personal_default,
        fees_file=settings.fees_file,  # read when first needed
        answers_dir=settings.answers_dir,  # read when first needed
    )


def open_store(settings: Settings, clock: Clock, procedures: Procedures | None = None) -> OpenedStore:
    """Open (creating if needed) the database and identify the user now. Raises UnknownUser for
    a login not on the staff list, ProcedureError for a malformed procedure file."""
    return OpenedStore.of(store_for(settings, clock, procedures))

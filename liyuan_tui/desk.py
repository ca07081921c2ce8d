"""Opening the desk's store for a user: the same steps for the command line and the app."""

from __future__ import annotations

from dataclasses import dataclass

from .clock import Clock
from .config import Settings
from .models import Staff
from .procedures import Procedures, load_procedures
from .store import Store


@dataclass
class OpenedStore:
    store: Store
    me: Staff
    first_user: bool  # this run created the staff list and made the user a supervisor


def open_store(settings: Settings, clock: Clock, procedures: Procedures | None = None) -> OpenedStore:
    """Open (creating if needed) the database and identify the user. Raises UnknownUser for a
    login not on the staff list, ProcedureError for a malformed procedure file."""
    store = Store(
        settings.db_url,
        clock,
        settings.login,
        procedures=procedures if procedures is not None else load_procedures(settings.procedures_dir),
        tz=settings.tz,
        os_login=settings.os_login,
    )
    store.fees_file = settings.fees_file  # read when first needed
    store.init_schema()
    me, first = store.ensure_identity()
    return OpenedStore(store, me, first)

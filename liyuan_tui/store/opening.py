"""Opening the desk's store for a user: the same steps for the command line and the app."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from liyuan_tui.domain.clock import Clock
from liyuan_tui.domain.config import Settings
from liyuan_tui.domain.procedure_files import load_procedures
from liyuan_tui.domain.procedures import Procedures

from . import Store

if TYPE_CHECKING:
    from liyuan_tui.domain.models import Staff

    from .glance import Glance


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
    run; a command that only reads or records never makes one.

    The user's own procedure folder, fee file and answers folder are followed only on a personal
    database (the default one, named by no flag, environment or config); on any other the site's published
    rules are in force, else the release's shipped files — a user's files there are for
    publishing (`liyuan rules publish`), never a way to change a site's rules (rules.py)."""
    personal = settings.db_is_personal_default
    if not personal:
        procedures = None
    return Store(
        settings.db_url,
        clock,
        settings.login,
        # (the fallback: read only if the site has published none, rules.py)
        procedures=procedures
        if procedures is not None
        else lambda: load_procedures(own_procedures(settings)),
        tz=settings.site_tz,  # refs and months are the site's; what a user sees is settings.tz
        os_login=settings.os_login,
        os_root=settings.os_root,
        # never a database named by flag, environment or config; the personal one by the desk only
        create=may_create and personal,
        fees_file=settings.fees_file if personal else None,  # read when first needed
        answers_dir=settings.answers_dir if personal else None,  # read when first needed
        own_rules=personal and bool(settings.procedures_dir or settings.fees_file or settings.answers_dir),
    )


def glance_for(settings: Settings, clock: Clock, procedures: Procedures | None = None) -> Glance:
    """What `store_for` opens, for reading only and without the ORM (glance.py): the same
    database, login and rules in force; the fallback procedures loaded only if none are published."""
    from .glance import Glance

    personal = settings.db_is_personal_default
    own = procedures if personal else None

    def fallback() -> Procedures:
        return own if own is not None else load_procedures(own_procedures(settings))

    return Glance(
        settings.db_url,
        clock,
        settings.login,
        procedures=fallback,
        tz=settings.site_tz,
        os_login=settings.os_login,
        os_root=settings.os_root,
        own_rules=personal and bool(settings.procedures_dir or settings.fees_file or settings.answers_dir),
    )


def own_procedures(settings: Settings) -> Path | None:
    """The user's procedure folder where it may be followed (a personal database), else None."""
    return settings.procedures_dir if settings.db_is_personal_default else None


def open_store(settings: Settings, clock: Clock, procedures: Procedures | None = None) -> OpenedStore:
    """Open (creating if needed) the database and identify the user now. Raises UnknownUser for
    a login not on the staff list, ProcedureError for a malformed procedure file."""
    return OpenedStore.of(store_for(settings, clock, procedures))

"""Setting up a PostgreSQL site (`liyuan site init --db postgresql:///liyuan --supervisor LOGIN`),
and copying a SQLite site into one (`liyuan copy --to URL`). Both are run by the cluster's
administrator (peer authentication as the `postgres` superuser, or root mapped to it)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import tzinfo
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, Table, func, insert, select, text
from sqlalchemy.engine import make_url
from sqlmodel import Session, col

from liyuan_tui.domain import validation as check
from liyuan_tui.domain.clock import Clock
from liyuan_tui.domain.errors import ValidationError
from liyuan_tui.domain.events import EventKind
from liyuan_tui.domain.models import Staff
from liyuan_tui.domain.procedures import Procedures

from . import faults
from .engine import WRITE, make_engine
from .kernel import Kernel, Tx
from .postgres import install_security, roles_enforced, sync_every_login
from .publishing import RulesFiles, publish_in
from .schema import check_revision, create_schema, desk_tables, revision_of
from .urls import normalize_url, shown_url

if TYPE_CHECKING:
    import psycopg


@dataclass(frozen=True)
class SiteReady:
    database: str
    created_database: bool
    created_schema: bool
    supervisor: str
    added_supervisor: bool


def libpq_params(url: str) -> dict[str, str]:
    """The connection settings a URL gives, as libpq's keywords (the query string's too)."""
    parsed = make_url(normalize_url(url))
    params = {k: str(v) for k, v in parsed.query.items() if isinstance(v, str)}
    for key, value in (
        ("host", parsed.host),
        ("port", parsed.port),
        ("user", parsed.username),
        ("password", parsed.password),
        ("dbname", parsed.database),
    ):
        if value:
            params[key] = str(value)
    return params


@contextmanager
def maintenance_connection(url: str) -> Iterator[psycopg.Connection[tuple[Any, ...]]]:
    """An autocommit connection to the server's `postgres` database, as the URL's user."""
    import psycopg

    params = dict(libpq_params(url), dbname="postgres")
    with faults.said(url):
        conn = psycopg.connect(psycopg.conninfo.make_conninfo(**params), autocommit=True, connect_timeout=10)
    with conn, faults.said(url):  # CREATE DATABASE refused to a role without CREATEDB …
        yield conn


def ensure_database(url: str) -> bool:
    """Create the database named in `url` if the server has none of that name (True then)."""
    name = check.database_name(make_url(normalize_url(url)).database or "")
    with maintenance_connection(url) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            return False
        conn.execute(f'CREATE DATABASE "{name}"')
    return True


def init_site(
    url: str,
    supervisor: str,
    clock: Clock,
    procedures: Procedures,
    tz: tzinfo | str,
    name: str = "",
    rules: RulesFiles | None = None,
) -> SiteReady:
    """The database (made if the server has none of that name), its schema, the roles the server
    enforces, the first supervisor (and the login role of everyone on the staff list: a site copied
    here first), and the site's first published rules (`rules`, read and checked before); a
    database error is said as the desk's refusal."""
    with faults.said(url):
        return _init_site(url, supervisor, clock, procedures, tz, name, rules)


def _init_site(
    url: str,
    supervisor: str,
    clock: Clock,
    procedures: Procedures,
    tz: tzinfo | str,
    name: str,
    rules: RulesFiles | None,
) -> SiteReady:
    supervisor = check.login(supervisor)
    rules = rules or RulesFiles.read(None, None)
    name = check.name(name) or supervisor
    created_db = ensure_database(url)
    engine = make_engine(url)
    try:
        with engine.connect().execution_options(**{WRITE: True}) as conn:
            revision = revision_of(conn)
            if revision is None:
                create_schema(conn)
            else:
                check_revision(revision)
            install_security(conn)
            added = _first_supervisor(conn, engine, supervisor, name, clock, procedures, tz, rules)
            conn.commit()
    finally:
        engine.dispose()
    return SiteReady(
        make_url(normalize_url(url)).database or "", created_db, revision is None, supervisor, added
    )


def _first_supervisor(
    conn: Connection,
    engine: Engine,
    login: str,
    name: str,
    clock: Clock,
    procedures: Procedures,
    tz: tzinfo | str,
    rules: RulesFiles,
) -> bool:
    admin = str(conn.execute(text("SELECT session_user")).scalar())
    kernel = Kernel(str(engine.url), clock, admin, procedures=procedures, tz=tz, engine=engine)
    with Session(bind=conn) as s:
        tx = Tx(kernel, conn, s)
        added = s.execute(select(Staff).where(col(Staff.login) == login)).scalar_one_or_none() is None
        if added:
            tx.add(Staff(login=login, name=name, role="cs_supervisor"))
            s.flush()
            tx.record(
                None,
                EventKind.STAFF_ADDED,
                {"login": login, "name": name, "role": "cs_supervisor", "site_init": True},
            )
        s.flush()
        sync_every_login(conn)
        publish_in(tx, rules, first=True)
        s.flush()
    return added


# --- copying a SQLite site ------------------------------------------------------------------------


@dataclass(frozen=True)
class Copied:
    counts: dict[str, int]  # table → rows copied (and found again in the target)


def copy_site(
    source: Engine,
    target_url: str,
    *,
    progress: Callable[[str, int, int], None] | None = None,
    batch: int = 2000,
) -> Copied:
    """Copy every row of every desk table (ids and times kept) into an empty PostgreSQL database,
    in one transaction; the counts are checked before it commits. A target that holds any desk
    row is refused. A database error is said as the desk's refusal (naming the target)."""
    with faults.said(target_url):
        return _copy_site(source, target_url, progress, batch)


def _copy_site(
    source: Engine, target_url: str, progress: Callable[[str, int, int], None] | None, batch: int
) -> Copied:
    with source.connect() as src:
        check_revision(revision_of(src) or "")
    created = ensure_database(target_url)
    target = make_engine(target_url)
    tables = list(desk_tables().sorted_tables)
    counts: dict[str, int] = {}
    try:
        with target.connect().execution_options(**{WRITE: True}) as dst, source.connect() as src:
            revision = revision_of(dst)
            if revision is None:
                create_schema(dst)
            else:
                check_revision(revision)
                held = [t.name for t in tables if dst.execute(select(func.count()).select_from(t)).scalar()]
                if held and roles_enforced(dst):  # the README's order: copy first, then site init
                    raise ValidationError("error.copy_after_site_init", "to", database=shown_url(target_url))
                if held:
                    raise ValidationError("error.copy_not_empty", "to", tables=", ".join(held))
            # Rows arrive as they were: no audit rows of the copy's own, no notifications.
            dst.exec_driver_sql("SET LOCAL session_replication_role = replica")
            for table in tables:
                total = src.execute(select(func.count()).select_from(table)).scalar() or 0
                done = 0
                for chunk in src.execute(select(table)).mappings().partitions(batch):
                    dst.execute(insert(table), [dict(r) for r in chunk])
                    done += len(chunk)
                    if progress is not None:
                        progress(table.name, done, total)
                found = dst.execute(select(func.count()).select_from(table)).scalar()
                if found != total:
                    raise ValidationError(
                        "error.copy_count", "to", table=table.name, source=total, target=found
                    )
                counts[table.name] = total
                _reset_sequence(dst, table)
            dst.commit()
    except BaseException:
        target.dispose()
        if created:
            _drop_database(target_url)
        raise
    target.dispose()
    return Copied(counts)


def _reset_sequence(conn: Connection, table: Table) -> None:
    """After rows with their own ids, the next id continues after the highest."""
    pk = [c for c in table.primary_key.columns if c.autoincrement is True or c.name == "id"]
    if len(pk) != 1 or not str(pk[0].type).upper().startswith("INT"):
        return
    column = pk[0].name
    conn.execute(
        text(
            f"SELECT setval(pg_get_serial_sequence(:t, :c), coalesce(max({column}), 0) + 1, false) "
            f"FROM {table.name}"
        ),
        {"t": table.name, "c": column},
    )


def _drop_database(url: str) -> None:
    with maintenance_connection(url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{make_url(normalize_url(url)).database}" WITH (FORCE)')

"""PostgreSQL mode: the roles, grants, policies, triggers and functions that make the database
itself enforce the desk's rules, whatever client a person uses — every desk login is assumed to
have `psql` (docs/security.md).

`install_security(conn)` is run by `liyuan site init --db postgresql:///…`, again by `liyuan
migrate` (new tables are covered) and by `liyuan site repair` (whatever drifted is put back); every
statement in it can run twice. It sets up:

- a group role per desk role (`liyuan_assistant` …), all members of `liyuan_member`; the tables
  and functions belong to `liyuan_owner` (NOLOGIN, NOCREATEROLE); login roles are made, moved and
  stopped only by `liyuan_staff_sync()`, owned by `liyuan_roles` (NOLOGIN, CREATEROLE), which
  follows the staff list; `liyuan_backup` (NOLOGIN, BYPASSRLS, read-only) is what `liyuan backup`
  becomes, for the supervisors and the manager; `liyuan_pager` (NOLOGIN, not a desk group) is the
  group of the pager's sender's own login, which is not on the staff list;
- the grants and row-level security (enabled and forced) of the matrix (postgres_matrix.py) on
  every table; no TEMP on the database and no CREATE in its schema for any desk login;
- events: INSERT only, each one's id, writer (`db_user`) and transaction set by the server, its
  kind one the writer's role may record, its actor the writer (or one they may act for), on a
  request they may see; the ladder's rungs only through `liyuan_ladder_rung()`, once due;
- on every other table a deferred audit trigger: a change whose transaction has no event of its
  writer gets one, `db_change`, naming them;
- a NOTIFY on every new event, which every open desk LISTENs to.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import Connection, text

from liyuan_tui.domain.vocabulary import ROLES

from . import faults
from . import postgres_matrix as matrix
from .engine import make_engine
from .postgres_sql import FUNCTIONS, MEMBER, OWNER, PAGER, RETIRED, ROLES_ADMIN, triggers

if TYPE_CHECKING:
    from .kernel import Kernel

BACKUP = "liyuan_backup"
# Not in a backup: the event counter (a restore's repair sets it from the events), which no desk
# login may read — the supervisors, members of liyuan_backup, get its grants.
BACKUP_SKIPS = ("event_counter",)
SUPERVISOR_GROUPS = ("liyuan_cs_supervisor", "liyuan_manager")
# name → the attributes it must have
SERVER_ROLES = {
    OWNER: "NOLOGIN NOCREATEROLE NOCREATEDB NOBYPASSRLS",
    ROLES_ADMIN: "NOLOGIN CREATEROLE NOCREATEDB NOBYPASSRLS NOINHERIT",
    BACKUP: "NOLOGIN NOCREATEROLE NOCREATEDB BYPASSRLS",
    MEMBER: "NOLOGIN NOCREATEROLE NOCREATEDB NOBYPASSRLS",
    **{matrix.group(r): "NOLOGIN NOCREATEROLE NOCREATEDB NOBYPASSRLS" for r in ROLES},
    PAGER: "NOLOGIN NOCREATEROLE NOCREATEDB NOBYPASSRLS",  # (its sender's login: not a desk group's)
}
EVENT_EXTRA = (  # what only the server writes (not in the desk's model)
    "ALTER TABLE public.event ADD COLUMN IF NOT EXISTS db_user text",
    "ALTER TABLE public.event ADD COLUMN IF NOT EXISTS tx bigint",
    "ALTER TABLE public.event ALTER COLUMN db_user SET DEFAULT SESSION_USER",
    # the last event id given (liyuan_next_event_id): never behind the events, never rolled past
    "CREATE TABLE IF NOT EXISTS public.event_counter "
    "(id integer PRIMARY KEY CHECK (id = 1), last_id bigint NOT NULL)",
    "INSERT INTO public.event_counter (id, last_id) SELECT 1, 0 WHERE NOT EXISTS "
    "(SELECT 1 FROM public.event_counter)",
    "UPDATE public.event_counter SET last_id = (SELECT coalesce(max(id), 0) FROM public.event) "
    "WHERE last_id < (SELECT coalesce(max(id), 0) FROM public.event)",
)


def group(role: str) -> str:
    return matrix.group(role)


def last_event_sql(conn: Connection) -> str:
    """How a desk reads the newest event's id here: the committed counter where the server has
    its function (a site's, postgres_sql.py), else max(id) (one look in the index without
    row-level security)."""
    found = conn.execute(text("SELECT to_regprocedure('public.liyuan_last_event_id()') IS NOT NULL"))
    if found.scalar():
        return "SELECT public.liyuan_last_event_id()"
    return "SELECT coalesce(max(id), 0) FROM event"


def roles_enforced(conn: Connection) -> bool:
    """Whether this database was set up by `site init` (its functions are per database)."""
    return bool(
        conn.execute(
            text(
                "SELECT to_regprocedure('public.liyuan_staff_sync(text)') IS NOT NULL "
                "OR to_regprocedure('public.liyuan_staff_role(text,text,boolean)') IS NOT NULL"
            )
        ).scalar()
    )


def _roles_sql() -> list[str]:
    """The server's roles as they must be. The roles are the cluster's, shared by every database
    on it: each is changed only where it differs (two databases set up at once would otherwise
    update the same catalog rows), in a transaction of its own (ensure_server_roles)."""
    out = []
    for name, options in SERVER_ROLES.items():
        wanted = {
            "rolcanlogin": "false",
            "rolcreaterole": "false" if "NOCREATEROLE" in options else "true",
            "rolcreatedb": "false",
            "rolbypassrls": "false" if "NOBYPASSRLS" in options else "true",
            "rolsuper": "false",
        }
        if "NOINHERIT" in options:
            wanted["rolinherit"] = "false"
        same = " AND ".join(f"{k} = {v}" for k, v in wanted.items())
        out.append(
            f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = '{name}') "
            f"THEN CREATE ROLE {name} {options}; ELSIF NOT EXISTS (SELECT FROM pg_catalog.pg_roles "
            f"WHERE rolname = '{name}' AND {same}) THEN ALTER ROLE {name} {options}; END IF; END $$"
        )
    members = [(MEMBER, group(r)) for r in ROLES] + [(BACKUP, sup) for sup in SUPERVISOR_GROUPS]
    for role, member in members:
        out.append(
            f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_catalog.pg_auth_members m WHERE m.roleid = "
            f"'{role}'::regrole AND m.member = '{member}'::regrole) THEN GRANT {role} TO {member}; "
            "END IF; END $$"
        )
    return out


def ensure_server_roles(conn: Connection) -> None:
    """The cluster's roles, in a transaction of their own beside `conn`'s, tried again while
    another database's set-up is changing them at the same moment (faults.py)."""

    # (an engine of its own: the pool's one connection is `conn`'s, engine.py)
    beside = make_engine(conn.engine.url.render_as_string(hide_password=False))

    def make() -> None:
        with beside.connect() as own:
            for statement in _roles_sql():
                _run(own, statement)
            own.commit()

    try:
        faults.again_while_catalog_busy(make)
    finally:
        beside.dispose()


def _database_sql(database: str) -> list[str]:
    db = '"' + database.replace('"', '""') + '"'
    # Each staff member's login may connect (liyuan_staff_sync grants it): the desk groups are
    # the cluster's, and a login of another desk database on it has nothing to do here.
    # The pager's sender logs in as a login of its own in `liyuan_pager`, made by the administrator
    # (README): the group gives it CONNECT.
    return [
        f"REVOKE ALL ON DATABASE {db} FROM PUBLIC, {MEMBER}, {BACKUP}, {PAGER}",
        f"GRANT CONNECT ON DATABASE {db} TO {ROLES_ADMIN} WITH GRANT OPTION",
        f"GRANT CONNECT ON DATABASE {db} TO {PAGER}",
        "REVOKE ALL ON SCHEMA public FROM PUBLIC",
        f"GRANT USAGE ON SCHEMA public TO {OWNER}, {MEMBER}, {BACKUP}, {ROLES_ADMIN}, {PAGER}",
    ]


def _functions_sql() -> list[str]:
    out = []
    for fn in FUNCTIONS:
        out.append(fn.create())
        out.append(f"ALTER FUNCTION {fn.signature} OWNER TO {fn.owner}")
        out.append(f"REVOKE ALL ON FUNCTION {fn.signature} FROM PUBLIC")
        for role in fn.execute:
            out.append(f"GRANT EXECUTE ON FUNCTION {fn.signature} TO {role}")
    return out


# Whatever was granted on the schema's tables and functions, to anyone but their owner, is taken
# back before the release's own grants are given (a grant made by hand in psql included).
_REVOKE_EVERY_GRANT = """
DO $$ DECLARE r record; BEGIN
  FOR r IN SELECT DISTINCT c.relname AS name, a.grantee::regrole::text AS grantee
             FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace, aclexplode(c.relacl) a
            WHERE n.nspname = 'public' AND c.relkind IN ('r', 'S') AND a.grantee <> c.relowner AND a.grantee <> 0
  LOOP EXECUTE format('REVOKE ALL ON public.%I FROM %s', r.name, r.grantee); END LOOP;
  FOR r IN SELECT DISTINCT c.relname AS name, t.attname AS col, a.grantee::regrole::text AS grantee
             FROM pg_attribute t JOIN pg_class c ON c.oid = t.attrelid
             JOIN pg_namespace n ON n.oid = c.relnamespace, aclexplode(t.attacl) a
            WHERE n.nspname = 'public' AND t.attacl IS NOT NULL AND a.grantee <> c.relowner AND a.grantee <> 0
  LOOP EXECUTE format('REVOKE ALL (%I) ON public.%I FROM %s', r.col, r.name, r.grantee); END LOOP;
  FOR r IN SELECT DISTINCT p.oid::regprocedure::text AS fn, a.grantee::regrole::text AS grantee
             FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace, aclexplode(p.proacl) a
            WHERE n.nspname = 'public' AND a.grantee <> p.proowner AND a.grantee <> 0
  LOOP EXECUTE format('REVOKE ALL ON FUNCTION %s FROM %s', r.fn, r.grantee); END LOOP;
END $$
"""


_DROP_EVERY_POLICY_AND_TRIGGER = """
DO $$ DECLARE r record; BEGIN
  FOR r IN SELECT policyname, tablename FROM pg_policies WHERE schemaname = 'public'
  LOOP EXECUTE format('DROP POLICY %I ON public.%I', r.policyname, r.tablename); END LOOP;
  FOR r IN SELECT t.tgname, c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
             JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND NOT t.tgisinternal
  LOOP EXECUTE format('DROP TRIGGER %I ON public.%I', r.tgname, r.relname); END LOOP;
END $$
"""


def _tables_sql(tables: list[str]) -> list[str]:
    out = [_DROP_EVERY_POLICY_AND_TRIGGER]
    for table in tables:
        out += [
            f"ALTER TABLE public.{table} OWNER TO {OWNER}",
            f"REVOKE ALL ON public.{table} FROM PUBLIC",
            f"ALTER TABLE public.{table} ENABLE ROW LEVEL SECURITY",
            f"ALTER TABLE public.{table} FORCE ROW LEVEL SECURITY",
        ]
        if table not in BACKUP_SKIPS:
            out.append(f"GRANT SELECT ON public.{table} TO {BACKUP}")
    out.append("REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM PUBLIC")
    out.append(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {MEMBER}, {PAGER}")
    out.append(f"GRANT SELECT ON ALL SEQUENCES IN SCHEMA public TO {BACKUP}")
    out.append(f"GRANT SELECT ON public.staff TO {ROLES_ADMIN}")
    for table, op, grantee, columns in matrix.grants():
        cols = f" ({', '.join(columns)})" if columns else ""
        out.append(f"GRANT {op}{cols} ON public.{table} TO {grantee}")
    for p in matrix.policies():
        clause = f"CREATE POLICY {p.name} ON public.{p.table} FOR {p.command} TO {', '.join(p.roles)}"
        if p.using is not None:
            clause += f" USING ({p.using})"
        if p.check is not None:
            clause += f" WITH CHECK ({p.check})"
        out.append(clause)
    return out


_KNOWN = ", ".join(f"'{fn.typed}'::regprocedure" for fn in FUNCTIONS)
_DROP_UNKNOWN_FUNCTIONS = f"""
DO $$ DECLARE r record; BEGIN
  FOR r IN SELECT p.oid::regprocedure::text AS fn FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
            WHERE n.nspname = 'public' AND p.proname LIKE 'liyuan%' AND p.oid NOT IN ({_KNOWN})
  LOOP EXECUTE 'DROP FUNCTION ' || r.fn; END LOOP;
END $$
"""


def _triggers_sql(tables: list[str]) -> list[str]:
    return [trigger.create() for trigger in triggers(tuple(tables))]  # (every other was dropped)


def _event_ids_sql() -> list[str]:
    """Ids are given by the server from here on without a gap; earlier gaps are not checked."""
    return [
        (
            "DO $$ BEGIN IF col_description('public.event'::regclass, (SELECT attnum FROM pg_attribute "
            "WHERE attrelid = 'public.event'::regclass AND attname = 'id')) IS NULL THEN "
            "EXECUTE format('COMMENT ON COLUMN public.event.id IS %L', "
            "'gap-free after ' || (SELECT coalesce(max(id), 0) FROM public.event)); END IF; END $$"
        )
    ]


def _pg16_admin_sql() -> str:
    """PostgreSQL 16 and newer: a CREATEROLE role changes only the roles it administers."""
    groups = ", ".join(group(r) for r in ROLES)
    return (
        "DO $$ DECLARE r record; BEGIN "
        "IF current_setting('server_version_num')::int >= 160000 THEN "
        f"EXECUTE 'GRANT {groups} TO {ROLES_ADMIN} WITH ADMIN OPTION, INHERIT FALSE, SET FALSE'; "
        "FOR r IN SELECT s.login FROM public.staff s JOIN pg_catalog.pg_roles x ON x.rolname = s.login LOOP "
        f"EXECUTE format('GRANT %I TO {ROLES_ADMIN} WITH ADMIN OPTION, INHERIT FALSE, SET FALSE', r.login); "
        "END LOOP; END IF; END $$"
    )


def install_security(conn: Connection) -> None:
    """Make the database enforce the desk's roles (see the module's text). Run by a superuser
    of the cluster (`site init`, `site repair`, `migrate` as the administrator)."""
    ensure_server_roles(conn)
    for statement in EVENT_EXTRA:  # (first: the counter is one of the tables the matrix covers)
        _run(conn, statement)
    present = set(conn.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).scalars())
    tables = [t for t in matrix.tables() if t in present]
    database = conn.execute(text("SELECT current_database()")).scalar()
    statements = (
        _database_sql(str(database))
        + [_REVOKE_EVERY_GRANT]
        + _functions_sql()  # (the policies call some)
        + _tables_sql(tables)
        + _triggers_sql(tables)
        + [f"DROP FUNCTION IF EXISTS {old}" for old in RETIRED]  # (after what used them)
        + [_DROP_UNKNOWN_FUNCTIONS]
        + _event_ids_sql()
        + [_pg16_admin_sql()]
    )
    for statement in statements:
        _run(conn, statement)
    if "staff" in present:
        sync_every_login(conn)


def _run(conn: Connection, statement: str) -> None:
    conn.exec_driver_sql(statement.replace("%", "%%"))  # no parameters: a % is the SQL's own


def sync_login(conn: Connection, login: str) -> None:
    """Make the login role of a staff member what the staff list says (in their desk role's
    group; allowed to log in while active): the one path that changes roles."""
    conn.execute(text("SELECT public.liyuan_staff_sync(:login)"), {"login": login})


def sync_every_login(conn: Connection) -> None:
    """Every staff member's login role as the staff list says (site init of a copied site)."""
    for login in conn.execute(text("SELECT login FROM public.staff ORDER BY login")).scalars():
        sync_login(conn, login)


@dataclass(frozen=True)
class ServerFacts:
    version: str
    revision: str | None
    roles_enforced: bool
    session_user: str


def server_facts(kernel: Kernel) -> ServerFacts:
    from .schema import revision_of

    with kernel.engine.connect() as conn:
        version = conn.execute(text("SHOW server_version")).scalar()
        user = conn.execute(text("SELECT session_user")).scalar()
        return ServerFacts(f"PostgreSQL {version}", revision_of(conn), roles_enforced(conn), str(user))

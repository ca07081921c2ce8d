"""PostgreSQL mode: the roles, grants, policies and triggers that make the database itself enforce
the desk's rules, whatever client a person uses (`psql` as much as `liyuan`).

`install_security(conn)` is run by `liyuan site init --db postgresql:///…` (and again by
`liyuan migrate`, so new tables are covered); every statement in it can run twice. It sets up:

- a group role per desk role (`liyuan_assistant` …), all members of `liyuan_member`; the tables
  belong to `liyuan_owner`, a role nobody logs in as;
- no UPDATE, DELETE or TRUNCATE of an event for anyone (grants, and triggers even for the owner);
  each event's `db_user` is filled by the server (`session_user`), never by the client;
- the staff list changed only by supervisors and the manager, through `liyuan_staff_role()`, which
  also creates the login role and keeps it in its desk role's group;
- confidential requests (and their steps, charges and events) visible only to those who may see
  their details — the same rule as `domain.permissions.may_see_details` — by row-level security;
- any change to a request that leaves no event by the session's user in its transaction gets one,
  `db_change`, naming that user (a deferred constraint trigger), so even a hand-made `psql` change
  is on record;
- a NOTIFY on every new event, which every open desk LISTENs to (also on a database without the
  roles: store/schema.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import Connection, text

from liyuan_tui.domain.models import ROLES
from liyuan_tui.domain.permissions import DESK

from .schema import install_notify

if TYPE_CHECKING:
    from .kernel import Kernel

OWNER = "liyuan_owner"
MEMBER = "liyuan_member"
SUPERVISOR_GROUPS = ("liyuan_cs_supervisor", "liyuan_manager")
# Tables only some may write (the rest: every desk role may insert and update, never delete).
GUARDED = ("event", "staff", "alembic_version", "estate")
EVENT_COLUMNS = "request_id, at, actor, kind, payload, dedupe_key"


def group(role: str) -> str:
    return f"liyuan_{role}"


def roles_enforced(conn: Connection) -> bool:
    """Whether this database was set up by `site init` (its functions are per database)."""
    return bool(
        conn.execute(
            text("SELECT to_regprocedure('liyuan_staff_role(text,text,boolean)') IS NOT NULL")
        ).scalar()
    )


def _roles_sql() -> list[str]:
    groups = [group(r) for r in ROLES]
    out = [_create_role(OWNER, "NOLOGIN CREATEROLE"), _create_role(MEMBER, "NOLOGIN")]
    for g in groups:
        out.append(_create_role(g, "NOLOGIN"))
        out.append(f"GRANT {MEMBER} TO {g}")
    return out


def _create_role(name: str, options: str) -> str:
    return (
        f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{name}') "
        f"THEN CREATE ROLE {name} {options}; END IF; END $$"
    )


FUNCTIONS = r"""
CREATE OR REPLACE FUNCTION liyuan_may_see(confidential boolean, created_by text, assignee text)
RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT NOT confidential
      OR NOT pg_has_role(current_user, 'liyuan_member', 'MEMBER')
      OR pg_has_role(current_user, 'liyuan_cs_supervisor', 'MEMBER')
      OR pg_has_role(current_user, 'liyuan_manager', 'MEMBER')
      OR ((pg_has_role(current_user, 'liyuan_assistant', 'MEMBER')
           OR pg_has_role(current_user, 'liyuan_dept_staff', 'MEMBER')) AND current_user IN (created_by, assignee))
$$;

CREATE OR REPLACE FUNCTION liyuan_max_seq(table_name text, month text)
RETURNS integer LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public AS $$
DECLARE top integer;
BEGIN
  -- Numbering sees every row, confidential or not (the caller cannot read them).
  EXECUTE format('SELECT coalesce(max(ref_seq), 0) FROM %I WHERE ref_month = $1', table_name) INTO top USING month;
  RETURN top;
END $$;

CREATE OR REPLACE FUNCTION liyuan_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'events are append-only';
END $$;

CREATE OR REPLACE FUNCTION liyuan_request_audit() RETURNS trigger LANGUAGE plpgsql
SECURITY DEFINER SET search_path = public AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM event e WHERE e.request_id = NEW.id AND e.db_user = session_user
                 AND e.xmin::text::bigint = txid_current() % 4294967296) THEN
    INSERT INTO event (request_id, at, actor, kind, payload)
    VALUES (NEW.id, now() AT TIME ZONE 'UTC', session_user, 'db_change',
            json_build_object('operation', TG_OP, 'version', NEW.version)::text);
  END IF;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION liyuan_staff_role(login text, desk_role text, active boolean)
RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE g text;
BEGIN
  IF NOT (pg_has_role(session_user, 'liyuan_cs_supervisor', 'MEMBER')
          OR pg_has_role(session_user, 'liyuan_manager', 'MEMBER')
          OR NOT pg_has_role(session_user, 'liyuan_member', 'MEMBER')) THEN
    RAISE EXCEPTION 'only a supervisor or the manager changes the staff list';
  END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = login) THEN
    EXECUTE format('CREATE ROLE %I LOGIN', login);
  END IF;
  FOR g IN SELECT r.rolname FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid
           JOIN pg_roles u ON u.oid = m.member
           WHERE u.rolname = login AND r.rolname LIKE 'liyuan\_%' AND r.rolname <> 'liyuan_member' LOOP
    EXECUTE format('REVOKE %I FROM %I', g, login);
  END LOOP;
  EXECUTE format('GRANT %I TO %I', 'liyuan_' || desk_role, login);
  EXECUTE format('ALTER ROLE %I %s', login, CASE WHEN active THEN 'LOGIN' ELSE 'NOLOGIN' END);
END $$;
"""


def _grants_sql() -> list[str]:
    sup = ", ".join(SUPERVISOR_GROUPS)
    return [
        "ALTER TABLE event ADD COLUMN IF NOT EXISTS db_user text NOT NULL DEFAULT session_user",
        "REVOKE ALL ON ALL TABLES IN SCHEMA public FROM PUBLIC",
        f"GRANT USAGE ON SCHEMA public TO {MEMBER}",
        f"GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA public TO {MEMBER}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {MEMBER}",
        f"REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON {', '.join(GUARDED)} FROM {MEMBER}",
        f"GRANT INSERT ({EVENT_COLUMNS}) ON event TO {MEMBER}",
        f"GRANT INSERT, UPDATE ON staff, estate TO {sup}",
        # The desk keeps the household file: a person who moved out is removed from it.
        f"GRANT DELETE ON resident TO {', '.join(group(r) for r in DESK)}",
        "REVOKE ALL ON FUNCTION liyuan_staff_role(text, text, boolean) FROM PUBLIC",
        f"GRANT EXECUTE ON FUNCTION liyuan_staff_role(text, text, boolean) TO {sup}",
    ]


TRIGGERS = [
    "DROP TRIGGER IF EXISTS event_append_only ON event",
    "CREATE TRIGGER event_append_only BEFORE UPDATE OR DELETE ON event "
    "FOR EACH ROW EXECUTE FUNCTION liyuan_events_append_only()",
    "DROP TRIGGER IF EXISTS event_no_truncate ON event",
    "CREATE TRIGGER event_no_truncate BEFORE TRUNCATE ON event "
    "FOR EACH STATEMENT EXECUTE FUNCTION liyuan_events_append_only()",
    "DROP TRIGGER IF EXISTS request_audit ON request",
    "CREATE CONSTRAINT TRIGGER request_audit AFTER INSERT OR UPDATE ON request "
    "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION liyuan_request_audit()",
]

# A request's children are as visible as the request (the subquery sees through its policy).
_CHILD = "EXISTS (SELECT 1 FROM request r WHERE r.id = request_id)"
POLICIES = {
    "request": "liyuan_may_see(confidential, created_by, assignee)",
    "steprecord": _CHILD,
    "charge": _CHILD,
    "followup": _CHILD,
    "event": f"request_id IS NULL OR {_CHILD}",
}


def _policies_sql() -> list[str]:
    out = []
    for table, visible in POLICIES.items():
        out += [
            f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY",
            f"DROP POLICY IF EXISTS liyuan_visible ON {table}",
            f"CREATE POLICY liyuan_visible ON {table} FOR SELECT USING ({visible})",
            f"DROP POLICY IF EXISTS liyuan_write ON {table}",
            f"CREATE POLICY liyuan_write ON {table} FOR INSERT WITH CHECK (true)",
            f"DROP POLICY IF EXISTS liyuan_change ON {table}",
            f"CREATE POLICY liyuan_change ON {table} FOR UPDATE USING ({visible}) WITH CHECK (true)",
        ]
    return out


def install_security(conn: Connection) -> None:
    """Make the database enforce the desk's roles (see the module's text). Run by an
    administrator of the cluster (a superuser, or the database's owner with CREATEROLE)."""
    tables = list(conn.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).scalars())
    statements = _roles_sql() + [f'ALTER TABLE "{table}" OWNER TO {OWNER}' for table in tables] + [FUNCTIONS]
    statements += [
        f"ALTER FUNCTION {name} OWNER TO {OWNER}"
        for name in (
            "liyuan_max_seq(text, text)",
            "liyuan_request_audit()",
            "liyuan_staff_role(text, text, boolean)",
        )
    ]
    for statement in statements + _grants_sql() + TRIGGERS + _policies_sql():
        _run(conn, statement)
    from .postgres_desk_records import install_desk_records_security

    install_desk_records_security(conn)  # issue 22's tables: their own grants and policies
    install_notify(conn)
    from .postgres_pager import install_pager_security

    install_pager_security(conn)  # the roster, the outbox and the sender's lease: their own rules


def _run(conn: Connection, statement: str) -> None:
    conn.exec_driver_sql(statement.replace("%", "%%"))  # no parameters: a % is the SQL's own


def staff_role(conn: Connection, login: str, role: str, active: bool) -> None:
    """Create (or change) the login role of a staff member, in their desk role's group."""
    conn.execute(
        text("SELECT liyuan_staff_role(:login, :role, :active)"),
        {"login": login, "role": role, "active": active},
    )


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

"""`liyuan check` on a PostgreSQL site: the live server compared with what this release installs
(postgres.py, postgres_sql.py, postgres_matrix.py), each difference a typed finding with its fix.

Read from the catalog, which every login may read: the server's roles and their attributes,
TEMP and CREATE for desk logins, each table's owner, row-level security (enabled and forced),
grants (table and column), policies, triggers (present and enabled), each function's body, owner,
search path, definer flag and EXECUTE grants, desk-group memberships against the staff list, the
staff list against its events, and ids missing from the events (through the server's own
function: a reader who may not see every event still counts them all).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from sqlalchemy import Connection, text

from . import postgres_matrix as matrix
from .integrity import staff_problems
from .postgres import BACKUP, BACKUP_SKIPS, SERVER_ROLES
from .postgres_sql import FUNCTIONS, OWNER, RETIRED, ROLES_ADMIN, SEARCH_PATH, triggers
from .server_finding import RESTORE, STAFF, Finding
from .server_logins import memberships, privileges_of_logins

if TYPE_CHECKING:
    from .kernel import Kernel


def _norm(sql: str | None) -> str:
    """An expression as compared: the server deparses it with its own casts and brackets."""
    if sql is None:
        return ""
    out = sql.replace("public.", "").replace("::text", "").replace("::character varying", "")
    return re.sub(r"[\s()]+", "", out).lower()


def server_findings(conn: Connection) -> list[Finding]:
    present = set(conn.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).scalars())
    tables = [t for t in matrix.tables() if t in present]
    out: list[Finding] = []
    out += _roles(conn)
    out += privileges_of_logins(conn)
    out += _tables(conn, tables, present)
    out += _grants(conn, tables)
    out += _policies(conn, tables)
    out += _triggers(conn, tables)
    out += _functions(conn)
    out += memberships(conn)
    out += [
        Finding("staff", "staff", "check.server.staff_log", {"change": p}, STAFF)
        for p in staff_problems(conn)
    ]
    out += _event_gaps(conn)
    return out


def _roles(conn: Connection) -> list[Finding]:
    out = []
    rows = {
        r.rolname: r
        for r in conn.execute(
            text(
                "SELECT rolname, rolcanlogin, rolcreaterole, rolcreatedb, rolbypassrls, rolsuper, rolinherit "
                "FROM pg_roles WHERE rolname LIKE 'liyuan\\_%'"
            )
        )
    }
    for name, options in SERVER_ROLES.items():
        r = rows.get(name)
        if r is None:
            out.append(Finding("role", name, "check.server.role_missing"))
            continue
        wanted = {
            "LOGIN": False,
            "CREATEROLE": "NOCREATEROLE" not in options,
            "CREATEDB": False,
            "BYPASSRLS": "NOBYPASSRLS" not in options,
            "SUPERUSER": False,
        }
        has = {
            "LOGIN": r.rolcanlogin,
            "CREATEROLE": r.rolcreaterole,
            "CREATEDB": r.rolcreatedb,
            "BYPASSRLS": r.rolbypassrls,
            "SUPERUSER": r.rolsuper,
        }
        for attr, want in wanted.items():
            if bool(has[attr]) != want:
                out.append(
                    Finding(
                        "role", name, "check.server.role_attr", {"attr": ("" if has[attr] else "NO") + attr}
                    )
                )
        if "NOINHERIT" in options and r.rolinherit:
            out.append(Finding("role", name, "check.server.role_attr", {"attr": "INHERIT"}))
    return out


def _tables(conn: Connection, tables: list[str], present: set[str]) -> list[Finding]:
    out = []
    rows = {
        r.relname: r
        for r in conn.execute(
            text(
                "SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity, "
                "pg_get_userbyid(c.relowner) AS owner "
                "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = 'public' AND c.relkind = 'r'"
            )
        )
    }
    for table in tables:
        r = rows[table]
        if not r.relrowsecurity:
            out.append(Finding("rls", table, "check.server.rls_off"))
        elif not r.relforcerowsecurity:
            out.append(Finding("rls", table, "check.server.rls_not_forced"))
        if r.owner != OWNER:
            out.append(Finding("table", table, "check.server.owner", {"owner": r.owner, "expected": OWNER}))
    for table in sorted(present - set(matrix.tables())):
        out.append(Finding("table", table, "check.server.table_unknown"))
    return out


def _expected_grants(tables: list[str]) -> set[tuple[str, str, str, str]]:
    """(table, column or "", grantee, privilege)."""
    out = set()
    for table, op, grantee, columns in matrix.grants():
        if table not in tables:
            continue
        for column in columns or ("",):
            out.add((table, column, grantee, op))
    for table in tables:
        if table not in BACKUP_SKIPS:
            out.add((table, "", BACKUP, "SELECT"))
    if "staff" in tables:
        out.add(("staff", "", ROLES_ADMIN, "SELECT"))
    return out


def _grants(conn: Connection, tables: list[str]) -> list[Finding]:
    live = set()
    for r in conn.execute(
        text(
            "SELECT c.relname, '' AS col, coalesce(g.rolname, 'PUBLIC') AS grantee, a.privilege_type "
            "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace, aclexplode(c.relacl) a "
            "LEFT JOIN pg_roles g ON g.oid = a.grantee "
            "WHERE n.nspname = 'public' AND c.relkind = 'r' AND a.grantee <> c.relowner "
            "UNION ALL "
            "SELECT c.relname, t.attname, coalesce(g.rolname, 'PUBLIC'), a.privilege_type "
            "FROM pg_attribute t JOIN pg_class c ON c.oid = t.attrelid "
            "JOIN pg_namespace n ON n.oid = c.relnamespace, aclexplode(t.attacl) a "
            "LEFT JOIN pg_roles g ON g.oid = a.grantee "
            "WHERE n.nspname = 'public' AND c.relkind = 'r' AND t.attacl IS NOT NULL "
            "AND a.grantee <> c.relowner"
        )
    ):
        if r.relname in tables:
            live.add((r.relname, r.col, r.grantee, r.privilege_type))
    expected = _expected_grants(tables)
    out = []
    for table, column, grantee, privilege in sorted(live - expected):
        what = f"{table}.{column}" if column else table
        out.append(
            Finding("grant", what, "check.server.grant_extra", {"grantee": grantee, "privilege": privilege})
        )
    for table, column, grantee, privilege in sorted(expected - live):
        what = f"{table}.{column}" if column else table
        out.append(
            Finding("grant", what, "check.server.grant_missing", {"grantee": grantee, "privilege": privilege})
        )
    return out


def _policies(conn: Connection, tables: list[str]) -> list[Finding]:
    live = {
        (r.tablename, r.policyname): r
        for r in conn.execute(
            text(
                "SELECT tablename, policyname, cmd, roles, qual, with_check, permissive "
                "FROM pg_policies WHERE schemaname = 'public'"
            )
        )
        if r.tablename in tables
    }
    expected = {(p.table, p.name): p for p in matrix.policies() if p.table in tables}
    out = []
    for key, p in expected.items():
        r = live.get(key)
        subject = f"{key[0]}: {key[1]}"
        if r is None:
            out.append(Finding("policy", subject, "check.server.policy_missing"))
        elif (
            r.cmd != p.command
            or sorted(r.roles) != sorted(p.roles)
            or _norm(r.qual) != _norm(p.using)
            or _norm(r.with_check) != _norm(p.check)
            or r.permissive != "PERMISSIVE"
        ):
            out.append(
                Finding(
                    "policy",
                    subject,
                    "check.server.policy_changed",
                    {"using": r.qual or "", "check": r.with_check or ""},
                )
            )
    for key in sorted(set(live) - set(expected)):
        out.append(Finding("policy", f"{key[0]}: {key[1]}", "check.server.policy_extra"))
    return out


def _triggers(conn: Connection, tables: list[str]) -> list[Finding]:
    live = {
        (r.relname, r.tgname): r
        for r in conn.execute(
            text(
                "SELECT c.relname, t.tgname, t.tgenabled, pg_get_triggerdef(t.oid) AS definition "
                "FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = 'public' AND NOT t.tgisinternal"
            )
        )
        if r.relname in tables
    }
    expected = {(t.table, t.name): t for t in triggers(tuple(tables))}
    out = []
    for key, t in expected.items():
        r = live.get(key)
        subject = f"{key[0]}: {key[1]}"
        if r is None:
            out.append(Finding("trigger", subject, "check.server.trigger_missing"))
        elif _norm(r.definition) != _norm(t.definition):
            out.append(Finding("trigger", subject, "check.server.trigger_changed"))
        elif r.tgenabled != "O":
            out.append(Finding("trigger", subject, "check.server.trigger_disabled"))
    for key in sorted(set(live) - set(expected)):
        out.append(Finding("trigger", f"{key[0]}: {key[1]}", "check.server.trigger_extra"))
    return out


def _functions(conn: Connection) -> list[Finding]:
    rows = {
        f"{r.proname}({r.args})": r
        for r in conn.execute(
            text(
                "SELECT p.proname, pg_get_function_identity_arguments(p.oid) AS args, p.prosrc, p.prosecdef, "
                "p.proconfig, pg_get_userbyid(p.proowner) AS owner, "
                "ARRAY(SELECT coalesce(g.rolname, 'PUBLIC') FROM aclexplode(coalesce(p.proacl, "
                "acldefault('f', p.proowner))) a LEFT JOIN pg_roles g ON g.oid = a.grantee "
                "WHERE a.grantee <> p.proowner AND a.privilege_type = 'EXECUTE') AS executors "
                "FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
                "WHERE n.nspname = 'public' AND (p.proname LIKE 'liyuan%' OR p.prosecdef)"
            )
        )
    }
    out = []
    for fn in FUNCTIONS:
        key = f"{fn.name}({fn.args})"
        r = rows.pop(key, None)
        if r is None:
            out.append(Finding("function", key, "check.server.function_missing"))
            continue
        if r.prosrc != fn.body:
            out.append(Finding("function", key, "check.server.function_body"))
        if bool(r.prosecdef) != fn.definer:
            out.append(
                Finding("function", key, "check.server.function_definer", {"definer": bool(r.prosecdef)})
            )
        if list(r.proconfig or []) != [f"search_path={SEARCH_PATH}"]:
            out.append(
                Finding(
                    "function",
                    key,
                    "check.server.function_path",
                    {"config": ", ".join(r.proconfig or []) or "-"},
                )
            )
        if r.owner != fn.owner:
            out.append(
                Finding("function", key, "check.server.owner", {"owner": r.owner, "expected": fn.owner})
            )
        if sorted(r.executors) != sorted(fn.execute):
            out.append(
                Finding(
                    "function",
                    key,
                    "check.server.function_execute",
                    {"roles": ", ".join(sorted(r.executors)) or "-"},
                )
            )
    retired = {old.removeprefix("public.").replace(", ", ", ") for old in RETIRED}
    for key in sorted(rows):
        problem = "check.server.function_retired" if key in retired else "check.server.function_extra"
        out.append(Finding("function", key, problem))
    return out


def _event_gaps(conn: Connection) -> list[Finding]:
    if not conn.execute(text("SELECT to_regclass('public.event_counter') IS NOT NULL")).scalar():
        return [Finding("table", "event_counter", "check.server.counter_missing")]  # (a restored dump)
    missing = (
        conn.execute(text("SELECT public.liyuan_event_gaps()")).scalar() if _has_gaps_function(conn) else ""
    )
    if not missing:
        return []
    return [Finding("events", "event", "check.server.event_gap", {"ids": missing}, RESTORE)]


def _has_gaps_function(conn: Connection) -> bool:
    return bool(
        conn.execute(text("SELECT to_regprocedure('public.liyuan_event_gaps()') IS NOT NULL")).scalar()
    )


def check_server(kernel: Kernel) -> list[Finding]:
    """The findings of the kernel's server (none where the roles are not enforced: a database
    `site init` has not set up is said so by `check` itself)."""
    from .postgres import roles_enforced

    with kernel.engine.connect() as conn:
        if not roles_enforced(conn):
            return []
        return server_findings(conn)


def backup_role(kernel: Kernel) -> str | None:
    """The role `liyuan backup` dumps a site as (`liyuan_backup`, for the supervisors and the
    manager: a backup holds every row); None where the roles are not enforced."""
    from liyuan_tui.domain.errors import PermissionDenied
    from liyuan_tui.domain.permissions import SUPERVISORS

    from .postgres import BACKUP, roles_enforced

    me = kernel.identity()
    with kernel.engine.connect() as conn:
        if not roles_enforced(conn):
            return None
    if me.role not in SUPERVISORS and not kernel.os_root:
        raise PermissionDenied("error.backup_supervisors", role=me.role)
    return BACKUP

"""`liyuan site repair`: put a PostgreSQL site back as this release installs it, as the cluster's
administrator (a superuser: root through peer authentication, `postgresql://postgres@/…`).

In one transaction: every definition reinstalled (install_security: roles and their attributes,
grants, row-level security, policies, triggers, functions; whatever else was granted, made or
turned off is taken back); a staff member whose role or state the audit log does not account for
is put back as the log says (or, added without an event, deactivated); every login role made to
follow the staff list; memberships and privileges nobody should have revoked; event ids found
missing are put on record (check no longer names those). One `site_repaired` event says what was found.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, text

from liyuan_tui.domain.errors import DeskError, PermissionDenied
from liyuan_tui.domain.events import EventKind

from .engine import WRITE, make_engine
from .integrity import logged_staff
from .postgres import install_security, roles_enforced, sync_every_login
from .server_check import server_findings
from .server_finding import Finding
from .urls import shown_url


@dataclass(frozen=True)
class Repaired:
    database: str
    before: list[Finding]
    after: list[Finding]
    staff_restored: list[str]


def repair_site(url: str, now: datetime) -> Repaired:
    engine = make_engine(url)
    try:
        with engine.connect().execution_options(**{WRITE: True}) as conn:
            database = str(conn.execute(text("SELECT current_database()")).scalar())
            if not roles_enforced(conn):
                raise DeskError("site.repair_not_site", "db", database=database)
            user, superuser = conn.execute(
                text("SELECT session_user, rolsuper FROM pg_roles WHERE rolname = session_user")
            ).one()
            if not superuser:
                raise PermissionDenied("site.repair_not_admin", "db", user=user, db=shown_url(url))
            before = server_findings(conn)
            _revoke_strays(conn, database, before)  # (first: the staff path refuses a login with more)
            install_security(
                conn
            )  # (before any row changes: a trigger with changes pending cannot be replaced)
            restored = _staff_as_logged(conn)
            _record(conn, user, now, before, restored, _missing_events(conn))
            conn.commit()
        with engine.connect() as conn:
            after = server_findings(conn)
    finally:
        engine.dispose()
    return Repaired(database, before, after, restored)


def _staff_as_logged(conn: Connection) -> list[str]:
    """Staff rows changed behind the log's back put back as the log says; one added without an
    event deactivated (a supervisor adds them again through the desk, which records it)."""
    logged = logged_staff(conn)
    out = []
    for login, role, active in conn.execute(text("SELECT login, role, active FROM public.staff")).all():
        was = logged.get(login)
        if was is None:
            if active:
                conn.execute(text("UPDATE public.staff SET active = false WHERE login = :l"), {"l": login})
                out.append(f"{login}: deactivated (added without an event)")
            continue
        if was["role"] and (was["role"] != role or bool(was["active"]) != bool(active)):
            conn.execute(
                text("UPDATE public.staff SET role = :r, active = :a WHERE login = :l"),
                {"r": was["role"], "a": bool(was["active"]), "l": login},
            )
            out.append(
                f"{login}: {role}{'' if active else ' (inactive)'} → {was['role']}"
                f"{'' if was['active'] else ' (inactive)'}"
            )
    if out:
        sync_every_login(conn)
    return out


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _revoke_strays(conn: Connection, database: str, found: list[Finding]) -> None:
    """Memberships of the server's or the desk's roles nobody should have, and TEMP or CREATE
    given to a desk login by hand."""
    for f in found:
        if f.problem in ("check.server.member_extra", "check.server.member_not_staff"):
            conn.exec_driver_sql(f"REVOKE {_quoted(f.params['group'])} FROM {_quoted(f.subject)}")
        elif f.problem in ("check.server.temp", "check.server.create"):
            conn.exec_driver_sql(
                f"REVOKE TEMPORARY, CREATE ON DATABASE {_quoted(database)} FROM {_quoted(f.subject)}"
            )
            conn.exec_driver_sql(f"REVOKE CREATE ON SCHEMA public FROM {_quoted(f.subject)}")


def _record(
    conn: Connection, user: str, now: datetime, before: list[Finding], restored: list[str], missing: list[int]
) -> None:
    payload: dict[str, object] = {
        "found": [f"{f.kind} {f.subject}: {f.problem.rsplit('.', 1)[-1]}" for f in before][:200],
        "staff_restored": restored,
    }
    if missing:
        payload["events_missing"] = missing
    conn.execute(
        text(
            "INSERT INTO public.event (request_id, at, actor, kind, payload) "
            "VALUES (NULL, :at, :actor, :kind, :payload)"
        ),
        {
            "at": now.astimezone(UTC).replace(tzinfo=None),
            "actor": user,
            "kind": str(EventKind.SITE_REPAIRED),
            "payload": json.dumps(payload, ensure_ascii=False),
        },
    )


def _missing_events(conn: Connection) -> list[int]:
    """Every event id missing and not yet on record (check names twenty at most)."""
    return list(
        conn.execute(
            text(
                "SELECT s.id FROM generate_series((SELECT coalesce(substring(col_description("
                "'public.event'::regclass, (SELECT attnum FROM pg_attribute WHERE attrelid = "
                "'public.event'::regclass AND attname = 'id')) FROM 'gap-free after ([0-9]+)')::bigint, 0)) "
                "+ 1, "
                "GREATEST((SELECT coalesce(max(id), 0) FROM public.event), "
                "(SELECT last_id FROM public.event_counter WHERE id = 1))) AS s(id) "
                "WHERE NOT EXISTS (SELECT 1 FROM public.event e WHERE e.id = s.id) "
                "AND s.id NOT IN "
                "(SELECT jsonb_array_elements_text(e.payload::jsonb -> 'events_missing')::bigint "
                "FROM public.event e WHERE e.kind = 'site_repaired') ORDER BY s.id"
            )
        ).scalars()
    )

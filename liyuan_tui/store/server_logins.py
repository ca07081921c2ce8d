"""`check` on a site, of its logins: none may make temporary or new objects, and each is in
exactly the group its staff role gives (none in the server's own roles), able to log in while
active; a login not on the staff list may be the pager's sender's (in `liyuan_pager` alone). The
desk groups are the cluster's: a login that may not connect here is another database's, and not
this one's business."""

from __future__ import annotations

from sqlalchemy import Connection, text

from liyuan_tui.domain.models import ROLES

from . import postgres_matrix as matrix
from .postgres import BACKUP, SUPERVISOR_GROUPS
from .postgres_sql import MEMBER, OWNER, PAGER, ROLES_ADMIN
from .server_finding import Finding


def privileges_of_logins(conn: Connection) -> list[Finding]:
    """No desk login may make temporary or new objects (a definer's search path is pinned, and
    nothing of theirs should exist to shadow a name)."""
    out = []
    rows = conn.execute(
        text(
            "SELECT u.rolname, has_database_privilege(u.oid, current_database(), 'TEMPORARY') AS temp, "
            "has_schema_privilege(u.oid, 'public', 'CREATE') AS creates "
            "FROM pg_roles u "
            "WHERE (pg_has_role(u.oid, :member, 'MEMBER') OR pg_has_role(u.oid, :pager, 'MEMBER')) "
            "AND u.rolname NOT IN (:member, :pager) "
            "AND NOT u.rolsuper AND has_database_privilege(u.oid, current_database(), 'CONNECT')"
        ),
        {"member": MEMBER, "pager": PAGER},
    )
    for r in rows:
        if r.temp:
            out.append(Finding("database", r.rolname, "check.server.temp"))
        if r.creates:
            out.append(Finding("database", r.rolname, "check.server.create"))
    return out


def memberships(conn: Connection) -> list[Finding]:
    """Every desk login in exactly its staff role's group, able to log in while active; nobody
    else in a desk group or in the server's own roles."""
    groups = {matrix.group(r): r for r in ROLES}
    members: dict[str, set[str]] = {}
    for role, member in conn.execute(
        text(
            "SELECT r.rolname, u.rolname FROM pg_auth_members m "
            "JOIN pg_roles r ON r.oid = m.roleid JOIN pg_roles u ON u.oid = m.member "
            "WHERE r.rolname LIKE 'liyuan\\_%'"
        )
    ):
        members.setdefault(member, set()).add(role)
    logins: dict[str, bool] = {
        r[0]: r[1] for r in conn.execute(text("SELECT rolname, rolcanlogin FROM pg_roles"))
    }
    # (the desk groups are the cluster's: a login that may not connect here is another database's)
    here = set(
        conn.execute(
            text(
                "SELECT rolname FROM pg_roles WHERE rolsuper "
                "OR has_database_privilege(oid, current_database(), 'CONNECT')"
            )
        ).scalars()
    )
    staff = {r.login: r for r in conn.execute(text("SELECT login, role, active FROM public.staff"))}
    out = []
    internal = {
        MEMBER: set(groups),
        BACKUP: set(SUPERVISOR_GROUPS),
        OWNER: set(),
        ROLES_ADMIN: set(),
        PAGER: set(),
    }
    for member, roles in sorted(members.items()):
        if member in groups or member in internal:
            unexpected = roles - (
                {MEMBER, BACKUP} if member in SUPERVISOR_GROUPS else {MEMBER} if member in groups else set()
            )
            for role in sorted(unexpected):
                out.append(Finding("membership", member, "check.server.member_extra", {"group": role}))
            continue
        row = staff.get(member)
        if row is None and member not in here:
            continue
        desk = {g for g in roles if g in groups}
        other = roles - desk
        if row is None:
            other -= {PAGER}  # the pager's sender's own login (not on the staff list): its group
        for role in sorted(other):
            out.append(Finding("membership", member, "check.server.member_extra", {"group": role}))
        if row is None:
            for role in sorted(desk):
                out.append(Finding("membership", member, "check.server.member_not_staff", {"group": role}))
        elif desk != {matrix.group(row.role)}:
            out.append(
                Finding(
                    "membership",
                    member,
                    "check.server.member_role",
                    {"groups": ", ".join(sorted(desk)) or "-", "role": row.role},
                )
            )
    for login, row in sorted(staff.items()):
        if login not in logins or login not in here:
            out.append(Finding("membership", login, "check.server.login_missing"))
        elif bool(logins[login]) != bool(row.active):
            out.append(Finding("membership", login, "check.server.login_state", {"active": bool(row.active)}))
    return out

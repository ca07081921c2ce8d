"""PostgreSQL mode for the pager's tables (duty_shift, page, pager_sender): their grants and
row-level security, run by `install_security()` after the desk's own (every statement can run
twice). Kept apart so the site's security and the pager's can be read, and changed, on their own.

- the roster (`duty_shift`): every desk role reads it (whom a page reaches); only the supervisors
  and the manager change it;
- the outbox (`page`): every desk role reads it and queues pages (an assistant marking a case
  major queues the manager's page in the same transaction); it is changed only by the sender and
  by an acknowledgement — a supervisor, the manager, or the person the page is for;
- the sender's lease (`pager_sender`): every desk reads it (a desk shows the pager down); only
  the sender writes it.

The sender logs in as a login of its own (`liyuan-pager` in the README), a member of the group
role `liyuan_pager` and not of `liyuan_member`: it reads every request (a page names the unit,
masked as its receiver would see it), writes pages, its lease and its own events, and nothing else.
"""

from __future__ import annotations

from sqlalchemy import Connection

PAGER_GROUP = "liyuan_pager"
MEMBER = "liyuan_member"
SUPERVISOR_GROUPS = ("liyuan_cs_supervisor", "liyuan_manager")
TABLES = ("duty_shift", "page", "pager_sender")
EVENT_COLUMNS = "request_id, at, actor, kind, payload, dedupe_key"

# Who may change a page (an acknowledgement, the sender's outcome).
_MAY_CHANGE_PAGE = (
    "login = current_user"
    " OR pg_has_role(current_user, 'liyuan_cs_supervisor', 'MEMBER')"
    " OR pg_has_role(current_user, 'liyuan_manager', 'MEMBER')"
    " OR pg_has_role(current_user, 'liyuan_pager', 'MEMBER')"
    " OR NOT pg_has_role(current_user, 'liyuan_member', 'MEMBER')"
)


def pager_security_sql() -> list[str]:
    sup = ", ".join(SUPERVISOR_GROUPS)
    return [
        f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{PAGER_GROUP}') "
        f"THEN CREATE ROLE {PAGER_GROUP} NOLOGIN; END IF; END $$",
        *[f"ALTER TABLE {table} OWNER TO liyuan_owner" for table in TABLES],
        *[f"REVOKE ALL ON {table} FROM PUBLIC, {MEMBER}" for table in TABLES],
        # the desk
        f"GRANT SELECT ON duty_shift, page, pager_sender TO {MEMBER}",
        f"GRANT INSERT, UPDATE ON duty_shift TO {sup}",
        f"GRANT INSERT, UPDATE ON page TO {MEMBER}",
        # the sender
        f"GRANT USAGE ON SCHEMA public TO {PAGER_GROUP}",
        f"GRANT SELECT ON request, staff, estate, duty_shift, page, pager_sender, event TO {PAGER_GROUP}",
        f"GRANT INSERT, UPDATE ON page, pager_sender TO {PAGER_GROUP}",
        f"GRANT INSERT ({EVENT_COLUMNS}) ON event TO {PAGER_GROUP}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {PAGER_GROUP}",
        # the outbox: read and queued by every desk role, changed only as said above
        "ALTER TABLE page ENABLE ROW LEVEL SECURITY",
        "DROP POLICY IF EXISTS liyuan_visible ON page",
        "CREATE POLICY liyuan_visible ON page FOR SELECT USING (true)",
        "DROP POLICY IF EXISTS liyuan_write ON page",
        "CREATE POLICY liyuan_write ON page FOR INSERT WITH CHECK (true)",
        "DROP POLICY IF EXISTS liyuan_change ON page",
        f"CREATE POLICY liyuan_change ON page FOR UPDATE USING ({_MAY_CHANGE_PAGE}) WITH CHECK (true)",
    ]


def install_pager_security(conn: Connection) -> None:
    """The pager's grants and policies (after the desk's own: install_security calls this)."""
    for statement in pager_security_sql():
        conn.exec_driver_sql(statement.replace("%", "%%"))

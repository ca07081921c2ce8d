"""PostgreSQL mode for the desk's own records (issue 22): the grants and row-level security of the
tables `receipt`, `duty_note`, `handover`, `reception`, `commendation` and `recommendation`, so the
server refuses what the desk's roles may not do whatever client is used (`psql` as much as
`liyuan`). Run by `install_security` (postgres.py) after the generic grants; every statement can
run twice.

- receipt: SELECT as its request (confidential rows hidden); INSERT who may charge; UPDATE who may
  take payment (rows they see); DELETE nobody.
- duty_note: SELECT every desk role; INSERT on shift, as themselves; UPDATE, DELETE nobody.
- handover: SELECT every desk role; INSERT on shift, as themselves; UPDATE its receiver
  (accepting) and supervisors; DELETE nobody.
- reception: SELECT who receives visitors; INSERT who receives visitors, as themselves; UPDATE,
  DELETE nobody.
- commendation, recommendation: SELECT supervisors and the manager, each person their own;
  INSERT supervisors and the manager; UPDATE, DELETE nobody.

"As themselves": the row's writer column is the session's login, unless a supervisor or the manager
writes it for a colleague (the desk's `--user`).
"""

from __future__ import annotations

from sqlalchemy import Connection

from liyuan_tui.domain.permissions import ALLOWED, Action

MEMBER = "liyuan_member"
TABLES = ("receipt", "duty_note", "handover", "reception", "commendation", "recommendation")
_SUPERVISOR = (
    "(pg_has_role(session_user, 'liyuan_cs_supervisor', 'MEMBER') "
    "OR pg_has_role(session_user, 'liyuan_manager', 'MEMBER'))"
)
_CHILD = "EXISTS (SELECT 1 FROM request r WHERE r.id = request_id)"


def _groups(action: Action, extra: frozenset[str] = frozenset()) -> str:
    return ", ".join(f"liyuan_{role}" for role in sorted(ALLOWED[action] | extra))


def _as_themselves(column: str) -> str:
    return f"({column} = session_user OR {_SUPERVISOR})"


def desk_records_sql() -> list[str]:
    """The statements, in order: grants first, then the policies."""
    own = frozenset({"dept_staff"})  # department staff charge and take payment on their own requests
    grants = [
        f"REVOKE ALL ON {', '.join(TABLES)} FROM {MEMBER}",
        f"REVOKE ALL ON {', '.join(TABLES)} FROM PUBLIC",
    ]
    grants += [
        f"GRANT SELECT ON receipt, duty_note, handover TO {MEMBER}",
        f"GRANT INSERT ON receipt TO {_groups(Action.CHARGE, own)}",
        f"GRANT UPDATE (paid_at, paid_by, method, version) ON receipt TO {_groups(Action.PAY, own)}",
        f"GRANT INSERT ON duty_note TO {_groups(Action.DUTY_LOG)}",
        f"GRANT INSERT ON handover TO {_groups(Action.HANDOVER)}",
        f"GRANT UPDATE (accepted_at, version) ON handover TO {_groups(Action.HANDOVER)}",
        f"GRANT SELECT, INSERT ON reception TO {_groups(Action.RECEPTION)}",
        f"GRANT SELECT ON commendation, recommendation TO {MEMBER}",
        f"GRANT INSERT ON commendation, recommendation TO {_groups(Action.STAFF_RECORDS)}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {MEMBER}",
    ]
    policies = {
        "receipt": {
            "SELECT": f"USING ({_CHILD})",
            "INSERT": "WITH CHECK (true)",
            "UPDATE": f"USING ({_CHILD}) WITH CHECK ({_as_themselves('paid_by')})",
        },
        "duty_note": {"SELECT": "USING (true)", "INSERT": f"WITH CHECK {_as_themselves('by')}"},
        "handover": {
            "SELECT": "USING (true)",
            "INSERT": f"WITH CHECK {_as_themselves('signed_by')}",
            "UPDATE": f"USING {_as_themselves('to_login')} WITH CHECK (true)",
        },
        "reception": {"SELECT": "USING (true)", "INSERT": f"WITH CHECK {_as_themselves('received_by')}"},
        "commendation": {"SELECT": f"USING {_as_themselves('login')}", "INSERT": "WITH CHECK (true)"},
        "recommendation": {"SELECT": f"USING {_as_themselves('login')}", "INSERT": "WITH CHECK (true)"},
    }
    out = grants
    for table, rules in policies.items():
        out.append(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        for operation in ("SELECT", "INSERT", "UPDATE"):
            name = f"liyuan_desk_{operation.lower()}"
            out.append(f"DROP POLICY IF EXISTS {name} ON {table}")
            if operation in rules:
                out.append(f"CREATE POLICY {name} ON {table} FOR {operation} {rules[operation]}")
    return out


def install_desk_records_security(conn: Connection) -> None:
    """Grants and row-level security of the desk's own records (see the module's table)."""
    for statement in desk_records_sql():
        conn.exec_driver_sql(statement.replace("%", "%%"))

"""docs/security.md's role × table × operation matrix, checked cell by cell: every desk role's OS
login, and the pager's sender's (a login of its own in liyuan_pager), runs, with `psql`, a SELECT, an INSERT, an UPDATE and a DELETE on every table, each on a row
it may reach and (where the cell limits the rows) on one it may not; and, where the cell names
columns, on one of those and one of the others. What the matrix refuses must fail with the
server's own refusal, what it allows must work, on exactly the rows it says.

Each probe runs in its own subtransaction that is always rolled back, so the probes do not see
each other's rows and nothing is committed (no audit event either)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pg_site import SHORT

from liyuan_tui.domain.event_rights import kinds_for
from liyuan_tui.domain.models import ROLES
from liyuan_tui.domain.permissions import may_see_details
from liyuan_tui.store import postgres_matrix as matrix

pytestmark = pytest.mark.slow
DOCS = Path(__file__).resolve().parents[2] / "docs" / "security.md"

# Rows made by the administrator: (table, id) → who "owns" it. Request 1002 is confidential and
# the supervisor's: only the supervisors and the manager may see it (and what hangs on it).
SEED = """
INSERT INTO estate (code, name) VALUES ('main', 'Main');
INSERT INTO request (id, ref, ref_month, ref_seq, category, channel, requester_name, unit, phone, description,
  received_at, reply_due_at, major, confidential, status, created_by, branches, outcome, outcome_kind, handed_to,
  version)
VALUES
 (1001, '209901-9001', '209901', 9001, 'repair', 'phone', 'R', '1-1', '13800000000', 'a tap', now(),
  now() + interval '1 hour', false, false, 'open', '{ann}', '', '', '', '', 1),
 (1002, '209901-9002', '209901', 9002, 'consultation', 'phone', 'S', '2-2', '13800000001', 'SECRET', now(),
  now() + interval '1 hour', false, true, 'open', '{sup}', '', '', '', '', 1);
INSERT INTO steprecord (id, request_id, step_key, done_at, done_by, note, value) VALUES
 (1001, 1001, 'a', now(), '{ann}', '', ''), (1002, 1002, 'a', now(), '{sup}', '', '');
INSERT INTO charge (id, request_id, item_code, qty, unit_price_cents, amount_cents, at, by, note) VALUES
 (1001, 1001, 'drain', 1, 5000, 5000, now(), '{ann}', ''), (1002, 1002, 'drain', 1, 5000, 5000, now(), '{sup}', '');
INSERT INTO followup (id, request_id, at, by, reached, score, note) VALUES
 (1001, 1001, now(), '{ann}', true, 5, ''), (1002, 1002, now(), '{sup}', true, 4, '');
INSERT INTO resident (id, unit, name, phones, notes, relation) VALUES (1001, '1-1', 'R', '13800000000', 'n', '');
INSERT INTO household (id, unit, emergency_name, emergency_phone, emergency_relation, elderly_alone, disability,
  language, notes, updated_by, version) VALUES (1001, '1-1', 'E', '139', 'son', true, false, '', 'note', '{ann}', 1);
INSERT INTO training (id, login, course, day, result, recorded_by, at)
 SELECT 2000 + i - 1, login, 'c', '2099-01-01', '', '{sup}', now() FROM unnest(ARRAY[{everyone}]) WITH ORDINALITY AS x(login, i);
INSERT INTO assessment (id, login, month, score, note, by, at)
 SELECT 2000 + i - 1, login, '2099-01', 90, '', '{sup}', now() FROM unnest(ARRAY[{everyone}]) WITH ORDINALITY AS x(login, i);
INSERT INTO workorder (id, number, number_month, number_seq, request_id, technician, state, created_at, created_by,
  wait_reason, signed_by, not_home, note, finish_note, cancel_reason, version) VALUES
 (1001, 'W209901-9001', '209901', 9001, 1001, '{tech}', 'dispatched', now(), '{ann}', '', '', false, '', '', '', 1),
 (1002, 'W209901-9002', '209901', 9002, 1001, 'someone', 'dispatched', now(), '{ann}', '', '', false, '', '', '', 1);
INSERT INTO material (id, code, name, unit, price_fen, on_hand_milli, created_at, version) VALUES
 (1001, 'PIPE', 'pipe', 'm', 100, 10000, now(), 1);
INSERT INTO stockmove (id, material_id, kind, delta_milli, balance_milli, price_fen, at, by, order_id, reason) VALUES
 (1001, 1001, 'in', 10000, 10000, 100, now(), '{sup}', 1001, '');
INSERT INTO tool (id, code, name, condition, created_at, version) VALUES (1001, 'WRENCH', 'wrench', 'ok', now(), 1);
INSERT INTO toolloan (id, tool_id, holder, issued_at, issued_by, condition_back, note) VALUES
 (1001, 1001, '{tech}', now(), '{ann}', '', '');
INSERT INTO event (id, request_id, at, actor, kind, payload) VALUES
 (1001, 1001, now(), '{ann}', 'created', '{{}}'), (1002, 1002, now(), '{sup}', 'created', '{{}}');
INSERT INTO month_analysis (id, month, estate, text, written_by, written_at) VALUES
 (1001, '2099-01', 'main', 't', '{sup}', now());
INSERT INTO duty_shift (id, duty, login, backup, starts_at, ends_at, added_by, added_at) VALUES
 (1001, 'duty_manager', '{mgr}', false, now(), now() + interval '1 day', '{sup}', now());
INSERT INTO page (id, key, chain, request_id, ref, login, reason, duty, rung, status, attempts, queued_at,
  delivered, error) VALUES
 (1001, 'probe-1001', 'major:1', 1001, '209901-9001', 'someone', 'major', 'duty_manager', 0, 'queued', 0, now(), '', '');
INSERT INTO page (id, key, chain, login, reason, duty, rung, status, attempts, queued_at, delivered, error)
 SELECT 2000 + i - 1, 'probe-' || i, 'major:1', login, 'major', 'duty_manager', 0, 'queued', 0, now(), '', ''
 FROM unnest(ARRAY[{everyone}]) WITH ORDINALITY AS x(login, i);
INSERT INTO pager_sender (id, holder, started_at, heartbeat_at) VALUES (1, 'host:1:nonce', now(), now());
"""

# A row of each table to insert (placeholders: {me}, {req} the request it hangs on, {order}).
INSERTS = {
    "request": "INSERT INTO request (ref, ref_month, ref_seq, category, channel, requester_name, unit, phone, "
    "description, received_at, reply_due_at, major, confidential, status, created_by, branches, outcome, "
    "outcome_kind, handed_to, version) VALUES ('209901-9100', '209901', 9100, 'repair', 'phone', '', '1', '1', "
    "'', now(), now(), false, true, 'open', '{me}', '', '', '', '', 1)",
    "steprecord": "INSERT INTO steprecord (request_id, step_key, done_at, done_by, note, value) "
    "VALUES ({req}, 'zz', now(), '{me}', '', '')",
    # (a kind the role may record: a step for the desk roles, a page sent for the pager)
    "event": "INSERT INTO event (request_id, at, actor, kind, payload) VALUES ({req}, now(), '{me}', '{kind}', '{{}}')",
    "charge": "INSERT INTO charge (request_id, item_code, qty, unit_price_cents, amount_cents, at, by, note) "
    "VALUES ({req}, 'drain', 1, 5000, 5000, now(), '{me}', '')",
    "followup": "INSERT INTO followup (request_id, at, by, reached, note) VALUES ({req}, now(), '{me}', true, '')",
    "staff": "INSERT INTO staff (login, name, role, phone, active, estate) "
    "VALUES ('probe', 'P', 'guard', '', true, 'main')",
    "estate": "INSERT INTO estate (code, name) VALUES ('probe', 'P')",
    "resident": "INSERT INTO resident (unit, name, phones, notes, relation) VALUES ('9', 'P', '', '', '')",
    "household": "INSERT INTO household (unit, emergency_name, emergency_phone, emergency_relation, "
    "elderly_alone, disability, language, notes, updated_by, version) "
    "VALUES ('9', '', '', '', false, false, '', '', '{me}', 1)",
    "feeitem": "INSERT INTO feeitem (code, name_zh, name_en, unit_zh, unit_en, price_cents, active) "
    "VALUES ('probe', 'p', 'p', 'u', 'u', 1, true)",
    "site_rules": "INSERT INTO site_rules (kind, version, content, digest, published_by, published_at) "
    "VALUES ('fees', 999, '', '', '{me}', now())",
    "month_analysis": "INSERT INTO month_analysis (month, estate, text, written_by, written_at) "
    "VALUES ('2099-02', 'main', 't', '{me}', now())",
    "training": "INSERT INTO training (login, course, day, result, recorded_by, at) "
    "VALUES ('{me}', 'c', '2099-01-02', '', '{me}', now())",
    "assessment": "INSERT INTO assessment (login, month, score, note, by, at) "
    "VALUES ('{me}', '2099-03', 70, '', '{me}', now())",
    "workorder": "INSERT INTO workorder (number, number_month, number_seq, request_id, state, created_at, "
    "created_by, wait_reason, signed_by, not_home, note, finish_note, cancel_reason, version) "
    "VALUES ('W209901-9100', '209901', 9100, 1001, 'pending', now(), '{me}', '', '', false, '', '', '', 1)",
    "material": "INSERT INTO material (code, name, unit, price_fen, on_hand_milli, created_at, version) "
    "VALUES ('PROBE', 'p', 'm', 1, 0, now(), 1)",
    "stockmove": "INSERT INTO stockmove (material_id, kind, delta_milli, balance_milli, price_fen, at, by, "
    "order_id, reason) VALUES (1001, 'use', -1, 9999, 100, now(), '{me}', {order}, '')",
    "tool": "INSERT INTO tool (code, name, condition, created_at, version) VALUES ('PROBE', 'p', 'ok', now(), 1)",
    "toolloan": "INSERT INTO toolloan (tool_id, holder, issued_at, issued_by, condition_back, note) "
    "VALUES (1001, '{me}', now(), '{me}', '', '')",
    "duty_shift": "INSERT INTO duty_shift (duty, login, backup, starts_at, ends_at, added_by, added_at) "
    "VALUES ('duty_supervisor', '{me}', false, now(), now() + interval '1 hour', '{me}', now())",
    "page": "INSERT INTO page (key, chain, login, reason, duty, rung, status, attempts, queued_at, delivered, "
    "error) VALUES ('probe-new', 'major:2', '{me}', 'major', 'duty_manager', 0, 'queued', 0, now(), '', '')",
    "pager_sender": "INSERT INTO pager_sender (id, holder) VALUES (2, 'probe')",
    "alembic_version": "INSERT INTO alembic_version (version_num) VALUES ('probe')",
    "event_counter": "INSERT INTO event_counter (id, last_id) VALUES (2, 0)",
}
# (key column, the row's key as SQL, a column to set to itself)
ROWS = {
    "estate": ("code", "'main'", "name"),
    "feeitem": ("code", "'drain'", "name_en"),
    "alembic_version": ("version_num", "version_num", "version_num"),
    "staff": ("id", "(SELECT min(id) FROM staff)", "name"),
    "site_rules": ("id", "(SELECT min(id) FROM site_rules)", "digest"),
    "event_counter": ("id", "1", "last_id"),
    "training": ("id", "2000", "course"),
    "assessment": ("id", "2000", "note"),
    "pager_sender": ("id", "1", "holder"),
}
SET_COLUMN = {
    "material": "on_hand_milli",
    "household": "unit",
    "resident": "unit",
    "workorder": "note",
    "duty_shift": "login",
    "page": "status",
}


def own_rows(table: str, role: str) -> tuple[int, int]:
    """(a row of the role's own, one of someone else's) for the tables with own rows."""
    if table in ("training", "assessment", "page"):  # 2000 + each role's place: one row each (seeded)
        mine = ROLES.index(role)
        return 2000 + mine, 2000 + (mine + 1) % len(ROLES)
    return 1001, 1002  # workorder 1001 and stockmove on order 1001 are the technician's


def limited_rows(table: str, role: str, rows: str) -> tuple[int, int, bool]:
    """(a row the role may reach, another, whether it may reach that one too): request 1002 is
    confidential and the supervisor's, which the desk's rule lets the supervisors and the manager
    see (domain.permissions.may_see_details) and nobody else."""
    if rows == "visible":
        sees = may_see_details(role, "someone", confidential=True, created_by="the-supervisor", assignee=None)
        return 1001, 1002, sees
    mine, other = own_rows(table, role)
    return mine, other, False


def insert_sql(table: str, role: str, me: str, req: int = 1001, order: int = 1001) -> str:
    kind = "page_sent" if role == matrix.PAGER else "step"
    return INSERTS[table].format(me=me, req=req, order=order, kind=kind)


def probes(site, role: str) -> list[tuple[str, str, str, object]]:
    """(probe id, kind, SQL, expected): expected is a row count, or "denied" (no privilege), or
    "policy" (row-level security refuses the new row)."""
    me = site.login(role)
    out: list[tuple[str, str, str, object]] = []
    for table, ops in matrix.MATRIX.items():
        key, first, set_col = ROWS.get(table, ("id", "1001", SET_COLUMN.get(table, "id")))
        for op in matrix.OPS:
            cell = ops.get(op, {}).get(role)
            pid = f"{table}.{op}"
            if op == "SELECT":
                out += _selects(table, key, first, cell, role, pid)
            elif op == "INSERT":
                out += _inserts(table, cell, role, me, pid)
            elif op == "UPDATE":
                out += _updates(table, key, first, set_col, cell, role, pid)
            else:
                sql = f"DELETE FROM {table} WHERE {key} = {first}"
                out.append((pid, "dml", sql, "denied" if cell is None else 1))
    return out


def _selects(table, key, first, cell, role, pid):
    if cell is None:
        return [(pid, "select", f"SELECT count(*) FROM {table}", "denied")]
    cols = ", ".join(cell.columns) if cell.columns else "*"
    out = []
    if cell.rows == "all":
        out.append(
            (pid, "select", f"SELECT count(*) FROM (SELECT {cols} FROM {table} WHERE {key} = {first}) q", 1)
        )
    else:
        mine, other, sees = limited_rows(table, role, cell.rows)
        seen = f"SELECT count(*) FROM (SELECT {cols} FROM {table} WHERE id = {{}}) q"
        out.append((pid + ".reach", "select", seen.format(mine), 1))
        out.append((pid + ".beyond", "select", seen.format(other), 1 if sees else 0))
    if cell.columns:
        hidden = next(c for c in _columns(table) if c not in cell.columns)
        out.append((pid + ".column", "select", f"SELECT count({hidden}) FROM {table}", "denied"))
    return out


def _inserts(table, cell, role, me, pid):
    if cell is None:
        return [(pid, "dml", insert_sql(table, role, me), "denied")]
    if cell.rows == "all":
        return [(pid, "dml", insert_sql(table, role, me), 1)]
    if cell.rows == "visible":
        sees = limited_rows(table, role, "visible")[2]
        return [
            (pid + ".reach", "dml", insert_sql(table, role, me), 1),
            (pid + ".beyond", "dml", insert_sql(table, role, me, req=1002), 1 if sees else "policy"),
        ]
    return [
        (pid + ".reach", "dml", insert_sql(table, role, me), 1),
        (pid + ".beyond", "dml", insert_sql(table, role, me, order=1002), "policy"),
    ]


def _updates(table, key, first, set_col, cell, role, pid):
    if cell is None:
        return [(pid, "dml", f"UPDATE {table} SET {set_col} = {set_col} WHERE {key} = {first}", "denied")]
    column = set_col if cell.columns is None or set_col in cell.columns else cell.columns[0]
    out = []
    if cell.rows == "all":
        out.append((pid, "dml", f"UPDATE {table} SET {column} = {column} WHERE {key} = {first}", 1))
    else:
        mine, other, sees = limited_rows(table, role, cell.rows)
        sql = f"UPDATE {table} SET {column} = {column} WHERE id = {{}}"
        out.append((pid + ".reach", "dml", sql.format(mine), 1))
        out.append((pid + ".beyond", "dml", sql.format(other), 1 if sees else 0))
    if cell.columns:
        other_col = next(c for c in _columns(table) if c not in cell.columns and c != "id")
        out.append(
            (
                pid + ".column",
                "dml",
                f"UPDATE {table} SET {other_col} = {other_col} WHERE id = 1001",
                "denied",
            )
        )
    return out


def _columns(table: str) -> list[str]:
    from sqlmodel import SQLModel

    from liyuan_tui.store import schema  # noqa: F401  (the tables register)

    return [c.name for c in SQLModel.metadata.tables[table].columns]


def script(items) -> str:
    blocks = []
    for pid, kind, sql, _expected in items:
        run = (
            f"EXECUTE $q${sql}$q$ INTO n;"
            if kind == "select"
            else f"EXECUTE $q${sql}$q$; GET DIAGNOSTICS n = ROW_COUNT;"
        )
        blocks.append(
            "DO $probe$ DECLARE n bigint; BEGIN BEGIN "
            f"{run} RAISE EXCEPTION 'liyuan-probe-ok:%', n; "
            f"EXCEPTION WHEN OTHERS THEN RAISE NOTICE '{pid}|%', SQLERRM; END; END $probe$;"
        )
    return "\n".join(blocks) + "\n"


def outcome(message: str) -> object:
    if message.startswith("liyuan-probe-ok:"):
        return int(message.split(":", 1)[1])
    if message.startswith("permission denied"):
        return "denied"
    if "violates row-level security policy" in message:
        return "policy"
    return message


@pytest.fixture(scope="module")
def seeded(site):
    logins = {short: site.login(role) for role, short in SHORT.items()}
    logins["everyone"] = ", ".join(f"'{site.login(role)}'" for role in ROLES)  # in ROLES' order
    site.admin_sql("SET session_replication_role = replica;" + SEED.format(**logins))
    return site


@pytest.mark.parametrize("role", matrix.MATRIX_ROLES)
def test_every_cell_of_the_matrix_holds_for(seeded, role):
    items = probes(seeded, role)
    done = seeded.psql(seeded.login(role), script(items), stop=False)
    said = dict(re.findall(r"NOTICE:\s+([\w.]+)\|(.*)", done.stderr))
    wrong = []
    for pid, _kind, sql, expected in items:
        got = outcome(said.get(pid, f"no answer ({done.stderr[-300:]})"))
        if got != expected:
            wrong.append(f"{pid}: expected {expected}, got {got!r}  [{sql[:90]}]")
    assert not wrong, f"{role}:\n" + "\n".join(wrong)


def test_the_matrix_covers_every_table_the_desk_makes():
    from sqlmodel import SQLModel

    from liyuan_tui.store import schema  # noqa: F401

    # (and the two the desk's model does not name: Alembic's, and the server's event counter)
    assert set(SQLModel.metadata.tables) | {"alembic_version", "event_counter"} == set(matrix.tables())


def test_docs_security_holds_the_matrix_the_server_installs():
    from liyuan_tui.domain.event_rights import kinds_by_role

    text = DOCS.read_text(encoding="utf-8")
    assert matrix.markdown() in text
    assert matrix.cell_count() == len(matrix.MATRIX) * 4 * 8 and f"**{matrix.cell_count()} cells**" in text
    for role, kinds in kinds_by_role().items():  # and the kinds each role may record
        assert f"| {role} | {', '.join(kinds)} |" in text


def test_every_role_may_record_the_kinds_of_its_actions_and_no_system_kind():
    from liyuan_tui.domain.event_rights import RECORDED_BY, SYSTEM_KINDS
    from liyuan_tui.domain.events import EventKind

    assert set(RECORDED_BY) | SYSTEM_KINDS == set(EventKind)
    for role in ROLES:
        assert "step" in kinds_for(role) and not set(kinds_for(role)) & {str(k) for k in SYSTEM_KINDS}


def test_the_matrix_keeps_the_rules_a_site_was_promised():
    """What issue 18 asks of the matrix itself (the probes above prove the server keeps it)."""
    cells = matrix.MATRIX
    assert cells["workorder"]["SELECT"]["technician"].rows == "own"
    assert cells["workorder"]["UPDATE"]["technician"].rows == "own"
    for role in ("guard", "security_lead", "technician", "dept_staff"):
        assert "notes" not in cells["household"]["SELECT"][role].columns
        assert "notes" not in cells["resident"]["SELECT"][role].columns
    for table in ("month_analysis", "feeitem", "site_rules", "assessment", "staff"):
        for op in ("INSERT", "UPDATE"):
            assert set(cells[table].get(op, {})) <= {"cs_supervisor", "manager"}, (table, op)
    assert set(cells["month_analysis"]["SELECT"]) == {"cs_supervisor", "manager"}
    for table, ops in cells.items():
        if table != "resident":  # a person who moved out leaves the archive (and an event says so)
            assert "DELETE" not in ops, table
    for history in ("event", "steprecord", "charge", "followup", "stockmove", "month_analysis", "site_rules"):
        assert "UPDATE" not in cells[history], history
    # The pager (issue 21): the roster is the supervisors'; the lease the sender's alone; a page is
    # changed by the sender, a supervisor or the manager, and otherwise only by whom it is for; the
    # sender reads what a page needs and writes nothing of the desk's.
    for op in ("INSERT", "UPDATE"):
        assert set(cells["duty_shift"][op]) == {"cs_supervisor", "manager"}
        assert set(cells["pager_sender"][op]) == {"pager"}
    assert {r for r, c in cells["page"]["UPDATE"].items() if c.rows == "all"} == {
        "cs_supervisor",
        "manager",
        "pager",
    }
    assert {r for r, c in cells["page"]["UPDATE"].items() if c.rows == "own"} == set(ROLES) - {
        "cs_supervisor",
        "manager",
    }
    assert cells["request"]["SELECT"]["pager"].rows == "all"
    written = {
        table for table, ops in cells.items() for op, who in ops.items() if op != "SELECT" and "pager" in who
    }
    assert written == {"event", "page", "pager_sender"}

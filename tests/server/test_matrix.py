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
from matrix_rows import DONE_ROWS, FREE_CHARGE, INSERTS, ROWS, SEED, SET_COLUMN
from pg_site import SHORT

from liyuan_tui.domain.event_rights import kinds_for
from liyuan_tui.domain.models import ROLES
from liyuan_tui.domain.permissions import may_see_details
from liyuan_tui.store import postgres_matrix as matrix

pytestmark = pytest.mark.e2e
DOCS = Path(__file__).resolve().parents[2] / "docs" / "security.md"

PER_ROLE = ("training", "assessment", "page", "handover", "commendation", "recommendation")
OWN_REQUEST = ("charge", "receipt")  # own: on a request the role logged or holds (department staff)


def own_rows(table: str, role: str) -> tuple[int, int]:
    """(a row of the role's own, one of someone else's) for the tables with own rows."""
    if table in PER_ROLE:  # 2000 + each role's place: one row each (seeded)
        mine = ROLES.index(role)
        return 2000 + mine, 2000 + (mine + 1) % len(ROLES)
    if table in OWN_REQUEST:  # request 1003 is department staff's, 1001 the assistant's
        return 1003, 1001
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


def insert_sql(
    table: str, role: str, me: str, req: int = 1001, order: int = 1001, writer: str | None = None
) -> str:
    kind = "page_sent" if role == matrix.PAGER else "step"
    charge = FREE_CHARGE[req]
    return INSERTS[table].format(me=me, req=req, order=order, kind=kind, charge=charge, writer=writer or me)


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
                out += _updates(table, key, first, set_col, cell, role, pid, me)
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
    out = []
    if cell.writer is not None:  # in another's name: refused (the supervisors have no such cell)
        req = 1003 if table in OWN_REQUEST else 1001
        out.append((pid + ".forged", "dml", insert_sql(table, role, me, req=req, writer="someone"), "policy"))
    if cell.rows == "all":
        return [*out, (pid, "dml", insert_sql(table, role, me), 1)]
    if cell.rows == "visible":
        sees = limited_rows(table, role, "visible")[2]
        return [
            *out,
            (pid + ".reach", "dml", insert_sql(table, role, me), 1),
            (pid + ".beyond", "dml", insert_sql(table, role, me, req=1002), 1 if sees else "policy"),
        ]
    if table in OWN_REQUEST:
        return [
            *out,
            (pid + ".reach", "dml", insert_sql(table, role, me, req=1003), 1),
            (pid + ".beyond", "dml", insert_sql(table, role, me, req=1001), "policy"),
        ]
    return [
        *out,
        (pid + ".reach", "dml", insert_sql(table, role, me), 1),
        (pid + ".beyond", "dml", insert_sql(table, role, me, order=1002), "policy"),
    ]


def _updates(table, key, first, set_col, cell, role, pid, me):
    if cell is None:
        return [(pid, "dml", f"UPDATE {table} SET {set_col} = {set_col} WHERE {key} = {first}", "denied")]
    column = set_col if cell.columns is None or set_col in cell.columns else cell.columns[0]
    change = f"{column} = {column}"
    if cell.writer is not None:  # the change is made in one's own name, never in another's
        change = f"{cell.writer} = '{me}'"
    out = []
    if cell.rows == "all":
        out.append((pid, "dml", f"UPDATE {table} SET {change} WHERE {key} = {first}", 1))
    else:
        mine, other, sees = limited_rows(table, role, cell.rows)
        sql = f"UPDATE {table} SET {change} WHERE id = {{}}"
        out.append((pid + ".reach", "dml", sql.format(mine), 1))
        out.append((pid + ".beyond", "dml", sql.format(other), 1 if sees else 0))
        if cell.writer is not None:
            forged = f"UPDATE {table} SET {cell.writer} = 'someone' WHERE id = {mine}"
            out.append((pid + ".forged", "dml", forged, "policy"))
    if table in DONE_ROWS:  # done with: changes no more, for anyone
        done = DONE_ROWS[table] + (ROLES.index(role) if table == "handover" else 0)
        out.append((pid + ".done", "dml", f"UPDATE {table} SET {change} WHERE id = {done}", 0))
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
    from liyuan_tui.store.schema import desk_tables

    return [c.name for c in desk_tables().tables[table].columns]


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
    from liyuan_tui.store.schema import desk_tables

    # (and the two the desk's model does not name: Alembic's, and the server's event counter)
    assert set(desk_tables().tables) | {"alembic_version", "event_counter"} == set(matrix.tables())


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


def test_the_desks_own_records_are_written_in_ones_own_name_and_done_once():
    """Issue 22's tables in the matrix: receipts, the duty log, handovers and visitors are written
    by each role in its own name (the supervisors and the manager may record for a colleague); a
    receipt's payment and a handover's acceptance are all that ever changes, once; the staff
    records' commendations and recommendations are the supervisors' and the manager's."""
    cells = matrix.MATRIX
    writers = {
        "receipt": "created_by",
        "duty_note": "by",
        "handover": "signed_by",
        "reception": "received_by",
    }
    for table, writer in writers.items():
        for role, cell in cells[table]["INSERT"].items():
            assert cell.writer == (None if role in ("cs_supervisor", "manager") else writer), (table, role)
    for role, cell in cells["receipt"]["UPDATE"].items():
        assert cell.columns == matrix.RECEIPT_PAYMENT
        assert cell.writer == (None if role in ("cs_supervisor", "manager") else "paid_by")
    assert {c.columns for c in cells["handover"]["UPDATE"].values()} == {matrix.HANDOVER_ACCEPT}
    assert matrix.UPDATABLE_ROWS == {
        "receipt": "paid_at IS NULL",
        "handover": "accepted_at IS NULL",
        "training": "session IS NULL",
    }
    assert {c.columns for c in cells["training"]["UPDATE"].values()} == {("session",)}
    for table in ("duty_note", "reception", "commendation", "recommendation"):
        assert set(cells[table]) == {"SELECT", "INSERT"}, table
    for table in ("commendation", "recommendation"):
        assert set(cells[table]["INSERT"]) == {"cs_supervisor", "manager"}
        assert {r for r, c in cells[table]["SELECT"].items() if c.rows == "all"} == {
            "cs_supervisor",
            "manager",
        }
    assert "guard" not in cells["reception"]["SELECT"] and "technician" not in cells["duty_note"]["INSERT"]
    # department staff: charges and receipts on their own requests only
    assert cells["charge"]["INSERT"]["dept_staff"].rows == "own"
    assert cells["receipt"]["UPDATE"]["dept_staff"].rows == "own"

"""Who may do what to which table on a PostgreSQL site: the role × table × operation matrix, the
one source of the grants and row-level security policies `install_security` makes, of what
`liyuan check` expects to find, of docs/security.md's table and of the test that tries every
cell as a real login (tests/server/test_matrix.py).

A cell says which rows (`all`, `visible`: of a request the role may see, `own`: the role's own)
and, where not every column, which columns. An operation a role has no cell for is refused by the
server (no grant). Nobody deletes history: DELETE is granted on the resident archive only (a
person who moved out), and every change anyone makes leaves an event (postgres_sql.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from liyuan_tui.domain.models import ROLES

OPS = ("SELECT", "INSERT", "UPDATE", "DELETE")

A, S, M, L, G, D, T = ROLES[0], ROLES[1], ROLES[2], ROLES[3], ROLES[4], ROLES[5], ROLES[6]
EVERYONE = ROLES
DESK = (A, S, M)
SUPERVISORS = (S, M)
WORKSHOP = (A, S, M, D)
STORE_ROOM = (S, M, D)


@dataclass(frozen=True)
class Cell:
    rows: str = "all"  # all | visible | own
    columns: tuple[str, ...] | None = None  # None: every column

    def shown(self) -> str:
        word = {"all": "✓", "visible": "visible", "own": "own"}[self.rows]
        return word if self.columns is None else f"{word} ({', '.join(self.columns)})"


ALL, VISIBLE, OWN = Cell("all"), Cell("visible"), Cell("own")
HOUSEHOLD_FLAGS = [
    "id",
    "unit",
    "elderly_alone",
    "disability",
    "language",
    "updated_at",
    "updated_by",
    "version",
]
HOUSEHOLD_NO_NOTES = [*HOUSEHOLD_FLAGS, "emergency_name", "emergency_phone", "emergency_relation"]
RESIDENT_NO_NOTES = ["id", "unit", "name", "phones", "relation"]
STOCK_BALANCE = ("on_hand_milli", "price_fen", "version")


def _cells(*parts: tuple[tuple[str, ...], Cell]) -> dict[str, Cell]:
    out: dict[str, Cell] = {}
    for roles, cell in parts:
        for role in roles:
            out[role] = cell
    return out


def _everyone_reads() -> dict[str, Cell]:
    return _cells((EVERYONE, ALL))


# table → operation → role → cell (no entry: refused)
MATRIX: dict[str, dict[str, dict[str, Cell]]] = {
    "request": {
        "SELECT": _cells((EVERYONE, VISIBLE)),
        "INSERT": _cells(((A, S, M, L), ALL)),
        "UPDATE": _cells((EVERYONE, VISIBLE)),  # ticking a step moves the request's version
    },
    "steprecord": {"SELECT": _cells((EVERYONE, VISIBLE)), "INSERT": _cells((EVERYONE, VISIBLE))},
    "event": {"SELECT": _cells((EVERYONE, VISIBLE)), "INSERT": _cells((EVERYONE, VISIBLE))},
    "charge": {"SELECT": _cells((EVERYONE, VISIBLE)), "INSERT": _cells((DESK, VISIBLE))},
    "followup": {"SELECT": _cells((EVERYONE, VISIBLE)), "INSERT": _cells((DESK, VISIBLE))},
    "staff": {
        "SELECT": _everyone_reads(),
        "INSERT": _cells((SUPERVISORS, ALL)),
        "UPDATE": _cells((SUPERVISORS, ALL)),
    },
    "estate": {
        "SELECT": _everyone_reads(),
        "INSERT": _cells((SUPERVISORS, ALL)),
        "UPDATE": _cells((SUPERVISORS, ALL)),
    },
    "resident": {
        "SELECT": _cells((DESK, ALL), ((L, G, D, T), Cell("all", tuple(RESIDENT_NO_NOTES)))),
        "INSERT": _cells((DESK, ALL)),
        "UPDATE": _cells((DESK, ALL)),
        "DELETE": _cells((DESK, ALL)),  # a person who moved out (recorded: db_change or the desk's event)
    },
    "household": {
        "SELECT": _cells(
            (DESK, ALL),
            ((L, G), Cell("all", tuple(HOUSEHOLD_NO_NOTES))),
            ((D, T), Cell("all", tuple(HOUSEHOLD_FLAGS))),
        ),
        "INSERT": _cells((DESK, ALL)),
        "UPDATE": _cells((DESK, ALL)),
    },
    "feeitem": {
        "SELECT": _everyone_reads(),
        "INSERT": _cells((SUPERVISORS, ALL)),
        "UPDATE": _cells((SUPERVISORS, ALL)),
    },
    "site_rules": {"SELECT": _everyone_reads(), "INSERT": _cells((SUPERVISORS, ALL))},
    "month_analysis": {"SELECT": _cells((SUPERVISORS, ALL)), "INSERT": _cells((SUPERVISORS, ALL))},
    "training": {
        "SELECT": _cells(((A, L, G, D, T), OWN), (SUPERVISORS, ALL)),
        "INSERT": _cells((SUPERVISORS, ALL)),
    },
    "assessment": {
        "SELECT": _cells(((A, L, G, D, T), OWN), (SUPERVISORS, ALL)),
        "INSERT": _cells((SUPERVISORS, ALL)),
        "UPDATE": _cells((SUPERVISORS, ALL)),
    },
    "workorder": {
        "SELECT": _cells(((A, S, M, L, G, D), ALL), ((T,), OWN)),
        "INSERT": _cells((WORKSHOP, ALL)),
        "UPDATE": _cells((WORKSHOP, ALL), ((T,), OWN)),
    },
    "material": {
        "SELECT": _everyone_reads(),
        "INSERT": _cells((STORE_ROOM, ALL)),
        "UPDATE": _cells((STORE_ROOM, ALL), ((A, T), Cell("all", STOCK_BALANCE))),
    },
    "stockmove": {"SELECT": _everyone_reads(), "INSERT": _cells((WORKSHOP, ALL), ((T,), OWN))},
    "tool": {
        "SELECT": _everyone_reads(),
        "INSERT": _cells((STORE_ROOM, ALL)),
        "UPDATE": _cells((WORKSHOP, ALL)),
    },
    "toolloan": {
        "SELECT": _everyone_reads(),
        "INSERT": _cells((WORKSHOP, ALL)),
        "UPDATE": _cells((WORKSHOP, ALL)),
    },
    "alembic_version": {"SELECT": _everyone_reads()},
    # PostgreSQL sites only: the last event id given, kept by the server's own function
    "event_counter": {},
}

# The rows a role may reach, per table: `visible` and `own` as SQL the policies use (the functions
# are postgres_sql.py's; the server's deparsed text of each is what `check` compares).
VISIBLE_ROWS = {
    "request": "(NOT confidential) OR public.liyuan_sees_confidential(created_by, assignee)",
    "event": "(request_id IS NULL) OR public.liyuan_request_visible(request_id)",
}
CHILD_VISIBLE = "public.liyuan_request_visible(request_id)"
OWN_ROWS = {
    "workorder": "technician = CURRENT_USER",
    "training": "login = CURRENT_USER",
    "assessment": "login = CURRENT_USER",
    "stockmove": "public.liyuan_own_order(order_id)",
}


def rows_sql(table: str, rows: str) -> str:
    if rows == "all":
        return "true"
    if rows == "visible":
        return VISIBLE_ROWS.get(table, CHILD_VISIBLE)
    return OWN_ROWS[table]


def group(role: str) -> str:
    return f"liyuan_{role}"


@dataclass(frozen=True)
class Policy:
    table: str
    name: str
    command: str  # SELECT | INSERT | UPDATE | DELETE | ALL
    roles: tuple[str, ...]  # database roles (groups)
    using: str | None
    check: str | None


# (liyuan_backup reads past row-level security by BYPASSRLS: no policy of its own, which the
# supervisors, its members, would get too)
SERVER_ROLES = ("liyuan_owner", "liyuan_roles")


def policies() -> list[Policy]:
    """Every policy the matrix makes: per table, operation and kind of rows, the roles it is for;
    and one for the server's own roles (the functions run as the owner, subject to row security)."""
    out = []
    for table, ops in MATRIX.items():
        out.append(Policy(table, "liyuan_server", "ALL", SERVER_ROLES, "true", "true"))
        for op, cells in ops.items():
            for rows in ("all", "visible", "own"):
                roles = tuple(group(r) for r in ROLES if r in cells and cells[r].rows == rows)
                if not roles:
                    continue
                expr = rows_sql(table, rows)
                using = expr if op in ("SELECT", "UPDATE", "DELETE") else None
                # An update may hand a row on (a request reassigned out of one's sight): checked
                # as the rows one may reach, except on request.
                check = None
                if op == "INSERT":
                    check = expr
                elif op == "UPDATE":
                    check = "true" if table == "request" else expr
                out.append(Policy(table, f"liyuan_{op.lower()}_{rows}", op, roles, using, check))
    return out


def grants() -> list[tuple[str, str, str, tuple[str, ...] | None]]:
    """(table, operation, group, columns or None) of every grant the matrix makes."""
    out = []
    for table, ops in MATRIX.items():
        for op, cells in ops.items():
            for role in ROLES:
                cell = cells.get(role)
                if cell is not None:
                    out.append((table, op, group(role), cell.columns))
    return out


def tables() -> tuple[str, ...]:
    return tuple(MATRIX)


def markdown() -> str:
    """docs/security.md's matrix (a test keeps the file and this in step)."""
    lines = [
        "| table | operation | " + " | ".join(ROLES) + " |",
        "|---|---|" + "---|" * len(ROLES),
    ]
    for table, ops in MATRIX.items():
        for op in OPS:
            cells = ops.get(op, {})
            shown = [cells[r].shown() if r in cells else "—" for r in ROLES]
            lines.append(f"| {table} | {op} | " + " | ".join(shown) + " |")
    return "\n".join(lines)


def cell_count() -> int:
    return len(MATRIX) * len(OPS) * len(ROLES)

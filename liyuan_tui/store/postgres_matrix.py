"""Who may do what to which table on a PostgreSQL site: the role × table × operation matrix, the
one source of the grants and row-level security policies `install_security` makes, of what
`liyuan check` expects to find, of docs/security.md's table and of the test that tries every
cell as a real login (tests/server/test_matrix.py).

A cell says which rows (`all`, `visible`: of a request the role may see, `own`: the role's own)
and, where not every column, which columns; and, where the row names who wrote it, that the role
writes only its own login there (`writer`: a duty-log line, a handover signed, a visitor received,
money taken, in nobody else's name). An operation a role has no cell for is refused by the
server (no grant). Nobody deletes history: DELETE is granted on the resident archive only (a
person who moved out), and every change anyone makes leaves an event (postgres_sql.py).

Besides the seven desk roles, the matrix has one column for a service: `pager`, the group role
`liyuan_pager` of the pager's sender's own login (not on the staff list, not a desk group). It reads
what a page needs (every request: a page names the unit, masked as its receiver would see it) and
writes only pages, its lease and its own events.

Adding a table: give it an entry here (every operation any role may do; none is refused), and
`check` stops calling it "a table this release does not make"; the grants, policies, audit
trigger, docs/security.md's table and the cell-by-cell test follow (docs/security.md says how).
"""

from __future__ import annotations

from dataclasses import dataclass

from liyuan_tui.domain.models import ROLES

OPS = ("SELECT", "INSERT", "UPDATE", "DELETE")

A, S, M, L, G, D, T = ROLES[0], ROLES[1], ROLES[2], ROLES[3], ROLES[4], ROLES[5], ROLES[6]
EVERYONE = ROLES
PAGER = "pager"  # the pager's sender (a service's login in `liyuan_pager`), not a staff role
MATRIX_ROLES = (*ROLES, PAGER)  # the matrix's columns
ALL_OF_US = MATRIX_ROLES  # (every desk role and the pager)
DESK = (A, S, M)
SUPERVISORS = (S, M)
WORKSHOP = (A, S, M, D)
STORE_ROOM = (S, M, D)
ON_SHIFT = (A, S, M, L, G, D)  # (permissions.ON_SHIFT: who keeps the duty log and hands over)
NOT_SUPERVISORS = (A, L, G, D, T)


@dataclass(frozen=True)
class Cell:
    rows: str = "all"  # all | visible | own
    columns: tuple[str, ...] | None = None  # None: every column
    # a column the role writes its own login into (a new row, a change): never another's name. The
    # supervisors and the manager have none, as they may act for a colleague (`--user`).
    writer: str | None = None

    def shown(self) -> str:
        word = {"all": "✓", "visible": "visible", "own": "own"}[self.rows]
        out = word if self.columns is None else f"{word} ({', '.join(self.columns)})"
        return out if self.writer is None else f"{out}, as {self.writer}"

    def as_writer(self, column: str) -> Cell:
        return Cell(self.rows, self.columns, column)


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
RECEIPT_PAYMENT = ("paid_at", "paid_by", "method", "version")  # taking the money, nothing else
HANDOVER_ACCEPT = ("accepted_at", "version")


def _cells(*parts: tuple[tuple[str, ...], Cell]) -> dict[str, Cell]:
    out: dict[str, Cell] = {}
    for roles, cell in parts:
        for role in roles:
            out[role] = cell
    return out


def _everyone_reads() -> dict[str, Cell]:
    return _cells((EVERYONE, ALL))


def _as_themselves(roles: tuple[str, ...], cell: Cell, writer: str) -> dict[str, Cell]:
    """`cell` for `roles`, each writing only its own login into `writer`; the supervisors and the
    manager among them with no such limit (they record for a colleague with `--user`)."""
    return _cells(
        (tuple(r for r in roles if r not in SUPERVISORS), cell.as_writer(writer)),
        (tuple(r for r in roles if r in SUPERVISORS), cell),
    )


# table → operation → role → cell (no entry: refused)
MATRIX: dict[str, dict[str, dict[str, Cell]]] = {
    "request": {
        "SELECT": _cells((EVERYONE, VISIBLE), ((PAGER,), ALL)),
        "INSERT": _cells(((A, S, M, L, D), ALL)),  # (department staff log calls too: issue 22)
        "UPDATE": _cells((EVERYONE, VISIBLE)),  # ticking a step moves the request's version
    },
    "steprecord": {"SELECT": _cells((EVERYONE, VISIBLE)), "INSERT": _cells((EVERYONE, VISIBLE))},
    "event": {
        "SELECT": _cells((EVERYONE, VISIBLE), ((PAGER,), ALL)),
        "INSERT": _cells((EVERYONE, VISIBLE), ((PAGER,), ALL)),  # (the kinds: domain/event_rights.py)
    },
    # (department staff charge on their own requests: a request they logged or hold)
    "charge": {"SELECT": _cells((EVERYONE, VISIBLE)), "INSERT": _cells((DESK, VISIBLE), ((D,), OWN))},
    "followup": {"SELECT": _cells((EVERYONE, VISIBLE)), "INSERT": _cells((DESK, VISIBLE))},
    "staff": {
        "SELECT": _cells((ALL_OF_US, ALL)),  # (whom a page reaches)
        "INSERT": _cells((SUPERVISORS, ALL)),
        "UPDATE": _cells((SUPERVISORS, ALL)),
    },
    "estate": {
        "SELECT": _cells((ALL_OF_US, ALL)),
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
    "site_rules": {"SELECT": _cells((ALL_OF_US, ALL)), "INSERT": _cells((SUPERVISORS, ALL))},
    "month_analysis": {"SELECT": _cells((SUPERVISORS, ALL)), "INSERT": _cells((SUPERVISORS, ALL))},
    "training": {
        "SELECT": _cells(((A, L, G, D, T), OWN), (SUPERVISORS, ALL)),
        "INSERT": _cells((SUPERVISORS, ALL)),
        # one course's attendees share the first row's id, given once it is known (issue 22)
        "UPDATE": _cells((SUPERVISORS, Cell("all", ("session",)))),
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
    # The pager (issue 21): the duty roster, the outbox of pages, the sender's lease. A page is
    # queued by whichever desk's action (or deadline) causes it, and changed by the sender and by
    # an acknowledgement: a supervisor's or the manager's, else only one's own page.
    "duty_shift": {
        "SELECT": _cells((ALL_OF_US, ALL)),
        "INSERT": _cells((SUPERVISORS, ALL)),
        "UPDATE": _cells((SUPERVISORS, ALL)),  # a shift removed stays on record, marked removed
    },
    "page": {
        "SELECT": _cells((ALL_OF_US, ALL)),
        "INSERT": _cells((ALL_OF_US, ALL)),
        "UPDATE": _cells(((A, L, G, D, T), OWN), (SUPERVISORS, ALL), ((PAGER,), ALL)),
    },
    "pager_sender": {
        "SELECT": _cells((ALL_OF_US, ALL)),  # every desk shows the pager down
        "INSERT": _cells(((PAGER,), ALL)),
        "UPDATE": _cells(((PAGER,), ALL)),
    },
    # The desk's own records (issue 22). A receipt is issued with its charge and paid once, by who
    # may take money, as themselves (a paid one changes no more: UPDATABLE_ROWS); the duty log is
    # written as oneself and never changed; a handover is signed as oneself and accepted by its
    # receiver (or a supervisor), once; visitors are the desk's and department staff's; the staff
    # records' commendations and recommendations are the supervisors', each person reading their own.
    "receipt": {
        "SELECT": _cells((EVERYONE, VISIBLE)),
        "INSERT": {**_as_themselves(DESK, VISIBLE, "created_by"), D: OWN.as_writer("created_by")},
        "UPDATE": {
            **_as_themselves(DESK, Cell("visible", RECEIPT_PAYMENT), "paid_by"),
            D: Cell("own", RECEIPT_PAYMENT, "paid_by"),
        },
    },
    "duty_note": {"SELECT": _everyone_reads(), "INSERT": _as_themselves(ON_SHIFT, ALL, "by")},
    "handover": {
        "SELECT": _everyone_reads(),  # (every desk shows a handover awaiting its receiver)
        "INSERT": _as_themselves(ON_SHIFT, ALL, "signed_by"),
        "UPDATE": _cells(
            (tuple(r for r in ON_SHIFT if r not in SUPERVISORS), Cell("own", HANDOVER_ACCEPT)),
            (SUPERVISORS, Cell("all", HANDOVER_ACCEPT)),
        ),
    },
    "reception": {
        "SELECT": _cells(((*DESK, D), ALL)),
        "INSERT": _as_themselves((*DESK, D), ALL, "received_by"),
    },
    "commendation": {
        "SELECT": _cells((NOT_SUPERVISORS, OWN), (SUPERVISORS, ALL)),
        "INSERT": _cells((SUPERVISORS, ALL)),
    },
    "recommendation": {
        "SELECT": _cells((NOT_SUPERVISORS, OWN), (SUPERVISORS, ALL)),
        "INSERT": _cells((SUPERVISORS, ALL)),
    },
    "alembic_version": {"SELECT": _cells((ALL_OF_US, ALL))},
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
    "page": "login = CURRENT_USER",
    # department staff's own requests (permissions.owns): logged by them or held by them
    "charge": "public.liyuan_own_request(request_id)",
    "receipt": "public.liyuan_own_request(request_id)",
    "handover": "to_login = CURRENT_USER",  # the receiver's
    "commendation": "login = CURRENT_USER",
    "recommendation": "login = CURRENT_USER",
}
# Rows that change no more once done, whoever may change the others: a receipt once paid, a
# handover once accepted, a training's session once given (an UPDATE's USING holds this too).
UPDATABLE_ROWS = {
    "receipt": "paid_at IS NULL",
    "handover": "accepted_at IS NULL",
    "training": "session IS NULL",  # (a course's session, once given)
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


def _and(*parts: str) -> str:
    """The parts that say something, each in brackets, joined by AND (`true` when none does)."""
    said = [p for p in parts if p != "true"]
    return " AND ".join(f"({p})" for p in said) if said else "true"


def policies() -> list[Policy]:
    """Every policy the matrix makes: per table, operation, kind of rows and writer column, the
    roles it is for; and one for the server's own roles (the functions run as the owner, subject
    to row security)."""
    out = []
    for table, ops in MATRIX.items():
        out.append(Policy(table, "liyuan_server", "ALL", SERVER_ROLES, "true", "true"))
        for op, cells in ops.items():
            kinds = sorted({(c.rows, c.writer or "") for c in cells.values()}, key=_kind_order)
            for rows, writer in kinds:
                roles = tuple(
                    group(r)
                    for r in MATRIX_ROLES
                    if r in cells and (cells[r].rows, cells[r].writer or "") == (rows, writer)
                )
                expr = rows_sql(table, rows)
                using = None
                if op in ("SELECT", "DELETE"):
                    using = expr
                elif op == "UPDATE":
                    using = _and(expr, UPDATABLE_ROWS.get(table, "true"))
                # An update may hand a row on (a request reassigned out of one's sight): checked
                # as the rows one may reach, except on request.
                check = None
                mine = f"{writer} = CURRENT_USER" if writer else "true"
                if op == "INSERT":
                    check = _and(expr, mine)
                elif op == "UPDATE":
                    check = _and("true" if table == "request" else expr, mine)
                name = f"liyuan_{op.lower()}_{rows}" + (f"_as_{writer}" if writer else "")
                out.append(Policy(table, name, op, roles, using, check))
    return out


def _kind_order(kind: tuple[str, str]) -> tuple[int, str]:
    return ("all", "visible", "own").index(kind[0]), kind[1]


def grants() -> list[tuple[str, str, str, tuple[str, ...] | None]]:
    """(table, operation, group, columns or None) of every grant the matrix makes."""
    out = []
    for table, ops in MATRIX.items():
        for op, cells in ops.items():
            for role in MATRIX_ROLES:
                cell = cells.get(role)
                if cell is not None:
                    out.append((table, op, group(role), cell.columns))
    return out


def tables() -> tuple[str, ...]:
    return tuple(MATRIX)


def markdown() -> str:
    """docs/security.md's matrix (a test keeps the file and this in step)."""
    lines = [
        "| table | operation | " + " | ".join(MATRIX_ROLES) + " |",
        "|---|---|" + "---|" * len(MATRIX_ROLES),
    ]
    for table, ops in MATRIX.items():
        for op in OPS:
            cells = ops.get(op, {})
            shown = [cells[r].shown() if r in cells else "—" for r in MATRIX_ROLES]
            lines.append(f"| {table} | {op} | " + " | ".join(shown) + " |")
    return "\n".join(lines)


def cell_count() -> int:
    return len(MATRIX) * len(OPS) * len(MATRIX_ROLES)

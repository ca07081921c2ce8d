"""PostgreSQL mode for issue 22's tables (their rows of store/postgres_matrix.py): what a desk login
may not do with its records, the server refuses whatever client it uses, and what it may do by hand
is on record — tried here as each role with `SET SESSION AUTHORIZATION` on a database set up as
`site init` sets it up. (tests/server/test_matrix.py tries every cell as real OS logins with psql.)"""

from __future__ import annotations

import uuid

import pg
import pytest

pytestmark = pytest.mark.e2e


@pytest.fixture
def server():
    """A database with the schema and the roles, grants and policies, and one login per role."""
    pg.need_cluster()
    import psycopg
    from sqlalchemy import create_engine

    from liyuan_tui.store.postgres import install_security
    from liyuan_tui.store.schema import create_schema

    name = pg.create_database()
    engine = create_engine(pg.url(name))
    with engine.begin() as conn:
        create_schema(conn)
        install_security(conn)
    engine.dispose()
    tag = uuid.uuid4().hex[:8]
    logins = {role: f"t22_{tag}_{role}" for role in ("assistant", "guard", "cs_supervisor", "dept_staff")}
    conn = psycopg.connect(dbname=name, user=pg.ADMIN, host=pg.SOCKET, autocommit=True)
    for role, login in logins.items():
        conn.execute(f'CREATE ROLE "{login}" LOGIN')
        conn.execute(f'GRANT liyuan_{role} TO "{login}"')
    conn.execute(
        "INSERT INTO request (ref, ref_month, ref_seq, category, received_at, reply_due_at, status, "
        "confidential, created_by, estate, channel, requester_name, unit, phone, description, major, "
        "branches, outcome, outcome_kind, handed_to, version, fault_kind, reply_text, reply_answer) "
        "VALUES ('202611-0001', '202611', 1, 'other', now(), now(), 'open', false, 'x', 'main', 'phone', "
        "'', '', '', '', false, '', '', '', '', 1, '', '', '')"
    )
    try:
        yield conn, logins
    finally:
        conn.execute("RESET SESSION AUTHORIZATION")
        conn.close()
        pg.drop_database(name)
        with pg.admin_connection() as admin:
            for login in logins.values():
                admin.execute(f'DROP ROLE IF EXISTS "{login}"')


def as_(conn, login: str, sql: str, *params):
    """Run `sql` as `login`; the rows (or the rowcount) it gave."""
    conn.execute("RESET SESSION AUTHORIZATION")
    conn.execute(f'SET SESSION AUTHORIZATION "{login}"')
    cur = conn.execute(sql, params)
    return cur.fetchall() if cur.description else cur.rowcount


def refused(conn, login: str, sql: str, *params) -> str:
    import psycopg

    with pytest.raises(psycopg.Error) as err:
        as_(conn, login, sql, *params)
    return str(err.value)


NOW = "now() AT TIME ZONE 'UTC'"


def test_only_supervisors_record_commendations_and_each_person_sees_their_own(server):
    conn, who = server
    sup, ann, gd = who["cs_supervisor"], who["assistant"], who["guard"]
    insert = f"INSERT INTO commendation (login, kind, note, by, at) VALUES (%s, 'reward', 'x', %s, {NOW})"
    for login in (ann, gd):
        assert "permission denied" in refused(conn, login, insert, login, login)
    as_(conn, sup, insert, ann, sup)
    as_(conn, sup, insert, gd, sup)
    assert as_(conn, ann, "SELECT login FROM commendation") == [(ann,)]
    assert len(as_(conn, sup, "SELECT login FROM commendation")) == 2
    assert "permission denied" in refused(conn, sup, "DELETE FROM commendation")
    assert "permission denied" in refused(conn, sup, "UPDATE recommendation SET note = 'y'")


def test_the_duty_log_is_written_as_oneself_and_never_changed(server):
    conn, who = server
    ann, gd = who["assistant"], who["guard"]
    insert = f"INSERT INTO duty_note (estate, at, by, text) VALUES ('main', {NOW}, %s, '巡查')"
    as_(conn, gd, insert, gd)
    assert "row-level security" in refused(conn, ann, insert, gd)  # not in another's name
    assert "permission denied" in refused(conn, gd, "UPDATE duty_note SET text = 'x'")
    assert "permission denied" in refused(conn, gd, "DELETE FROM duty_note")


def test_only_the_receiver_accepts_a_handover(server):
    conn, who = server
    ann, gd, eng = who["assistant"], who["guard"], who["dept_staff"]
    as_(
        conn,
        ann,
        "INSERT INTO handover (estate, since, signed_at, signed_by, to_login, note, sheet, version) "
        f"VALUES ('main', {NOW}, {NOW}, %s, %s, '', '{{}}', 1)",
        ann,
        gd,
    )
    accept = f"UPDATE handover SET accepted_at = {NOW}, version = 2"
    assert as_(conn, eng, accept) == 0  # not theirs to accept: no row
    assert as_(conn, gd, accept) == 1
    assert "permission denied" in refused(conn, gd, "UPDATE handover SET to_login = 'x'")


def test_receipts_are_paid_as_oneself_by_who_may_take_money_and_visitors_are_the_desks(server):
    conn, who = server
    ann, gd = who["assistant"], who["guard"]
    conn.execute("RESET SESSION AUTHORIZATION")
    conn.execute(
        "INSERT INTO feeitem (code, name_zh, name_en, unit_zh, unit_en, price_cents, active) "
        "VALUES ('drain', '疏通', 'Drain', '次', 'job', 5000, true)"
    )
    conn.execute(
        f"INSERT INTO charge (request_id, item_code, qty, unit_price_cents, amount_cents, at, by, note) SELECT id, 'drain', 1, 5000, 5000, {NOW}, 'x', '' FROM request"
    )
    conn.execute(
        "INSERT INTO receipt (number, ref_month, ref_seq, charge_id, request_id, amount_cents, created_at, "
        f"created_by, method, version) SELECT 'S202611-0001', '202611', 1, id, request_id, 5000, {NOW}, 'x', '', 1 FROM charge"
    )
    pay = f"UPDATE receipt SET paid_at = {NOW}, paid_by = %s, method = 'cash', version = 2"
    assert "permission denied" in refused(conn, gd, pay, gd)
    assert "row-level security" in refused(conn, ann, pay, gd)  # money taken in another's name
    assert as_(conn, ann, pay, ann) == 1
    assert "permission denied" in refused(conn, ann, "UPDATE receipt SET amount_cents = 1")
    assert "permission denied" in refused(conn, gd, "SELECT * FROM reception")
    visit = f"INSERT INTO reception (estate, at, name, purpose, unit, received_by, outcome) VALUES ('main', {NOW}, '王', '问', '', %s, '')"
    as_(conn, ann, visit, ann)
    assert "permission denied" in refused(conn, gd, visit, gd)


def test_a_receipt_is_paid_once_and_a_handover_accepted_once_and_by_hand_it_is_on_record(server):
    """Money taken, or a shift taken, cannot be taken again in another's name or rewritten: the
    row changes no more, for a supervisor neither; a guard cannot issue a receipt nor say one was
    paid; and a payment made in psql without the desk leaves a `db_change` naming the login."""
    conn, who = server
    ann, gd, sup = who["assistant"], who["guard"], who["cs_supervisor"]
    conn.execute("RESET SESSION AUTHORIZATION")
    conn.execute(
        "INSERT INTO feeitem (code, name_zh, name_en, unit_zh, unit_en, price_cents, active) "
        "VALUES ('drain', '疏通', 'Drain', '次', 'job', 5000, true)"
    )
    conn.execute(
        f"INSERT INTO charge (request_id, item_code, qty, unit_price_cents, amount_cents, at, by, note) SELECT id, 'drain', 1, 5000, 5000, {NOW}, 'x', '' FROM request"
    )
    receipt = (
        "INSERT INTO receipt (number, ref_month, ref_seq, charge_id, request_id, amount_cents, created_at, "
        f"created_by, method, version) SELECT 'S202611-0001', '202611', 1, id, request_id, 1, {NOW}, %s, '', 1 FROM charge"
    )
    assert "permission denied" in refused(conn, gd, receipt, gd)
    assert "row-level security" in refused(conn, ann, receipt, sup)  # issued in another's name
    as_(conn, ann, receipt, ann)
    paid = "INSERT INTO event (request_id, at, actor, kind, payload) SELECT id, now(), %s, 'paid', '{}' FROM request"
    assert "may not record" in refused(conn, gd, paid, gd)
    pay = f"UPDATE receipt SET paid_at = {NOW}, paid_by = %s, method = 'cash', version = 2"
    assert as_(conn, ann, pay, ann) == 1
    assert as_(conn, ann, pay, ann) == 0  # paid once
    assert as_(conn, sup, pay, sup) == 0  # by nobody again
    conn.execute("RESET SESSION AUTHORIZATION")
    audit = conn.execute(
        "SELECT actor, payload FROM event WHERE kind = 'db_change' AND payload LIKE '%%receipt%%' ORDER BY id"
    ).fetchall()
    assert [a for a, _ in audit] == [ann, ann]  # issued and paid by hand: both on record
    assert '"operation": "UPDATE"' in audit[-1][1]
    as_(
        conn,
        ann,
        "INSERT INTO handover (estate, since, signed_at, signed_by, to_login, note, sheet, version) "
        f"VALUES ('main', {NOW}, {NOW}, %s, %s, '', '{{}}', 1)",
        ann,
        gd,
    )
    accept = f"UPDATE handover SET accepted_at = {NOW}, version = 2"
    assert as_(conn, gd, accept) == 1
    assert as_(conn, gd, accept) == 0 and as_(conn, sup, accept) == 0  # accepted once
    assert "row-level security" in refused(
        conn,
        gd,
        "INSERT INTO handover (estate, since, signed_at, signed_by, to_login, note, sheet, version) "
        f"VALUES ('main', {NOW}, {NOW}, %s, %s, '', '{{}}', 1)",
        ann,
        gd,
    )  # a handover signed in another's name

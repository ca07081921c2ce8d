"""Issue 18's attacks, replayed by real OS logins with psql against a site made by `site init`:
each is refused by the server, or what it did is on record under the login's own name."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.e2e


def one(site, login: str, sql: str) -> str:
    done = site.psql(login, sql)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def refused(site, login: str, sql: str) -> str:
    done = site.psql(login, sql)
    assert done.returncode != 0, f"{sql!r} was allowed: {done.stdout}"
    return done.stderr


def log(site, role: str, *extra: str, category: str = "B") -> str:
    """A request logged through the desk by `role` (root acting for them: the server records
    the real writer, postgres, beside)."""
    done = site.liyuan_admin(
        "log",
        "--category",
        category,
        "--unit",
        "1-101",
        "--phone",
        "13800000001",
        *extra,
        LIYUAN_USER=site.login(role),
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def request_id(site, ref: str) -> int:
    return site.admin_sql(f"SELECT id FROM request WHERE ref = '{ref}'")[0][0]


def events(site, ref: str) -> list[tuple]:
    return site.admin_sql(
        "SELECT e.kind, e.actor, e.db_user, e.payload FROM event e JOIN request r ON r.id = e.request_id "
        f"WHERE r.ref = '{ref}' ORDER BY e.id"
    )


# --- 1. no definer escalation -----------------------------------------------------------------


def test_a_guard_cannot_become_the_owner_nor_grant_itself_a_role(site):
    gd = site.login("guard")
    assert "permission denied to create temporary tables" in refused(
        site, gd, "CREATE TEMP TABLE event (x int)"
    )
    assert "permission denied for schema public" in refused(site, gd, "CREATE TABLE public.x (i int)")
    assert "does not exist" in refused(site, gd, "SELECT liyuan_max_seq('request', '202611')")
    assert "must have admin option" in refused(site, gd, f'GRANT liyuan_cs_supervisor TO "{gd}"')
    assert "permission denied" in refused(site, gd, "SET ROLE liyuan_owner")
    assert "permission denied for function" in refused(site, gd, f"SELECT public.liyuan_staff_sync('{gd}')")
    assert "must be owner" in refused(site, gd, "ALTER TABLE request DISABLE ROW LEVEL SECURITY")
    assert "permission denied" in refused(site, gd, "SELECT public.liyuan_tx_has_desk_event()")
    # The numbering function takes no table name and answers only a number.
    assert one(site, gd, "SELECT public.liyuan_max_request_seq('209912')") == "0"


def test_every_definer_pins_its_search_path_and_none_is_publics(site):
    rows = site.admin_sql(
        "SELECT p.proname, p.proconfig, p.proacl::text, pg_get_userbyid(p.proowner) FROM pg_proc p "
        "JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public' AND p.prosecdef"
    )
    assert {r[0] for r in rows} >= {"liyuan_audit", "liyuan_ladder_rung", "liyuan_staff_sync"}
    for name, config, acl, _owner in rows:
        assert config == ["search_path=pg_catalog, public, pg_temp"], name
        assert acl is not None and "{=X" not in acl and ",=X" not in acl, (name, acl)  # PUBLIC is "=X/…"
    owner, roles = site.admin_sql(
        "SELECT rolcanlogin OR rolcreaterole OR rolsuper, (SELECT rolcanlogin FROM pg_roles WHERE rolname = "
        "'liyuan_roles') FROM pg_roles WHERE rolname = 'liyuan_owner'"
    )[0]
    assert owner is False and roles is False


def test_the_staff_path_creates_only_desk_logins_from_the_staff_list(site):
    sup = site.login("cs_supervisor")
    for login in ("postgres", "liyuan_owner", "pg_monitor"):
        said = refused(site, sup, f"SELECT public.liyuan_staff_sync('{login}')")
        assert "not a desk login" in said
    assert "not on the staff list" in refused(site, sup, "SELECT public.liyuan_staff_sync('stranger')")
    added = site.liyuan_admin("staff", "add", "postgres", "--name", "X", "--role", "guard", LIYUAN_USER=sup)
    assert added.returncode == 2 and len(added.stderr.strip().splitlines()) == 1, added.stderr
    assert not site.admin_sql("SELECT 1 FROM staff WHERE login = 'postgres'")  # nothing written
    assert site.admin_sql("SELECT rolsuper, rolcanlogin FROM pg_roles WHERE rolname = 'postgres'") == [
        (True, True)
    ]


# --- 2. the audit goes where it must ---------------------------------------------------------


def test_a_change_by_hand_is_audited_whatever_the_search_path(site):
    ann = site.login("assistant")
    ref = log(site, "assistant")
    one(
        site, ann, f"SET search_path = pg_temp, public; UPDATE request SET unit = '9-999' WHERE ref = '{ref}'"
    )
    kind, actor, db_user, payload = events(site, ref)[-1]
    assert (kind, actor, db_user) == ("db_change", ann, ann)
    assert json.loads(payload)["table"] == "request"


# --- 3. events are what the database says -----------------------------------------------------


def test_an_event_cannot_be_forged(site):
    ann, sup = site.login("assistant"), site.login("cs_supervisor")
    mine = request_id(site, log(site, "assistant"))
    secret = request_id(site, log(site, "cs_supervisor", "--confidential", "--text", "TOP-SECRET"))
    insert = "INSERT INTO event (request_id, at, actor, kind, payload{extra}) VALUES ({rid}, now(), '{actor}', '{kind}', '{{}}'{value})"

    def attempt(rid=mine, actor=ann, kind="step", extra="", value=""):
        return refused(site, ann, insert.format(rid=rid, actor=actor, kind=kind, extra=extra, value=value))

    assert "actor is its writer" in attempt(actor=sup)  # a guard's insert shown as the supervisor's
    for kind in ("acknowledged", "db_change", "auto_escalated", "staff_changed", "rules_published"):
        assert f"may not record an event of kind {kind}" in attempt(kind=kind)
    assert "row-level security" in attempt(rid=secret)  # an event on a request she may not see
    for key in (f"overdue:{mine + 50}:0", f"warn:{mine}", f"overdue:{mine}:3"):
        assert "warning ladder" in attempt(extra=", dedupe_key", value=f", '{key}'")
    # What she may write is written as hers, whatever she says of the writer.
    new = one(
        site,
        ann,
        insert.format(rid=mine, actor=ann, kind="step", extra=", db_user", value=f", '{sup}'")
        + " RETURNING db_user",
    )
    assert new == ann


def test_only_the_ladder_writes_its_rungs_once_the_deadline_has_passed(site):
    ann = site.login("assistant")
    ref = log(site, "assistant", category="A")  # a medical emergency: 10 minutes to reply
    rid = request_id(site, ref)
    assert one(site, ann, f"SELECT public.liyuan_ladder_rung('overdue:{rid}:0')") == ""  # not due yet
    assert not [e for e in events(site, ref) if e[0] == "auto_escalated"]
    site.admin_sql(  # 20 minutes later, 10 past the deadline (the administrator moves it back in time)
        "SET session_replication_role = replica; UPDATE request SET received_at = received_at - interval "
        f"'20 minutes', reply_due_at = reply_due_at - interval '20 minutes' WHERE id = {rid}"
    )
    assert one(site, ann, f"SELECT public.liyuan_ladder_rung('overdue:{rid}:0') IS NOT NULL") == "t"
    assert one(site, ann, f"SELECT public.liyuan_ladder_rung('overdue:{rid}:0')") == ""  # once only
    assert one(site, ann, f"SELECT public.liyuan_ladder_rung('overdue:{rid}:2') IS NOT NULL") == "t"
    assert (
        one(site, ann, f"SELECT public.liyuan_ladder_rung('overdue:{rid}:3')") == ""
    )  # 15 min late: not yet
    rungs = [e for e in events(site, ref) if e[0] in ("auto_escalated", "overdue_alert")]
    assert [(k, a, u) for k, a, u, _ in rungs] == [
        ("auto_escalated", "system", ann),
        ("overdue_alert", "system", ann),
    ]
    assert site.admin_sql(f"SELECT escalated_by, escalated_to FROM request WHERE id = {rid}") == [
        ("system", "cs_supervisor")
    ]
    shown = site.liyuan_admin("show", ref, LIYUAN_USER=site.login("cs_supervisor"))
    assert f"(logged in as {ann})" in shown.stdout  # the system's rung, noticed by ann's session
    assert "(logged in as postgres)" in shown.stdout  # created by root acting for the assistant


# --- 4. no silent change beyond request ---------------------------------------------------------


def test_history_cannot_be_rewritten_and_every_other_change_is_audited(site):
    ann, gd, sup = site.login("assistant"), site.login("guard"), site.login("cs_supervisor")
    ref = log(site, "assistant")
    rid = request_id(site, ref)
    for sql in (
        "UPDATE steprecord SET note = 'x'",
        "UPDATE charge SET amount_cents = 1",
        "UPDATE followup SET score = 5",
        "UPDATE month_analysis SET text = 'x'",
        "UPDATE feeitem SET price_cents = 1",
        "DELETE FROM charge",
        "DELETE FROM event",
        "TRUNCATE event",
    ):
        assert "permission denied" in refused(site, ann, sql), sql
    assert "permission denied" in refused(site, gd, "DELETE FROM resident")
    one(
        site,
        ann,
        "INSERT INTO resident (unit, name, phones, notes, relation) VALUES ('7-7', 'Wu', '', 'n', '')",
    )
    one(site, ann, "DELETE FROM resident WHERE unit = '7-7'")
    one(
        site,
        sup,
        f"INSERT INTO charge (request_id, item_code, qty, unit_price_cents, amount_cents, at, by, note) "
        f"VALUES ({rid}, 'drain', 1, 1, 1, now(), '{sup}', '')",
    )
    audited = site.admin_sql(
        "SELECT actor, payload FROM event WHERE kind = 'db_change' AND db_user IN "
        f"('{ann}', '{sup}') ORDER BY id"
    )
    said = [(actor, json.loads(p)["table"], json.loads(p)["operation"]) for actor, p in audited]
    assert (ann, "resident", "INSERT") in said and (ann, "resident", "DELETE") in said
    assert (sup, "charge", "INSERT") in said
    deleted = next(json.loads(p) for a, p in audited if json.loads(p)["operation"] == "DELETE")
    assert deleted["row"]["name"] == "Wu" and "notes" not in deleted["row"]  # kept, but not the notes


def test_every_table_has_its_audit_trigger_and_forced_row_security(site):
    from liyuan_tui.store import postgres_matrix as matrix

    rows = dict(
        site.admin_sql(
            "SELECT c.relname, c.relrowsecurity AND c.relforcerowsecurity FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind = 'r'"
        )
    )
    audited = {
        r[0]
        for r in site.admin_sql("SELECT tgrelid::regclass::text FROM pg_trigger WHERE tgname LIKE '%_audit'")
    }
    for table in matrix.tables():
        assert rows[table] is True, table
        assert table in ("event", "event_counter") or table in audited, table

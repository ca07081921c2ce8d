"""`liyuan check` against the live server: each kind of tampering (made by the administrator, or
by a supervisor with psql where a supervisor can) is a ✗ naming what drifted and its fix, with a
non-zero exit; `liyuan site repair` puts it back and `check` passes again."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.e2e

# (name, who tampers: "admin" or a role, the SQL, what `check` names)
TAMPERING = [
    (
        "rls_off",
        "admin",
        "ALTER TABLE request DISABLE ROW LEVEL SECURITY",
        "request: row-level security is off",
    ),
    (
        "rls_not_forced",
        "admin",
        "ALTER TABLE charge NO FORCE ROW LEVEL SECURITY",
        "charge: row-level security is not forced",
    ),
    (
        "policy_changed",
        "admin",
        "ALTER POLICY liyuan_select_visible ON request USING (true)",
        "request: liyuan_select_visible: the row-level security policy was changed",
    ),
    (
        "policy_extra",
        "admin",
        "CREATE POLICY peek ON household FOR SELECT TO liyuan_guard USING (true)",
        "household: peek: a row-level security policy this release does not make",
    ),
    (
        "trigger_disabled",
        "admin",
        "ALTER TABLE request DISABLE TRIGGER request_audit",
        "request: request_audit: the trigger is disabled",
    ),
    (
        "trigger_dropped",
        "admin",
        "DROP TRIGGER event_append_only ON event",
        "event: event_append_only: the trigger is missing",
    ),
    (
        "function_body",
        "admin",
        (
            "CREATE OR REPLACE FUNCTION public.liyuan_sees_confidential(created_by character varying, assignee "
            "character varying) RETURNS boolean LANGUAGE sql STABLE SET search_path = pg_catalog, public, pg_temp "
            "AS $$ SELECT true $$"
        ),
        "liyuan_sees_confidential(created_by character varying, assignee character varying): the function's definition was changed",
    ),
    (
        "function_path",
        "admin",
        "ALTER FUNCTION public.liyuan_audit() RESET search_path",
        "liyuan_audit(): the function's search_path is not pinned",
    ),
    (
        "function_public",
        "admin",
        "GRANT EXECUTE ON FUNCTION public.liyuan_tx_has_desk_event() TO PUBLIC",
        "liyuan_tx_has_desk_event(): the wrong roles may run the function: PUBLIC",
    ),
    (
        "function_old",
        "admin",
        (
            "CREATE FUNCTION public.liyuan_max_seq(table_name text, month text) RETURNS integer LANGUAGE plpgsql "
            "SECURITY DEFINER SET search_path = public AS $$ BEGIN RETURN 0; END $$"
        ),
        "liyuan_max_seq(table_name text, month text): a function this release does not make",
    ),
    (
        "grant_to_group",
        "admin",
        "GRANT DELETE ON event TO liyuan_assistant",
        "event: a grant too many: liyuan_assistant may DELETE",
    ),
    (
        "grant_to_login",
        "admin",
        'GRANT UPDATE ON charge TO "{assistant}"',
        "charge: a grant too many: {assistant} may UPDATE",
    ),
    (
        "temp",
        "admin",
        'GRANT TEMPORARY ON DATABASE "{db}" TO "{guard}"',
        "{guard}: a desk login may create temporary tables",
    ),
    (
        "owner_login",
        "admin",
        "ALTER ROLE liyuan_owner LOGIN CREATEROLE",
        "liyuan_owner: the role has the wrong attribute: LOGIN",
    ),
    (
        "owner_of_table",
        "admin",
        "ALTER TABLE staff OWNER TO postgres",
        "staff: owned by postgres, not liyuan_owner",
    ),
    (
        "member",
        "admin",
        'GRANT liyuan_cs_supervisor TO "{guard}"',
        "{guard}: is in liyuan_cs_supervisor, liyuan_guard, but the staff list says guard",
    ),
    # the pager (issue 21): its tables and its sender's group are the matrix's like any other
    (
        "pager_grant",
        "admin",
        "GRANT UPDATE ON duty_shift TO liyuan_pager",
        "duty_shift: a grant too many: liyuan_pager may UPDATE",
    ),
    (
        "page_policy",
        "admin",
        "ALTER POLICY liyuan_update_own ON page USING (true)",
        "page: liyuan_update_own: the row-level security policy was changed",
    ),
    (
        "pager_bypassrls",
        "admin",
        "ALTER ROLE liyuan_pager BYPASSRLS",
        "liyuan_pager: the role has the wrong attribute: BYPASSRLS",
    ),
    (
        "pager_login_in_a_desk_group",
        "admin",
        'GRANT liyuan_cs_supervisor TO "{pager}"',
        "{pager}: is in liyuan_cs_supervisor but not on the staff list",
    ),
    (
        "staff_in_the_pagers_group",
        "admin",
        'GRANT liyuan_pager TO "{assistant}"',
        "{assistant}: should not be a member of liyuan_pager",
    ),
    (
        "lease_audit_off",
        "admin",
        "ALTER TABLE pager_sender DISABLE TRIGGER pager_sender_audit",
        "pager_sender: pager_sender_audit: the trigger is disabled",
    ),
    (
        "staff_role_by_psql",
        "cs_supervisor",
        "UPDATE staff SET role = 'manager' WHERE login = '{assistant}'",
        "the staff list does not match the audit log: {assistant} is manager, the log says assistant",
    ),
    (
        "event_deleted",
        "admin",
        # the newest event: its id is never given again (the server's counter), so it is missed
        (
            "ALTER TABLE event DISABLE TRIGGER event_append_only; DELETE FROM event WHERE id = "
            "(SELECT max(id) FROM event); ALTER TABLE event ENABLE TRIGGER event_append_only"
        ),
        "event: event ids missing",
    ),
]


def check(site):
    return site.liyuan_admin("check", LIYUAN_USER=site.login("cs_supervisor"))


def test_a_fresh_site_checks_clean(site):
    done = check(site)
    assert done.returncode == 0, done.stdout
    assert "✗" not in done.stdout and "✓" in done.stdout


@pytest.mark.parametrize("name, who, sql, said", TAMPERING, ids=[t[0] for t in TAMPERING])
def test_check_finds_the_tampering_and_repair_puts_it_back(site, name, who, sql, said):
    values = {role: site.login(role) for role in site.logins} | {"db": site.db}
    if who == "admin":
        site.admin_sql(sql.format(**values))
    else:
        done = site.psql(site.login(who), sql.format(**values))
        assert done.returncode == 0, done.stderr
    found = check(site)
    assert found.returncode == 1, found.stdout
    lines = [line for line in found.stdout.splitlines() if line.startswith("✗")]
    assert any(said.format(**values) in line for line in lines), found.stdout
    assert all("site repair" in line or "staff" in line for line in lines)  # each says its fix
    repaired = site.liyuan_admin("site", "repair")
    assert repaired.returncode == 0, repaired.stdout + repaired.stderr
    again = check(site)
    assert again.returncode == 0, again.stdout
    kinds = site.admin_sql("SELECT kind FROM event ORDER BY id DESC LIMIT 1")
    assert kinds == [("site_repaired",)]  # what was found is on record
    pager = site.admin_sql(f"SELECT pg_has_role('{site.login('pager')}', 'liyuan_pager', 'MEMBER')")
    assert pager == [(True,)]  # the sender's login keeps its group through every repair


def test_repair_is_for_the_administrator_only(site, installed):
    """The supervisor, through the desk installed for every login: refused in one line."""
    from os_logins import run_as

    done = run_as(site.login("cs_supervisor"), str(installed), "site", "repair", env=site.env)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "superuser" in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert check(site).returncode == 0


def test_migrate_from_the_release_before_puts_the_new_function_bodies_in_place(site):
    """A site at 0008 runs the ladder's rung function of that release; this release's migrate
    (revision 0009 changes no table) reinstalls it, and `check` is clean with no `site repair`."""
    site.admin_sql(
        "CREATE OR REPLACE FUNCTION public.liyuan_ladder_rung(key text) RETURNS integer LANGUAGE plpgsql "
        "SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$ BEGIN RETURN NULL; END $$"
    )
    site.admin_sql("UPDATE alembic_version SET version_num = '0008'")
    migrated = site.liyuan_admin("migrate", LIYUAN_USER=site.login("cs_supervisor"))
    assert migrated.returncode == 0, migrated.stdout + migrated.stderr
    assert site.admin_sql("SELECT version_num FROM alembic_version") == [("0009",)]
    again = check(site)
    assert again.returncode == 0, again.stdout

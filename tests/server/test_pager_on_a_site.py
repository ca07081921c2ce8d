"""The pager on a site set up by `site init`, as the README says to run it: the sender is a login
of its own in `liyuan_pager` (not on the staff list), running the desk installed for every login.
A major case an assistant logs reaches the manager; every attempt and delivery is on the request's
timeline as the pager's, written by the sender's login; its lease and pages leave no `db_change`;
`check` stays clean with that login in place. What the sender's login may not do — anything of the
desk's, an event of a kind not its own, the ladder's keys — the server refuses."""

from __future__ import annotations

import shutil

import pytest
from os_logins import run_as
from pager_receivers import WebReceiver

pytestmark = pytest.mark.e2e


def desk(site, installed, role: str, *args: str, **env: str):
    done = run_as(site.login(role), str(installed), *args, env=dict(site.env, **env))
    assert done.returncode == 0, f"{role} {' '.join(args)}: {done.stderr}{done.stdout}"
    return done


def pager_config(site, urls: dict[str, str]):
    """The sender's config, its own and private (0600 in a 0700 folder), as the README installs it."""
    folder = site.home / "pager-etc"
    folder.mkdir(exist_ok=True)
    path = folder / "pager.toml"
    path.write_text(
        "[contacts]\n" + "".join(f'"{login}" = ["{url}"]\n' for login, url in urls.items()), encoding="utf-8"
    )
    path.chmod(0o600)
    folder.chmod(0o700)
    for p in (folder, path):
        shutil.chown(p, user=site.login("pager"))
    return path


def count(site, sql: str) -> int:
    return site.admin_sql(sql)[0][0]


def test_the_senders_own_login_delivers_a_major_case_and_leaves_everything_on_record(site, installed):
    hook = WebReceiver().up()
    try:
        pgr, sup, mgr = site.login("pager"), site.login("cs_supervisor"), site.login("manager")
        config = pager_config(site, {sup: hook.url("sup"), mgr: hook.url("mgr")})
        changes_before = count(site, "SELECT count(*) FROM event WHERE kind = 'db_change'")
        ref = desk(
            site,
            installed,
            "assistant",
            "log",
            "--category",
            "B",
            "--unit",
            "3-301",
            "--phone",
            "13800000009",
            "--major",
        ).stdout.strip()
        sent = run_as(
            pgr, str(installed), "pager", "run", "--once", env=dict(site.env, LIYUAN_PAGER_CONFIG=str(config))
        )
        assert sent.returncode == 0, sent.stderr + sent.stdout
        # Nobody on the roster: the duty manager's page reaches the manager and every supervisor.
        hook.wait_for(lambda m: m.to == "mgr" and ref in m.title)
        hook.wait_for(lambda m: m.to == "sup" and ref in m.title)
        rows = site.admin_sql(
            "SELECT e.kind, e.actor, e.db_user FROM event e JOIN request r ON r.id = e.request_id "
            f"WHERE r.ref = '{ref}' AND e.kind LIKE 'page%' ORDER BY e.id"
        )
        assert {kind for kind, _, _ in rows} == {"page_attempt", "page_sent"}
        assert {(actor, who) for _, actor, who in rows} == {("pager", pgr)}  # the pager's, by its login
        assert count(site, "SELECT count(*) FROM event WHERE kind = 'db_change'") == changes_before
        assert count(site, "SELECT count(*) FROM pager_sender WHERE heartbeat_at IS NOT NULL") == 1
        # The manager acknowledges: the pages are hers to change, and the next pass sends nothing.
        desk(site, installed, "manager", "ack", ref)
        assert count(site, "SELECT count(*) FROM page WHERE status <> 'acknowledged'") == 0
        again = run_as(
            pgr, str(installed), "pager", "run", "--once", env=dict(site.env, LIYUAN_PAGER_CONFIG=str(config))
        )
        assert again.returncode == 0, again.stderr
        assert len([m for m in hook.all() if ref in m.title]) == 2
        assert count(site, "SELECT count(*) FROM event WHERE kind = 'db_change'") == changes_before
        checked = site.liyuan_admin("check", LIYUAN_USER=sup)  # the sender's login is where it belongs
        assert checked.returncode == 0 and "✗" not in checked.stdout, checked.stdout
    finally:
        hook.down()


# (what the sender's login tries with psql, what the server says)
REFUSED = [
    ("UPDATE request SET major = false", "permission denied"),
    (
        "INSERT INTO duty_shift (duty, login, backup, starts_at, ends_at, added_by, added_at) "
        "VALUES ('duty_manager', 'me', false, now(), now(), 'me', now())",
        "permission denied",
    ),
    ("UPDATE staff SET role = 'manager'", "permission denied"),
    ("SELECT count(*) FROM household", "permission denied"),
    (
        "INSERT INTO event (request_id, at, actor, kind, payload) VALUES (NULL, now(), '{me}', 'created', '{{}}')",
        "may not record an event of kind created",
    ),
    (
        "INSERT INTO event (request_id, at, actor, kind, payload) VALUES (NULL, now(), '{sup}', 'pager_test', '{{}}')",
        "actor is its writer",
    ),
    (
        "INSERT INTO event (request_id, at, actor, kind, payload, dedupe_key) "
        "VALUES (NULL, now(), 'pager', 'page_unanswered', '{{}}', 'warn:1')",
        "only the warning ladder",
    ),
]


@pytest.mark.parametrize("sql, said", REFUSED, ids=[s.split(" (")[0][:40] for s, _ in REFUSED])
def test_the_senders_login_may_not_do_the_desks_work(site, sql, said):
    me, sup = site.login("pager"), site.login("cs_supervisor")
    done = site.psql(me, sql.format(me=me, sup=sup) + ";")
    assert done.returncode != 0 and said in done.stderr, done.stderr


def test_the_senders_login_is_no_desk_user(site, installed):
    done = run_as(site.login("pager"), str(installed), "queue", env=site.env)
    assert done.returncode == 2 and len(done.stderr.strip().splitlines()) == 1, done.stderr


def test_a_lease_changed_by_anyone_but_the_sender_is_on_record(site):
    # The lease is there, written by the sender's own login (not a change on record) as a sender
    # that has stopped leaves it, whichever of this module's tests ran before.
    taken = site.psql(
        site.login("pager"),
        "INSERT INTO pager_sender (id, holder, started_at, heartbeat_at) "
        "VALUES (1, NULL, now(), now()) ON CONFLICT (id) DO NOTHING;",
    )
    assert taken.returncode == 0, taken.stderr
    before = count(site, "SELECT count(*) FROM event WHERE kind = 'db_change'")
    site.admin_sql("UPDATE pager_sender SET heartbeat_at = now()")  # a pager faked alive by hand
    rows = site.admin_sql(
        "SELECT actor, payload FROM event WHERE kind = 'db_change' ORDER BY id DESC LIMIT 1"
    )
    assert count(site, "SELECT count(*) FROM event WHERE kind = 'db_change'") == before + 1
    assert rows[0][0] == "postgres" and '"pager_sender"' in rows[0][1]


def test_the_deadlines_escalation_pages_the_duty_supervisor_from_whichever_desk_notices_it(site, installed):
    """The server writes the escalation (liyuan_ladder_rung); the desk that noticed it — a guard's
    here — queues the duty supervisor's page in that same transaction, and nothing is left to audit."""
    before = count(site, "SELECT count(*) FROM event WHERE kind = 'db_change'")
    ref = desk(
        site, installed, "assistant", "log", "--category", "A", "--unit", "5-501", "--phone", "13800000011"
    ).stdout.strip()
    site.admin_sql(  # 20 minutes later: 10 past the reply deadline (the administrator moves it back)
        "SET session_replication_role = replica; UPDATE request SET received_at = received_at - interval "
        f"'20 minutes', reply_due_at = reply_due_at - interval '20 minutes' WHERE ref = '{ref}'"
    )
    noticed = desk(site, installed, "guard", "alerts")
    assert "escalated automatically" in noticed.stdout, noticed.stdout  # (the event's kind, in words)
    pages = site.admin_sql(f"SELECT login, reason, duty FROM page WHERE ref = '{ref}'")
    assert pages == [(site.login("cs_supervisor"), "escalated", "duty_supervisor")]  # nobody on the roster
    assert count(site, "SELECT count(*) FROM event WHERE kind = 'db_change'") == before

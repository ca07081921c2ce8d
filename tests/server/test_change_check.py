"""A desk's change check on a site costs one row whatever the history (issue 24): the committed
event counter, read through the server's function, never max(id) under row-level security; an
event still being written does not move it, so a desk that read N has every event up to N."""

from __future__ import annotations

import pg
import psycopg
import pytest

pytestmark = pytest.mark.e2e


def newest(site, role: str) -> int:
    done = site.psql(site.login(role), "SELECT public.liyuan_last_event_id();")
    assert done.returncode == 0, done.stderr
    return int(done.stdout.strip())


def test_the_change_check_reads_the_committed_counter_not_the_events(site):
    before = newest(site, "guard")
    top = site.admin_sql("SELECT coalesce(max(id), 0) FROM public.event")[0][0]
    assert before == top  # every event, the ones this guard may not see too

    writer = psycopg.connect(dbname=site.db, user=pg.ADMIN, host=pg.SOCKET)
    try:
        writer.execute(
            "INSERT INTO public.event (at, actor, kind, payload) "
            "VALUES (timezone('UTC', now()), 'postgres', 'db_change', '{}')"
        )
        assert newest(site, "guard") == before  # numbered, not committed: not yet to be looked for
        writer.commit()
    finally:
        writer.close()
    assert newest(site, "guard") == before + 1

    plan = site.admin_sql("EXPLAIN SELECT c.last_id FROM public.event_counter c WHERE c.id = 1")
    assert "event " not in " ".join(row[0] for row in plan)  # (the counter's row, not the log)


def test_the_counter_is_all_a_desk_may_read_of_it(site):
    done = site.psql(site.login("guard"), "SELECT last_id FROM public.event_counter;", stop=True)
    assert done.returncode != 0 and "permission denied" in done.stderr

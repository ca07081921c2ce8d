"""A database copied from a template (tests/db_templates.py) is the database the fixtures would
make on a new one, row for row and table for table, on both engines; and a copy is never placed
over a database a test has already touched, nor with staff written at another time."""

from __future__ import annotations

import sqlite3
from datetime import timedelta

import pytest
from db_templates import KINDS, START, fill

from liyuan_tui.domain.clock import FakeClock
from liyuan_tui.store import Store

pytestmark = pytest.mark.parametrize("engine_name", ["sqlite", "postgresql"])


def new_database(engine_name, tmp_path, name):
    if engine_name == "sqlite":
        return f"sqlite:///{tmp_path / name}"
    import pg

    pg.need_cluster()
    return pg.url(pg.create_database())


def made_here(url, kind, procedures):
    """What the fixtures write on a new database, without a template."""
    stores: list[Store] = []

    def make(login):
        st = Store(url, FakeClock(START), login, procedures=procedures, tz="Asia/Shanghai", create=True)
        st.init_schema()
        stores.append(st)
        return st

    fill(kind, make)
    for st in stores:
        st.close()


def contents(url) -> list[str]:
    """Every table, column, index, trigger and row (and PostgreSQL's sequences and functions)."""
    if url.startswith("sqlite:///"):
        with sqlite3.connect(url[len("sqlite:///") :]) as conn:
            return sorted(conn.iterdump())
    import pg
    import psycopg

    with psycopg.connect(dbname=pg.database_of(url), user=pg.ADMIN, host=pg.SOCKET) as conn:
        said = [
            repr(row)
            for sql in (
                "SELECT table_name, column_name, data_type, column_default, is_nullable "
                "FROM information_schema.columns WHERE table_schema = 'public'",
                "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'",
                "SELECT tgname, tgrelid::regclass::text FROM pg_trigger WHERE NOT tgisinternal",
                "SELECT proname, prosrc FROM pg_proc JOIN pg_namespace n ON n.oid = pronamespace "
                "WHERE nspname = 'public'",
                "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public'",
            )
            for row in conn.execute(sql).fetchall()
        ]
        tables = conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'").fetchall()
        for (table,) in tables:
            said += [
                f"{table}: {row}" for (row,) in conn.execute(f'SELECT row_to_json(t)::text FROM "{table}" t')
            ]
    return sorted(said)


def drop(url) -> None:
    if not url.startswith("sqlite:///"):
        import pg

        pg.drop_database(pg.database_of(url))


def copy_of(kind, engine_name, tmp_path, templates, clock) -> tuple[str, bool]:
    """A new database for the test as the fixtures get it: copied if it may be, and whether it was."""
    if engine_name == "sqlite":
        url = f"sqlite:///{tmp_path / 'copied.db'}"
        return url, templates.place(kind, url, clock)
    import pg

    pg.need_cluster()
    url = pg.url(templates.new_database(kind))
    return url, templates.confirm(url, clock) == kind


@pytest.mark.parametrize("kind", KINDS)
def test_a_copy_is_the_database_the_fixtures_make(kind, engine_name, tmp_path, procedures, db_templates):
    made = new_database(engine_name, tmp_path, "made.db")
    copied, placed = copy_of(kind, engine_name, tmp_path, db_templates, FakeClock(START))
    try:
        made_here(made, kind, procedures)
        assert placed
        assert contents(copied) == contents(made)
        if kind != "schema":
            assert any("sup" in line and "cs_supervisor" in line for line in contents(copied))
    finally:
        drop(made)
        drop(copied)


def test_with_the_clock_moved_the_fixtures_write_the_staff_themselves(engine_name, tmp_path, db_templates):
    later = FakeClock(START + timedelta(minutes=1))
    copied, placed = copy_of("staffed", engine_name, tmp_path, db_templates, later)
    try:
        assert not placed
        if engine_name == "sqlite":
            assert not (tmp_path / "copied.db").exists()
        else:
            import pg

            assert pg.marks(pg.database_of(copied)) == (0,)  # emptied again
    finally:
        drop(copied)


def test_a_database_already_written_is_never_covered_by_a_copy(
    engine_name, tmp_path, procedures, db_templates
):
    if engine_name == "sqlite":
        touched = f"sqlite:///{tmp_path / 'touched.db'}"
        made_here(touched, "schema", procedures)
        before = contents(touched)
        assert not db_templates.place("staffed", touched, FakeClock(START))
        assert contents(touched) == before
        return
    import pg

    pg.need_cluster()
    touched = pg.url(db_templates.new_database("staffed"))
    try:
        st = Store(touched, FakeClock(START), "sup", procedures=procedures, tz="Asia/Shanghai")
        st.staff.add_staff("early", "EARLY", "guard")  # a fixture writing before `staff` came
        st.close()
        with pytest.raises(AssertionError, match="written to before"):
            db_templates.confirm(touched, FakeClock(START))
    finally:
        drop(touched)

"""Reading without the ORM (store/glance.py), what `queue --json` and `show` read: the same rows,
with the same values and types, as the ORM's reads (lookup.py), and the same refusals at opening
as the kernel's; its list of each table's times and flags is the tables' own."""

from __future__ import annotations

import sqlite3

import pytest
from backoffice_helpers import close_repair, log_repair
from sqlalchemy import Boolean

from liyuan_tui.domain.column_types import UTCDateTime
from liyuan_tui.domain.errors import NotFound, PermissionDenied, UnknownUser
from liyuan_tui.domain.procedure_files import load_procedures
from liyuan_tui.store.glance import Glance
from liyuan_tui.store.rows import FLAGS, TIMES
from liyuan_tui.store.schema import SchemaMismatch, desk_tables


def glance_of(db_url, clock, login, **kw) -> Glance:
    return Glance(db_url, clock, login, procedures=load_procedures, tz="Asia/Shanghai", **kw)


def columns(row) -> dict:
    return {c.name: getattr(row, c.name) for c in row.__table__.columns}


def test_its_times_and_flags_are_the_tables_own():
    tables = desk_tables().tables
    for name in TIMES:
        table = tables[name]
        assert set(TIMES[name]) == {c.name for c in table.columns if isinstance(c.type, UTCDateTime)}, name
        assert set(FLAGS.get(name, ())) == {c.name for c in table.columns if isinstance(c.type, Boolean)}, (
            name
        )


def test_the_queue_is_the_orms_queue_column_for_column(staff, desk, clock, db_url):
    log_repair(desk, unit="1-101")
    desk.intake.create_request(category="medical", unit="3-1201", phone="138", major=True, complete=True)
    close_repair(desk, log_repair(desk, unit="1-102").ref)
    glance = glance_of(db_url, clock, "ann")
    try:
        read = {r.ref: r for r in glance.open_requests()}
        for req in desk.lookup.open_requests():
            row = read.pop(req.ref)
            for name, value in columns(req).items():
                assert getattr(row, name) == value and type(getattr(row, name)) is type(value), name
            assert row.branch_list == req.branch_list and row.is_open
        assert read == {}
        assert [r.ref for r in glance.open_requests("other")] == []
        assert glance.me.login == "ann" and glance.me.active is True
    finally:
        glance.close()


def test_one_request_in_full_is_the_orms_detail(staff, desk, clock, db_url):
    ref = log_repair(desk).ref
    desk.lifecycle.tick_step(ref, "fault", note="厨房漏水", value="厨房水管")
    desk.charges.add_charge(ref, "drain")
    second = log_repair(desk, unit="5栋0804").ref
    desk.incidents.link(second, ref)
    close_repair(desk, ref)
    desk.followups.record(ref, reached="no", note="无人接听")
    orm = desk.lookup.detail(ref)
    glance = glance_of(db_url, clock, "ann")
    try:
        read = glance.detail(ref)
        assert {k: getattr(read.request, k) for k in columns(orm.request)} == columns(orm.request)
        assert {k: columns(v) for k, v in orm.steps.items()} == {
            k: {c: getattr(v, c) for c in columns(orm.steps[k])} for k, v in read.steps.items()
        }
        for mine, theirs in (
            (read.events, orm.events),
            (read.charges, orm.charges),
            (read.followups, orm.followups),
            (list(read.receipts.values()), list(orm.receipts.values())),
        ):
            assert theirs, "the test wrote none"
            assert [{c: getattr(r, c) for c in columns(o)} for r, o in zip(mine, theirs, strict=True)] == [
                columns(o) for o in theirs
            ]
        assert read.linked == orm.linked == [second]
        assert glance.staff_names() == {s.login: s.name for s in desk.staff.list_staff()}
        assert glance.fee_item_names() == desk.charges.item_names()
        with pytest.raises(NotFound):
            glance.detail("209901-9999")
    finally:
        glance.close()


def test_it_refuses_at_opening_as_the_kernel_does(staff, clock, db_url):
    for login, kw, refusal in (
        ("nobody", {}, UnknownUser),
        ("ann", {"os_login": "gd"}, PermissionDenied),  # a guard may not act for another
    ):
        glance = glance_of(db_url, clock, login, **kw)
        try:
            with pytest.raises(refusal):
                glance.ready()
        finally:
            glance.close()


@pytest.mark.sqlite_only
def test_it_refuses_a_database_of_another_release(staff, clock, db_path):
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0003'")
    glance = glance_of(f"sqlite:///{db_path}", clock, "ann")
    try:
        with pytest.raises(SchemaMismatch):
            glance.ready()
    finally:
        glance.close()


@pytest.mark.sqlite_only
def test_it_never_makes_a_database_and_says_there_is_none(tmp_path, clock):
    from liyuan_tui.store.dbfiles import NoDatabase

    missing, empty = tmp_path / "none.db", tmp_path / "empty.db"
    empty.touch()
    for path, key in ((missing, "error.no_database"), (empty, "error.no_database_empty")):
        glance = glance_of(f"sqlite:///{path}", clock, "ann")
        try:
            with pytest.raises(NoDatabase) as refused:
                glance.ready()
            assert refused.value.key == key
        finally:
            glance.close()
    assert not missing.exists() and empty.stat().st_size == 0

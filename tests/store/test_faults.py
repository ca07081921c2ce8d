"""Database errors leave the store as the desk's own refusals (store/faults.py), wherever they
happen: a damaged file, a lock held past the timeout, a server gone, a constraint."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy.exc import IntegrityError, OperationalError

from liyuan_tui.domain.errors import DeskError, ValidationError
from liyuan_tui.store import DatabaseBusy, DatabaseFault, Store, faults


def test_a_lock_held_too_long_is_the_busy_refusal(tmp_path):
    exc = OperationalError("BEGIN IMMEDIATE", {}, sqlite3.OperationalError("database is locked"))
    said = faults.refusal(exc, f"sqlite:///{tmp_path / 'desk.db'}", tmp_path / "desk.db", 2000)
    assert isinstance(said, DatabaseBusy) and said.key == "error.busy" and said.params["seconds"] == 2


def test_any_other_driver_error_is_a_database_fault_on_one_line():
    exc = sqlite3.DatabaseError("file is not\na database")
    said = faults.refusal(exc, "postgresql+psycopg://desk:secret@server/liyuan", None)
    assert isinstance(said, DatabaseFault) and said.key == "error.database"
    assert said.params["reason"] == "file is not a database"
    assert "secret" not in said.params["path"]  # the URL as it may be printed


def test_an_error_that_is_not_the_databases_is_left_alone():
    assert faults.refusal(KeyError("x"), "sqlite:///x", None) is None
    with pytest.raises(KeyError), faults.said("sqlite:///x"):
        raise KeyError("x")


def test_a_unique_constraint_is_said_as_the_refusal_asked_for():
    refused = ValidationError("error.login_exists", "login", value="ann")
    with pytest.raises(ValidationError) as caught, faults.unique_or(refused):
        raise IntegrityError("INSERT", {}, sqlite3.IntegrityError("UNIQUE constraint failed"))
    assert caught.value is refused


def test_a_file_that_is_not_a_database_reaches_the_caller_as_a_desk_error(tmp_path, clock, procedures):
    path = tmp_path / "desk.db"
    path.write_bytes(b"this is not a SQLite file at all, but it is long enough" * 100)
    store = Store(f"sqlite:///{path}", clock, "sup", procedures=procedures)
    try:
        with pytest.raises(DeskError) as caught:
            store.lookup.open_requests()
        assert isinstance(caught.value, DatabaseFault)
        with pytest.raises(DatabaseFault):
            store.integrity.health()
    finally:
        store.close()

"""The bad inputs a site met, each now one line naming the flag, exit 2 and nothing written — where
they used to be tracebacks or were silently taken; exports as private as the database; and a
reader that goes away (`liyuan show REF | head -1`) ends the command quietly."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys

import pytest
from cli_runner import run_liyuan


@pytest.fixture
def ref(staff):
    desk = staff["assistant"]
    req = desk.intake.create_request(category="B", unit="3-1201", phone="13800000000", complete=True)
    desk.lifecycle.mark_replied(req.ref)
    return req.ref


def events(db_path) -> int:
    with sqlite3.connect(db_path) as conn:
        return conn.execute("SELECT count(*) FROM event").fetchone()[0]


MEGABYTE = "x" * 1_000_000
CASES = [
    (["log", "--category", "B", "--unit", "\udcff", "--phone", "123"], "--unit", "UTF-8"),
    (
        ["log", "--category", "B", "--unit", "1", "--phone", "123", "--received-at", "0001-01-01T00:00"],
        "--received-at",
        "between the years",
    ),
    (["report", "--month", "9999-12"], "--month", "between the years"),
    (["report", "--month", "2026-11", "-o", "."], "-o", "is a folder"),
    (["report", "--month", "2026-11", "-o", "no-such-folder/r.md"], "-o", "does not exist"),
    (["report", "--month", "2026-11", "-o", "/dev/full"], "-o", "--force"),  # (never opened: it exists)
    (["report", "--month", "2026-11", "-o", "/dev/full", "--force"], "-o", "not a regular file"),
    (["--tz", "x" * 300, "queue"], "time zone", "not a known zone"),
    (["--procedures", "x" * 300, "rules", "publish"], "procedure", "cannot be read"),
    (["--db", "foo://bar", "queue"], "database", "neither a file"),
    (["escalate", "{ref}", "--to", "ghost"], "--to", "not the login of an active supervisor"),
    (["escalate", "{ref}", "--to", "ann"], "--to", "not the login of an active supervisor"),
    (["escalate", "{ref}", "--to", MEGABYTE], "--to", "not a valid login"),
    (["close", "{ref}", "--outcome", "done", "--handed-to", MEGABYTE], "--handed-to", "too long"),
    (["charge", "{ref}", "drain", "--qty", "1e-300"], "--qty", "between 0.01 and 10000"),
    (["reopen", "{ref}", "--reason", ""], "--reason", "must not be empty"),
    (["cancel", "{ref}", "--reason", " "], "--reason", "must not be empty"),
    (["pages", "--limit=--"], "--limit", "invalid int value: '--'"),  # (argparse gave it [])
    (["charge", "{ref}", "drain", "--qty=--"], "--qty", "'--'"),
    (
        ["roster", "remove", "²"],
        "²",
        "no shift numbered",
    ),  # (a digit to str.isdigit, not to int: the fuzz test's)
]


@pytest.mark.parametrize("args,flag,said", CASES, ids=[f"{c[1]}:{c[2]}" for c in CASES])
def test_each_bad_input_is_one_line_exit_2_and_nothing_written(
    staff, ref, cli_env, db_path, tmp_path, monkeypatch, args, flag, said
):
    monkeypatch.chdir(tmp_path)
    before, files = events(db_path), sorted(os.listdir(tmp_path))
    done = run_liyuan(dict(cli_env, LIYUAN_USER="sup"), *[a.replace("{ref}", ref) for a in args])
    assert done.returncode == 2 and done.stdout == "", done.stderr
    [line] = done.stderr.strip().splitlines()
    assert flag in line and said in line and len(line) < 600, line
    assert events(db_path) == before and sorted(os.listdir(tmp_path)) == files


def test_an_import_row_dated_year_one_is_a_bad_row_not_a_traceback(staff, cli_env, db_path, tmp_path):
    logbook = tmp_path / "logbook.csv"
    logbook.write_text(
        "category,received_at,unit\nB,0001-01-01 00:00,1-101\nB,2026-11-01 10:00,1-102\n", encoding="utf-8"
    )
    before = events(db_path)
    done = run_liyuan(dict(cli_env, LIYUAN_USER="sup"), "import", str(logbook))
    assert done.returncode == 2 and "line 2" in done.stderr and "between the years" in done.stderr
    assert "Traceback" not in done.stderr and events(db_path) == before


@pytest.mark.parametrize("command", [("import",), ("residents", "import")])
@pytest.mark.parametrize("device", ["/dev/zero", "/dev/full"])
def test_an_import_of_a_device_is_refused_without_reading_it_to_the_end(
    staff, cli_env, db_path, command, device
):
    """/dev/zero never ends: read whole, it took every byte of memory (the fuzz test met it)."""
    before = events(db_path)
    done = run_liyuan(dict(cli_env, LIYUAN_USER="sup"), *command, device)
    assert done.returncode == 2 and "file" in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert events(db_path) == before


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/full"])
def test_an_analysis_read_from_a_device_is_refused_without_reading_it_to_the_end(
    staff, cli_env, db_path, device
):
    """Read whole, /dev/full took 24 GB before the kernel stopped it (the fuzz test met it)."""
    before = events(db_path)
    done = run_liyuan(dict(cli_env, LIYUAN_USER="sup"), "analysis", "--month", "2026-11", "--file", device)
    assert done.returncode == 2 and device in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert events(db_path) == before


def test_backup_onto_a_dangling_symlink_is_refused(staff, cli_env, tmp_path):
    link = tmp_path / "dangling.db"
    link.symlink_to(tmp_path / "nowhere" / "x.db")
    done = run_liyuan(dict(cli_env, LIYUAN_USER="sup"), "backup", str(link))
    assert (
        done.returncode == 2
        and "never overwritten" in done.stderr
        and len(done.stderr.strip().splitlines()) == 1
    )
    assert link.is_symlink() and not (tmp_path / "nowhere").exists()


def test_a_report_file_is_as_private_as_the_database(staff, cli_env, tmp_path):
    os.umask(0o022)
    private = tmp_path / "r.md"
    assert (
        run_liyuan(
            dict(cli_env, LIYUAN_USER="sup"), "report", "--month", "2026-11", "-o", str(private)
        ).returncode
        == 0
    )
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    group_folder = tmp_path / "srv"
    group_folder.mkdir()
    os.chmod(group_folder, 0o2770)
    shared = group_folder / "r.csv"
    done = run_liyuan(
        dict(cli_env, LIYUAN_USER="sup"), "report", "--month", "2026-11", "--format", "csv", "-o", str(shared)
    )
    assert done.returncode == 0 and stat.S_IMODE(shared.stat().st_mode) == 0o640


def test_the_desks_exports_are_as_private_as_the_database(tmp_path):
    from liyuan_tui.reports.files import write_export

    os.umask(0o002)
    written = write_export(tmp_path / "handover.md", "# sheet\n", overwrite=False)
    assert stat.S_IMODE(written.stat().st_mode) == 0o600


@pytest.mark.e2e
def test_a_reader_that_goes_away_ends_the_command_quietly(staff, ref, cli_env):
    """`liyuan show REF | head -1`: the pipe closes before the desk has written; no traceback."""
    read, write = os.pipe()
    os.close(read)
    try:
        done = subprocess.run(
            [sys.executable, "-m", "liyuan_tui.cli", "show", ref, "--user", "sup"],
            env=cli_env,
            stdout=write,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
        )
    finally:
        os.close(write)
    assert (
        "Traceback" not in done.stderr and "BrokenPipe" not in done.stderr and "Exception" not in done.stderr
    )
    assert done.returncode == 141


def test_a_queue_of_an_estate_that_is_not_a_code_is_refused_in_one_line(staff, cli_env):
    """`--estate` with a byte that is not UTF-8 reached the database and raised (the fuzz test met it)."""
    done = run_liyuan(dict(cli_env, LIYUAN_USER="sup"), "queue", "--estate=\udc80")
    assert done.returncode == 2 and "--estate" in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert "Traceback" not in done.stderr

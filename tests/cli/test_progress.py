"""Long work shows its progress on a terminal and nothing extra on a pipe; ctrl+c leaves nothing
half-written (the import's one transaction is rolled back, a backup or report file removed)."""

from __future__ import annotations

import io
from contextlib import contextmanager
from pathlib import Path

import pytest
from cli_runner import run_liyuan
from sqlalchemy import func
from sqlmodel import Session, select

from liyuan_tui.cli import main
from liyuan_tui.domain.models import Event, Request

ROWS = 5000


class Terminal(io.StringIO):
    """Standard error as a terminal would be."""

    def isatty(self) -> bool:
        return True


def logbook(path, rows: int = ROWS) -> str:
    lines = ["category,received_at,unit,phone,description"]
    lines += [
        f"repair,2026-10-{1 + i % 28:02d} {i % 24:02d}:{i % 60:02d},{i}-{i % 900 + 100},13800138000,漏水 {i}"
        for i in range(rows)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def stored(engine) -> tuple[int, int]:
    with Session(engine) as s:
        return s.exec(select(func.count()).select_from(Request)).one(), s.exec(
            select(func.count()).select_from(Event)
        ).one()


def liyuan(cli_env, *args, err=None, clock=None):
    out = io.StringIO()
    err = err if err is not None else io.StringIO()
    env = dict(cli_env, LIYUAN_USER="sup")
    import os
    from unittest import mock

    with mock.patch.dict(os.environ, env, clear=True):
        code = main(list(args), clock, out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_on_a_terminal_the_import_shows_a_bar_with_the_count_and_time_left(cli_env, staff, tmp_path):
    err = Terminal()
    code, out, _ = liyuan(cli_env, "import", logbook(tmp_path / "log.csv"), err=err)
    assert code == 0 and f"imported {ROWS}" in out
    shown = err.getvalue()
    assert "Importing requests" in shown and f"{ROWS + 1}/{ROWS + 1}" in shown and "left" in shown


def test_on_a_pipe_nothing_extra_is_printed(cli_env, staff, tmp_path):
    done = run_liyuan(dict(cli_env, LIYUAN_USER="sup"), "import", logbook(tmp_path / "log.csv"))
    assert done.returncode == 0 and done.stderr == ""
    assert done.stdout.splitlines()[0] == f"imported {ROWS}, updated 0, skipped 0"


@contextmanager
def ctrl_c_after(calls: int):
    """The progress bar's callback, interrupted as ctrl+c would at that moment."""
    seen = [0]

    @contextmanager
    def interrupted(ctx, label, total=None, *, quiet=False):
        def done(completed, total=None):
            seen[0] += 1
            if seen[0] >= calls:
                raise KeyboardInterrupt

        yield done

    import liyuan_tui.cli.progress as progress

    original = progress.progress
    progress.progress = interrupted
    try:
        yield
    finally:
        progress.progress = original


def test_ctrl_c_during_an_import_writes_nothing(cli_env, staff, tmp_path):
    engine = staff["cs_supervisor"].engine
    before = stored(engine)
    with ctrl_c_after(2):  # two batches already inserted inside the transaction
        code, _out, err = liyuan(cli_env, "import", logbook(tmp_path / "log.csv"))
    assert code == 130 and "interrupted: nothing was written" in err
    assert stored(engine) == before


def test_ctrl_c_during_a_backup_leaves_no_half_copy(cli_env, staff, tmp_path, db_path):
    liyuan(cli_env, "import", logbook(tmp_path / "log.csv"))
    target = tmp_path / "copy.db"
    with ctrl_c_after(1):
        code, _, _ = liyuan(cli_env, "backup", str(target))
    assert code == 130 and not target.exists()
    code, out, _ = liyuan(cli_env, "backup", str(target))
    assert code == 0 and target.exists() and "integrity: ok" in out


def test_ctrl_c_during_a_report_leaves_no_file(cli_env, staff, tmp_path):
    target = tmp_path / "report.md"
    with ctrl_c_after(3):
        code, _, _ = liyuan(cli_env, "report", "--month", "2026-11", "-o", str(target))
    assert code == 130 and not target.exists() and not list(tmp_path.glob(".report.md*"))
    code, _, _ = liyuan(cli_env, "report", "--month", "2026-11", "-o", str(target))
    assert code == 0 and target.read_text(encoding="utf-8").startswith("# Requests for help")


def test_a_bar_goes_to_the_terminal_for_every_long_command(cli_env, staff, tmp_path):
    for args, label in (
        (("backup", str(tmp_path / "b.db")), "Backing up"),
        (("report", "--month", "2026-11", "-o", str(tmp_path / "r.md")), "Counting the month"),
    ):
        err = Terminal()
        code, _, _ = liyuan(cli_env, *args, err=err)
        assert code == 0 and label in err.getvalue(), err.getvalue()


def test_migrate_shows_the_backup_and_each_revision_as_it_goes(cli_env, tmp_path):
    import os
    import shutil
    from pathlib import Path
    from unittest import mock

    from liyuan_tui.store import schema

    old = tmp_path / "desk.db"
    shutil.copy(Path(__file__).resolve().parent.parent / "fixtures" / "release-0.1.0.db", old)
    steps = (
        len([r for r in schema.known_revisions() if r > schema.LEGACY]) + 1
    )  # the backup, then each revision
    err, out = Terminal(), io.StringIO()
    env = dict(cli_env, LIYUAN_DB=str(old), LIYUAN_USER="zhou.min")  # the release's supervisor
    with mock.patch.dict(os.environ, env, clear=True):
        code = main(["migrate"], None, out=out, err=err)
    assert (
        code == 0 and "Upgrading the database" in err.getvalue() and f"{steps}/{steps}" in err.getvalue()
    ), err.getvalue()


@pytest.mark.e2e
@pytest.mark.parametrize("command", ["import", "backup", "report"])
def test_on_a_real_terminal_the_bar_is_drawn_not_printed_as_escapes(cli_desk, tmp_path, command):
    """The bar's own escape codes reach the terminal as codes: once they went through the stream
    that shows control characters as text, and `\\x1b[?25l` was printed on the screen."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "ui"))
    from pty_app import PtyApp

    args = {
        "import": ["import", logbook(tmp_path / "log.csv", 20000)],
        "backup": ["backup", str(tmp_path / "copy.db")],
        "report": ["report", "--month", "2026-11", "-o", str(tmp_path / "r.md")],
    }[command]
    app = PtyApp(args, dict(cli_desk, LIYUAN_LANG="en"), size=(100, 30))
    try:
        app.proc.wait(120)
        shown = app.text()
    finally:
        app.kill()
    assert app.proc.returncode == 0, shown
    assert "\\x1b" not in shown and "\\u001b" not in shown, shown[:400]
    assert "\x1b[" in shown  # the bar drew itself (cursor codes) on the real terminal

"""Files a command writes or reads (issue 18): an export never replaces a file without --force and
is private whatever the mode of the one it replaces; a FIFO or a device is refused before it is
opened (an import would hang on a FIFO); a quantity of thousands of digits and a file failing as
it is read (`/proc/self/mem`) are one line each, never a traceback."""

from __future__ import annotations

import os
import stat

import pytest
from cli_runner import run_liyuan

pytestmark = pytest.mark.sqlite_only

HUGE = "9" * 5000


@pytest.fixture
def liyuan(cli_desk):
    def run(*args: str):
        return run_liyuan(cli_desk, *args)

    return run


def one_line(done) -> str:
    assert done.returncode == 2, done.stdout + done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr, done.stderr
    return done.stderr


@pytest.mark.parametrize(
    "command",
    [
        ("report", "--month", "2026-11", "--format", "md"),
        ("stock", "report", "--month", "2026-11"),
        ("staff", "scorecard", "--month", "2026-11"),
    ],
)
def test_an_export_replaces_a_file_only_with_force_and_privately(liyuan, tmp_path, command):
    out = tmp_path / "out.md"
    out.write_text("someone else's file\n")
    os.chmod(out, 0o666)
    said = one_line(liyuan(*command, "-o", str(out)))
    assert "--force" in said and out.read_text() == "someone else's file\n"
    done = liyuan(*command, "-o", str(out), "--force")
    assert done.returncode == 0, done.stderr
    assert out.read_text() != "someone else's file\n"
    assert stat.S_IMODE(out.stat().st_mode) == 0o600  # whatever the old one's mode was


def test_an_export_never_writes_through_a_fifo(liyuan, tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    said = one_line(liyuan("report", "--month", "2026-11", "-o", str(fifo), "--force"))
    assert "not a regular file" in said


@pytest.mark.parametrize(
    "command",
    [("import", "{f}"), ("residents", "import", "{f}"), ("analysis", "--month", "2026-11", "--file", "{f}")],
)
@pytest.mark.parametrize("special", ["fifo", "/dev/zero", "/dev/null"])
def test_a_fifo_or_a_device_is_refused_before_it_is_read(liyuan, tmp_path, command, special):
    path = special
    if special == "fifo":
        path = str(tmp_path / "pipe")
        os.mkfifo(path)  # opened to read, it would wait for a writer forever
    said = one_line(liyuan(*(a.format(f=path) for a in command)))
    assert "not a regular file" in said


def test_a_file_failing_as_it_is_read_is_named(liyuan):
    if not os.path.exists("/proc/self/mem"):
        pytest.skip("no /proc")
    said = one_line(liyuan("import", "/proc/self/mem"))
    assert "/proc/self/mem" in said and "database" not in said


@pytest.mark.parametrize(
    "command",
    [
        ("stock", "in", "PIPE", HUGE),
        ("stock", "use", "PIPE", HUGE, "--reason", "x"),
        ("stock", "count", "PIPE", HUGE),
        ("stock", "add", "TAPE", "--name", "t", "--unit", "m", "--price", HUGE),
        ("charge", "{ref}", "drain", "--qty", HUGE),
    ],
)
def test_a_quantity_of_thousands_of_digits_is_one_line(liyuan, command):
    assert liyuan("stock", "add", "PIPE", "--name", "pipe", "--unit", "m").returncode == 0
    ref = liyuan("log", "--category", "B", "--unit", "1", "--phone", "13800000001").stdout.strip()
    said = one_line(liyuan(*(a.format(ref=ref) for a in command)))
    assert len(said) < 400

"""Run the real `liyuan` program in a pseudo-terminal (for tests that kill it, and benchmarks)."""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import os
import pty
import signal
import struct
import subprocess
import sys
import termios
import threading
import time


def cpu_clock(pid: int) -> int:
    """Another process's CPU clock, for time.clock_gettime (clock_getcpuclockid(3))."""
    clock = ctypes.c_int()
    err = ctypes.CDLL(None, use_errno=True).clock_getcpuclockid(pid, ctypes.byref(clock))
    if err:
        raise OSError(err, os.strerror(err))
    return clock.value


class PtyApp:
    """The desk in a real terminal of the given size; everything it writes is counted and kept."""

    def __init__(
        self,
        args: list[str],
        env: dict[str, str],
        size: tuple[int, int] = (120, 40),
        command: list[str] | None = None,
    ) -> None:
        master, slave = pty.openpty()
        cols, rows = size
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        env = dict(env, TERM="xterm-256color", COLUMNS=str(cols), LINES=str(rows))
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(
            command or [sys.executable, "-m", "liyuan_tui.cli", *args],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            start_new_session=True,
        )
        os.close(slave)
        self.master = master
        self.output = bytearray()
        self.lock = threading.Lock()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        while True:
            try:
                data = os.read(self.master, 65536)
            except OSError:
                return
            if not data:
                return
            with self.lock:
                self.output += data

    @property
    def bytes_out(self) -> int:
        with self.lock:
            return len(self.output)

    def text(self) -> str:
        with self.lock:
            return self.output.decode("utf-8", "replace")

    def wait_for_output(self, needle: str, timeout: float = 20.0) -> float:
        """Seconds since start when `needle` first appeared in what the program wrote."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            if needle in self.text():
                return time.perf_counter() - self.started
            if self.proc.poll() is not None:
                break
            time.sleep(0.005)
        raise AssertionError(f"{needle!r} never appeared; the program wrote:\n{self.text()[-2000:]}")

    def send(self, keys: str) -> None:
        os.write(self.master, keys.encode("utf-8"))

    def cpu_seconds(self) -> float:
        """The program's CPU so far (every thread's), to the nanosecond: its process CPU clock, as
        the kernel keeps it. /proc/<pid>/stat counts in 10 ms ticks: an idle desk's 1 % of a core
        over 6 s is 6 of them, so one tick more or less read two equal desks as 0.7-1.4x of each
        other (and this kernel keeps no schedstat)."""
        try:
            return time.clock_gettime(cpu_clock(self.proc.pid))
        except OSError:  # (the program has ended: what /proc still says)
            with open(f"/proc/{self.proc.pid}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def kill(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(10)
        with contextlib.suppress(OSError):
            os.close(self.master)

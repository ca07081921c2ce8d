"""`liyuan …` in the test's own process, as a script would run it: the given environment, the
arguments, and what it printed and returned. Only the tests that must prove a real process
(concurrent writers, a kill, the wheel, two logins at once) start one."""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
from collections.abc import Mapping
from unittest import mock

from liyuan_tui.cli import main
from liyuan_tui.domain.clock import Clock


def run_liyuan(
    env: Mapping[str, str], *args: str, clock: Clock | None = None, text: bool = True
) -> subprocess.CompletedProcess:
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", newline="")
    err = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", newline="")
    with (
        mock.patch.dict(os.environ, dict(env), clear=True),
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
    ):
        code = main(list(args), clock, out=out, err=err)
    stdout, stderr = _bytes(out), _bytes(err)
    if text:
        return subprocess.CompletedProcess(
            ["liyuan", *args], code, stdout.decode("utf-8"), stderr.decode("utf-8")
        )
    return subprocess.CompletedProcess(["liyuan", *args], code, stdout, stderr)


def _bytes(stream: io.TextIOWrapper) -> bytes:
    stream.flush()
    return stream.buffer.getvalue()  # type: ignore[attr-defined]

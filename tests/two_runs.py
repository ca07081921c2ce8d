"""The suite in two runs (a pytest plugin, named in conftest.py's pytest_plugins).

`uv run pytest`, the README's command, with nothing named (no path, no -m, no -k), runs every test
that drives the desk in-process and leaves two kinds to the second run `.ci/run` makes after it:

    uv run pytest -m "e2e or bench"

- `e2e`: the true end-to-end tests — real processes writing one database, a real terminal (PTY,
  tmux), the package built and installed, OS logins on a site, the real poller thread in real time;
- `bench`: the benches (tests/bench) at their small size, one at a time in one worker.

Named on the command line (a path, a -m or a -k), a test runs whatever it is marked: `uv run pytest
tests/bench/test_cli_bench.py` runs that bench, `uv run pytest tests/server` the server's tests.
"""

from __future__ import annotations

import pytest

SECOND_RUN = "e2e or bench"
FIRST_RUN = f"not ({SECOND_RUN})"


def whole_default_run(config: pytest.Config) -> bool:
    return (
        config.args_source == pytest.Config.ArgsSource.TESTPATHS
        and not config.option.markexpr
        and not config.option.keyword
    )


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    # The controller decides; xdist hands its options (this -m among them) to every worker.
    if not hasattr(config, "workerinput") and whole_default_run(config):
        config.option.markexpr = FIRST_RUN
        config.stash[LEFT] = True


LEFT = pytest.StashKey[bool]()


def pytest_terminal_summary(terminalreporter, config: pytest.Config) -> None:
    if config.stash.get(LEFT, False):
        terminalreporter.write_line(
            f'The end-to-end tests and the benches run apart: uv run pytest -m "{SECOND_RUN}" (.ci/run runs both).'
        )

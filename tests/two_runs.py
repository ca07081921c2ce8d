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


LEFT = pytest.StashKey[bool]()
WORKER_KEY = "liyuan_first_run"  # what the controller tells each xdist worker (its args name tests/)


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    worker = getattr(config, "workerinput", None)
    first = worker.get(WORKER_KEY, False) if worker is not None else whole_default_run(config)
    if first:
        config.option.markexpr = FIRST_RUN
        config.stash[LEFT] = True


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node) -> None:
    """xdist: each worker selects as its controller does (a worker's own args name the folder)."""
    node.workerinput[WORKER_KEY] = node.config.stash.get(LEFT, False)


def pytest_terminal_summary(terminalreporter, config: pytest.Config) -> None:
    if config.stash.get(LEFT, False):
        terminalreporter.write_line(
            f'The end-to-end tests and the benches run apart: uv run pytest -m "{SECOND_RUN}" (.ci/run runs both).'
        )

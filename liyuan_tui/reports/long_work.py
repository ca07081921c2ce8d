"""A long report's Python work without the cyclic garbage collector's full passes.

Building a month report over a long month makes tens of thousands of small objects (rows, listed
requests, cells, lines), all freed by reference counting; none of them makes a cycle. Meanwhile
the collector, counting allocations, runs its full pass over every object the process holds (the
modules, the ORM's tables, the screen's widgets) several times and frees nothing: a third of the
report's Python time on 1,000,000 requests (tests/bench/test_postgres_bench.py). The collector is
paused for the report only and resumed as it was, whatever happens; garbage made meanwhile waits
for its next pass.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic collector while a report is built or rendered; resume it as it was (a
    collector someone else paused stays paused)."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()

"""A test writer process: logs N requests into one database as fast as it can, printing each ref
as soon as its transaction has committed. Used by the multi-process tests."""

from __future__ import annotations

import sys

from liyuan_tui.domain.clock import SystemClock
from liyuan_tui.store import Store


def main(url: str, login: str, count: int) -> None:
    store = Store(url, SystemClock(), login)
    store.init_schema()
    for i in range(count):
        req = store.intake.create_request(
            category="B", unit=f"{login}-{i}", phone="13800000000", complete=True
        )
        print(req.ref, flush=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))

"""From the event to the page received, beside the time the desk's own terminals take to show the
same event: a major case logged at one terminal, a real `liyuan pager run` service delivering to a
loopback json:// receiver, and a desk (the app, its poller at the production period) showing it.
p95 of the page ≤ 2 s on SQLite (the sender looks twice a second), ≤ 0.5 s on PostgreSQL (it
LISTENs).

Run: uv run pytest tests/bench/test_pager_bench.py -o addopts="" -s
     LIYUAN_BENCH_PAGES=3 for a small run (CI); LIYUAN_TEST_PG=<socket folder> adds PostgreSQL.
Every wait has a timeout (WAIT), so a broken bench fails instead of hanging."""

from __future__ import annotations

import asyncio
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent.parent))  # pg.py, pager_receivers.py
import pg
from pager_receivers import WebReceiver

from liyuan_tui.domain.clock import SystemClock
from liyuan_tui.domain.config import Settings
from liyuan_tui.store import Store

PAGES = int(os.environ.get("LIYUAN_BENCH_PAGES", "30"))
WAIT = 15.0  # seconds at most for any one thing to happen


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered)) - 1))]


async def until(condition, what: str) -> None:
    deadline = time.monotonic() + WAIT
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {WAIT} s")
        await asyncio.sleep(0.002)


async def measure(url: str, tmp_path: Path) -> tuple[list[float], list[float]]:
    """Seconds from a committed major case to its page at the receiver, and to a desk's queue."""
    from liyuan_tui.app import LiyuanApp
    from liyuan_tui.store.opening import open_store

    clock = SystemClock()
    sup = Store(url, clock, "sup", tz="Asia/Shanghai", create=True)
    sup.staff.ensure_identity()
    for login, role in (("ann", "assistant"), ("mgr", "manager")):
        sup.staff.add_staff(login, login.upper(), role)
    hook = WebReceiver().up()
    config = tmp_path / f"pager-{abs(hash(url))}.toml"
    config.write_text(f'[contacts]\nmgr = ["{hook.url("mgr")}"]\nsup = ["{hook.url("sup")}"]\n')
    config.chmod(0o600)
    env = dict(os.environ, LIYUAN_DB=url.replace("sqlite:///", ""), LIYUAN_PAGER_CONFIG=str(config))
    env.pop("LIYUAN_USER", None)
    service = subprocess.Popen(
        [sys.executable, "-m", "liyuan_tui.cli", "pager", "run"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    settings = Settings(db_url=url, lang="en", login="mgr", os_login="mgr")
    app = LiyuanApp(open_store(settings, clock), settings, clock, tick_interval=None, poll_interval=1.0)
    paged, shown = [], []
    try:
        await until(lambda: sup.pager.health().state == "ok", "the sender alive")
        async with app.run_test(size=(120, 30)) as pilot:
            await pilot.pause(0.5)
            for i in range(PAGES):
                req = await asyncio.to_thread(
                    sup.intake.create_request,
                    category="A",
                    unit=f"1-{i}",
                    phone="139",
                    complete=True,
                    major=True,
                )
                committed = time.monotonic()
                seen: dict[str, float] = {}

                def both(seen: dict[str, float] = seen, req=req) -> bool:
                    if "desk" not in seen and req.ref in app.requests:
                        seen["desk"] = time.monotonic()
                    arrivals = [m.at for m in hook.all() if req.ref in m.title]
                    if "page" not in seen and arrivals:
                        seen["page"] = min(arrivals)
                    return len(seen) == 2

                await until(both, f"{req.ref} paged and on the desk")
                paged.append(seen["page"] - committed)
                shown.append(seen["desk"] - committed)
                await pilot.pause(0.05 + (i % 5) * 0.137)  # events land at different points of each wait
    finally:
        service.terminate()
        service.wait(WAIT)
        hook.down()
        app.store.close()
        sup.close()
    return paged, shown


def report(label: str, paged: list[float], shown: list[float]) -> None:
    for what, took in (("page received", paged), ("desk shows it", shown)):
        print(
            f"\n{label:<11} {what:<14} median {statistics.median(took) * 1000:7.1f} ms"
            f"   p95 {p95(took) * 1000:7.1f} ms   worst {max(took) * 1000:7.1f} ms   ({len(took)} events)"
        )


async def test_from_the_event_to_the_page_on_sqlite(tmp_path):
    paged, shown = await measure(f"sqlite:///{tmp_path / 'desk.db'}", tmp_path)
    report("SQLite", paged, shown)
    assert p95(paged) <= 2.0


async def test_from_the_event_to_the_page_on_postgresql(tmp_path):
    pg.need_cluster()
    name = pg.create_database()
    try:
        paged, shown = await measure(pg.url(name), tmp_path)
    finally:
        pg.drop_database(name)
    report("PostgreSQL", paged, shown)
    assert p95(paged) <= 0.5

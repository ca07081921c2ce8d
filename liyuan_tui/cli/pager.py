"""`liyuan pager run|check|test` and `liyuan pages`: the pager that reaches people off the desk.

`pager run` is the sender (a service; `--once` for cron): it reads the pager's own config
(`/etc/liyuan/pager.toml`, or `LIYUAN_PAGER_CONFIG`), which only the pager's login and root may
read, and is not on the staff list itself. `pager check` says what is wrong with that config, one
line per problem; `pager test LOGIN` pages someone and says whether it arrived. `pages` lists the
pages and their state."""

from __future__ import annotations

import argparse
import threading
from typing import TYPE_CHECKING, Any

from liyuan_tui.domain.clock import pause, stopwatch
from liyuan_tui.domain.safe_text import safe_json

if TYPE_CHECKING:
    from datetime import tzinfo
    from pathlib import Path

    from liyuan_tui.domain.paging import Page
    from liyuan_tui.store import Store

    from .context import Context

TEST_WAIT = 30.0  # seconds `pager test` waits for the page to be delivered
MAX_TEST_WAIT = 600.0


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    pager = sub.add_parser("pager", parents=[common], help="the pager: its sender, its config, a test page")
    psub = pager.add_subparsers(
        dest="pager_command", metavar="ACTION", required=True, parser_class=type(pager)
    )
    p = psub.add_parser("run", parents=[common], help="deliver pages (a service; --once for cron)")
    p.add_argument("--once", action="store_true", help="one pass, then exit (for cron)")
    p.set_defaults(handler=cmd_run)
    p = psub.add_parser("check", parents=[common], help="check the pager's config, one line per problem")
    p.set_defaults(handler=cmd_check)
    p = psub.add_parser("test", parents=[common], help="send a test page to LOGIN and say whether it arrived")
    p.add_argument("login", metavar="LOGIN")
    p.add_argument("--wait", type=float, default=TEST_WAIT, help="seconds to wait for the delivery")
    p.set_defaults(handler=cmd_test)

    p = sub.add_parser("pages", parents=[common], help="the pages to people off the desk, with their state")
    p.add_argument("--json", action="store_true")
    p.add_argument("--limit", type=int, default=200, help="the newest so many (200)")
    p.set_defaults(handler=cmd_pages)


def config_path() -> Path:
    from liyuan_tui.domain.pager_config import pager_config_path

    return pager_config_path()


def service_store(ctx: Context) -> Store:
    """The store as the pager's sender opens it: not a person on the staff list."""
    from liyuan_tui.store import Store

    s = ctx.settings
    store = Store(
        s.db_url,
        ctx.clock,
        s.login,
        procedures=ctx.procedures,
        tz=s.tz,
        os_login=s.os_login,
        os_root=s.os_root,
        service=True,
    )
    return ctx.keep(store)


def cmd_run(ctx: Context, args: argparse.Namespace) -> int:
    from liyuan_tui.domain.pager_config import read_pager_config

    from .pager_sender import Sender

    path = config_path()
    config = read_pager_config(path)
    if not config.readable:  # a sender that cannot read its contacts would only fail every page
        problem = config.problems[0]
        print(f"liyuan pager run: {ctx.t(problem.key, **problem.params)}", file=ctx.err)
        return 2
    store = service_store(ctx)
    store.ready()
    stop = threading.Event()
    if not args.once:
        _stop_on_signals(stop)
    sender = Sender(store, path, t=ctx.t, log=ctx.err)
    code = sender.run(stop, once=args.once)
    if args.once:
        print(ctx.t("cli.pager.once", sent=sender.sent, failed=sender.failed), file=ctx.out)
    return code


def _stop_on_signals(stop: threading.Event) -> None:
    import signal

    if threading.current_thread() is not threading.main_thread():
        return
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, lambda *_: stop.set())


def cmd_check(ctx: Context, args: argparse.Namespace) -> int:
    from .pager_checks import config_problems

    problems = config_problems(ctx, config_path())
    for problem in problems:
        print(f"✗ {problem}", file=ctx.out)
    if problems:
        return 1
    print("✓ " + ctx.t("cli.pager.check_ok", path=config_path()), file=ctx.out)
    return 0


def cmd_test(ctx: Context, args: argparse.Namespace) -> int:
    from liyuan_tui.domain import validation as check
    from liyuan_tui.domain.errors import UnknownUser
    from liyuan_tui.domain.pager_config import read_pager_config

    from .pager_sender import Sender

    login = check.login(args.login)
    if not 0 <= args.wait <= MAX_TEST_WAIT:  # (nan is neither)
        from liyuan_tui.domain.errors import ValidationError

        raise ValidationError("error.limit_range", "wait", low=0, high=int(MAX_TEST_WAIT))
    path = config_path()
    config = read_pager_config(path)
    try:
        store = ctx.store
        _ = ctx.me  # a supervisor or the manager queues it as themself
    except UnknownUser:
        if not config.readable:
            raise
        store = service_store(ctx)  # the pager's own login (or root), not on the staff list
    page = store.pager.test(login)
    print(ctx.t("cli.pager.test_queued", page=page.id, login=login), file=ctx.out)
    if store.pager.health().state != "ok":  # no sender alive: be it for one pass, if we may
        if not config.readable:
            print(ctx.t("cli.pager.test_no_sender", page=page.id, login=login), file=ctx.out)
            return 1
        sender_store = store if store.service else service_store(ctx)
        Sender(sender_store, path, t=ctx.t, log=ctx.err).run(threading.Event(), once=True)
    deadline = stopwatch() + max(0.0, args.wait)
    while True:
        now = store.pager.page(page.id or 0)
        if now.status in ("sent", "acknowledged"):
            print(ctx.t("cli.pager.test_sent", login=login, attempts=now.attempts), file=ctx.out)
            return 0
        if now.status == "failed":
            print(ctx.t("cli.pager.test_failed", login=login, reason=now.error or "-"), file=ctx.out)
            return 1
        if stopwatch() >= deadline:
            print(ctx.t("cli.pager.test_waiting", login=login), file=ctx.out)
            return 1
        pause(0.2)


def page_dict(page: Page, tz: tzinfo) -> dict[str, Any]:
    """One page as `liyuan pages --json` gives it (these fields are a contract)."""
    from liyuan_tui.reports.export import iso

    return {
        "id": page.id,
        "ref": page.ref,
        "to": page.login,
        "reason": page.reason,
        "status": page.status,
        "attempts": page.attempts,
        "queued_at": iso(page.queued_at, tz),
        "sent_at": iso(page.sent_at, tz),
        "acknowledged_at": iso(page.acknowledged_at, tz),
    }


def cmd_pages(ctx: Context, args: argparse.Namespace) -> int:
    from liyuan_tui.domain.errors import ValidationError

    if not 1 <= args.limit <= 100_000:
        raise ValidationError("error.limit_range", "limit", low=1, high=100_000)
    tz = ctx.settings.tz
    pages = ctx.store.pager.pages(args.limit)
    rows = [page_dict(p, tz) for p in pages]
    if args.json:
        print(safe_json(rows, indent=2), file=ctx.out)
        return 0
    from rich.table import Table

    from .requests import cells, console

    t = ctx.t
    table = Table(title=t("cli.pages.title", count=len(rows)), title_justify="left")
    for key in ("id", "ref", "to", "reason", "status", "attempts", "queued_at", "sent_at", "acknowledged_at"):
        table.add_column(t(f"cli.pages.column.{key}"), no_wrap=True)
    for r, p in zip(rows, pages, strict=True):
        times = [(r[k] or "")[5:16].replace("T", " ") for k in ("queued_at", "sent_at", "acknowledged_at")]
        status = t(f"pager.status.{r['status']}") + (
            f" ({p.error})" if r["status"] == "failed" and p.error else ""
        )
        table.add_row(
            *cells(
                r["id"],
                r["ref"] or "-",
                r["to"],
                t(f"pager.reason.{r['reason']}"),
                status,
                r["attempts"],
                *times,
            ),
            style="bold red" if r["status"] == "failed" else "",
        )
    console(ctx).print(table)
    return 0

"""`liyuan followup due [--json]` (the follow-up calls owed, most overdue first) and
`liyuan followup REF --reached yes|no [--score 1-5] [--solved yes|no] [--note T]` (one call)."""

from __future__ import annotations

import argparse
from datetime import datetime
from typing import TYPE_CHECKING, Any

from liyuan_tui.domain import validation as check
from liyuan_tui.domain.safe_text import safe_json

if TYPE_CHECKING:
    from .context import Context


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    p = sub.add_parser(
        "followup",
        parents=[common],
        help="follow-up calls after the close (回访): `followup due`, or record one on REF",
    )
    p.add_argument("target", metavar="due|REF", help="`due` lists the calls owed; a ref records a call")
    p.add_argument("--reached", default=None, help="yes | no: whether the resident was reached")
    p.add_argument("--score", default=None, help="satisfaction, 1 (very unhappy) to 5 (very satisfied)")
    p.add_argument("--solved", default=None, help="yes | no: is the problem really solved? no reopens it")
    p.add_argument("--note", default="")
    p.add_argument("--json", action="store_true", help="with `due`: JSON for other programs")
    p.set_defaults(handler=cmd_followup)


def cmd_followup(ctx: Context, args: argparse.Namespace) -> int:
    if args.target == "due":
        return cmd_due(ctx, args)
    from liyuan_tui.domain.errors import ValidationError

    ref = check.ref(args.target)
    if args.reached is None:
        raise ValidationError("followup.reached_missing", "reached")
    done = ctx.store.followups.record(
        ref, reached=args.reached, score=args.score, solved=args.solved, note=args.note
    )
    if done.reopened:
        key = "followup.reopened"
    elif done.followup.reached:
        key = "followup.recorded"
    else:
        key = "followup.recorded_missed"
    print(ctx.t(key, ref=done.request.ref, attempts=done.attempts), file=ctx.out)
    return 0


def due_rows(ctx: Context) -> list[dict[str, Any]]:
    """The calls owed as `followup due --json` gives them (confidential details for those who may)."""
    from liyuan_tui.domain.permissions import can_see
    from liyuan_tui.reports.export import HIDDEN, iso

    now, tz, me = ctx.clock.now(), ctx.settings.tz, ctx.me
    rows = []
    for d in ctx.store.followups.due():
        r, visible = d.request, can_see(me, d.request)
        rows.append(
            {
                "ref": r.ref,
                "category": r.category,
                "unit": r.unit if visible else HIDDEN,
                "closed_at": iso(r.closed_at, tz),
                "due_at": iso(d.due_at, tz),
                "overdue": d.overdue_seconds(now) > 0,
                "overdue_seconds": max(0, d.overdue_seconds(now)),
                "requester_name": r.requester_name if visible else HIDDEN,
                "phone": r.phone if visible else HIDDEN,
                "attempts": d.attempts,
                "last_attempt_at": iso(d.last_attempt_at, tz),
                "confidential": r.confidential,
            }
        )
    return rows


def cmd_due(ctx: Context, args: argparse.Namespace) -> int:
    rows = due_rows(ctx)
    if args.json:
        print(safe_json(rows, indent=2), file=ctx.out)
        return 0
    from rich.table import Table

    from liyuan_tui.reports.month_summary import format_duration

    from .requests import cells, console

    t = ctx.t
    if not rows:
        print(t("followup.none_due"), file=ctx.out)
        return 0
    table = Table(title=t("followup.due_title", count=len(rows)), title_justify="left")
    for key in ("due", "ref", "category", "unit", "requester", "phone", "closed", "attempts"):
        table.add_column(t(f"followup.column_{key}"), no_wrap=True)
    now = ctx.clock.now()
    for row in rows:
        seconds = int((now - _parse(row["due_at"])).total_seconds())
        when = format_duration(abs(seconds), t)
        proc = ctx.store.procedures.get(row["category"])
        # Cells as plain text: a unit like `[/bold]` is never read as markup, a control never sent.
        table.add_row(
            *cells(
                t("followup.overdue_by", when=when) if seconds > 0 else t("followup.due_in", when=when),
                row["ref"],
                proc.name(t.lang) if proc else row["category"],
                row["unit"],
                row["requester_name"],
                row["phone"],
                (row["closed_at"] or "")[:16].replace("T", " "),
                str(row["attempts"]),
            ),
            style="bold red" if seconds > 0 else "",
        )
    console(ctx).print(table)
    return 0


def _parse(iso_text: str) -> datetime:
    return datetime.fromisoformat(iso_text)

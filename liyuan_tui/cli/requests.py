"""Subcommands on requests: log, queue, show, reply, escalate, major, ack, branch, step, close,
reopen, cancel, take, assign."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from liyuan_tui.domain import validation as check
from liyuan_tui.domain.deadlines import queue_order
from liyuan_tui.domain.incidents import grouped
from liyuan_tui.domain.safe_text import safe_json, visible

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

    from liyuan_tui.domain.models import Request

    from .context import Context


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    p = sub.add_parser("log", parents=[common], help="record a request (from a script or phone system)")
    p.add_argument(
        "--category", required=True, help="key, letter A–G, or name (e.g. medical, A, 急救病人求助)"
    )
    p.add_argument("--unit", required=True, help="unit or address")
    p.add_argument("--phone", required=True, help="contact phone")
    p.add_argument("--name", default="", help="requester's name")
    p.add_argument("--channel", default="phone", help="phone | walk-in | intercom | written")
    p.add_argument("--text", default="", help="what the resident asked for")
    p.add_argument(
        "--received-at", default=None, help="when it came in (ISO 8601, or YYYY-MM-DD HH:MM local)"
    )
    p.add_argument("--major", action="store_true", help="a major case: the manager is told at once")
    p.add_argument("--confidential", action="store_true", help="touches confidential matters")
    p.add_argument(
        "--fault-kind",
        default="",
        help="a repair's kind of fault (water, electric …): repeats are found by it",
    )
    p.set_defaults(handler=cmd_log)

    p = sub.add_parser("queue", parents=[common], help="open requests, most urgent first")
    p.add_argument("--json", action="store_true", help="JSON for other programs")
    p.add_argument("--estate", default=None, help="an estate's queue, or `all` (default: your own estate's)")
    p.set_defaults(handler=cmd_queue)

    p = sub.add_parser("show", parents=[common], help="one request: fields, checklist, events")
    p.add_argument("ref", metavar="REF")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_show)

    p = sub.add_parser("reply", parents=[common], help="the caller has been replied to (stops the clock)")
    p.add_argument("ref", metavar="REF")
    p.add_argument("--text", default="", help="what the caller was told")
    p.add_argument("--answer", default="", help="the canned answer said (its key: see `liyuan answers`)")
    p.set_defaults(handler=cmd_reply)

    p = sub.add_parser("take", parents=[common], help="take the request (refused if someone else holds it)")
    p.add_argument("ref", metavar="REF")
    p.set_defaults(handler=cmd_take)

    p = sub.add_parser("escalate", parents=[common], help="report to the customer-service supervisor")
    p.add_argument("ref", metavar="REF")
    p.add_argument("--to", default="cs_supervisor", help="a supervisor's login (default: every supervisor)")
    p.add_argument("--note", default="")
    p.set_defaults(handler=cmd_escalate)

    p = sub.add_parser("major", parents=[common], help="mark a request major (the manager is told)")
    p.add_argument("ref", metavar="REF")
    p.add_argument("--clear", action="store_true", help="no longer major (supervisor or manager)")
    p.set_defaults(handler=cmd_major)

    p = sub.add_parser("ack", parents=[common], help="acknowledge an escalated or major request")
    p.add_argument("ref", metavar="REF")
    p.add_argument("--note", default="")
    p.set_defaults(handler=cmd_ack)

    p = sub.add_parser("branch", parents=[common], help="choose a branch of the procedure (e.g. ambulance)")
    p.add_argument("ref", metavar="REF")
    p.add_argument("branch", metavar="BRANCH")
    p.add_argument(
        "--instead-of",
        default=None,
        metavar="BRANCH",
        help="switch from this branch, which cannot go on (e.g. care: no family member can stay)",
    )
    p.add_argument("--reason", default="", help="why the switch (required with --instead-of)")
    p.set_defaults(handler=cmd_branch)

    p = sub.add_parser("step", parents=[common], help="tick a checklist step")
    p.add_argument("ref", metavar="REF")
    p.add_argument("step", metavar="STEP_KEY")
    p.add_argument("--note", default="")
    p.add_argument("--value", default="", help="what the step asks for (who was sent, which department …)")
    p.set_defaults(handler=cmd_step)

    p = sub.add_parser("close", parents=[common], help="close with an outcome")
    p.add_argument("ref", metavar="REF")
    p.add_argument("--outcome", required=True)
    p.add_argument("--kind", default="", help="resolved | handed_on | withdrawn | other")
    p.add_argument("--handed-to", default="", help="the department it was handed on to")
    p.add_argument("--calls", action="store_true", help="also close the incident's linked calls, alike")
    p.set_defaults(handler=cmd_close)

    for name, helptext, handler in (
        ("reopen", "reopen a closed request", cmd_reopen),
        ("cancel", "cancel a request logged by mistake (kept on record)", cmd_cancel),
    ):
        p = sub.add_parser(name, parents=[common], help=helptext)
        p.add_argument("ref", metavar="REF")
        p.add_argument("--reason", required=True)
        p.set_defaults(handler=handler)

    p = sub.add_parser(
        "alerts",
        parents=[common],
        help="record the deadline ladder now (for cron, when no desk terminal is open)",
    )
    p.set_defaults(handler=cmd_alerts)

    p = sub.add_parser("assign", parents=[common], help="hand a request over to another staff member")
    p.add_argument("ref", metavar="REF")
    p.add_argument("login", metavar="LOGIN")
    p.set_defaults(handler=cmd_assign)


def cmd_log(ctx: Context, args: argparse.Namespace) -> int:
    # The store checks every field before it opens the database: bad input writes nothing.
    received = check.parse_time(args.received_at, ctx.settings.tz) if args.received_at else None
    req = ctx.store.intake.log_request(
        category=args.category,
        channel=args.channel,
        unit=args.unit,
        phone=args.phone,
        requester_name=args.name,
        description=args.text,
        received_at=received,
        major=args.major,
        confidential=args.confidential,
        fault_kind=args.fault_kind,
        complete=True,
    )
    print(req.ref, file=ctx.out)
    earlier = ctx.store.intake.repeated(req)
    if earlier is not None:  # 二次维修: the script (or the desk) sees the earlier request
        if earlier.status == "closed" and earlier.closed_at is not None:
            closed = earlier.closed_at.astimezone(ctx.settings.tz).strftime("%Y-%m-%d %H:%M")
            print(ctx.t("cli.repeat_of", ref=req.ref, earlier=earlier.ref, closed=closed), file=ctx.err)
        else:  # the same fault, still open (or reopened): linked to it
            print(ctx.t("cli.repeat_open", ref=req.ref, earlier=earlier.ref), file=ctx.err)
    return 0


def cmd_queue(ctx: Context, args: argparse.Namespace) -> int:
    from liyuan_tui.reports.export import request_dict

    now = ctx.clock.now()
    if args.json:  # (for a program calling the desk: read without the ORM, store/glance.py)
        glance = ctx.glance
        estate = None if args.estate == "all" else (args.estate or glance.me.estate)
        listed = grouped(glance.open_requests(estate), key=lambda r: queue_order(r, now, r.major))
        me, procedures = glance.me, glance.procedures
        rows = [request_dict(r, now, ctx.settings.tz, me, procedures) for r, _ in listed]
        print(safe_json(rows, indent=2), file=ctx.out)
        return 0
    estate = None if args.estate == "all" else (args.estate or ctx.me.estate)
    # An incident's linked calls are listed under its first call (domain/incidents.py).
    listed = grouped(ctx.store.lookup.open_requests(estate), key=lambda r: queue_order(r, now, r.major))
    reqs = [r for r, _ in listed]
    from .queue_table import print_queue  # (Rich, for a person's terminal only: never for --json)

    print_queue(ctx, reqs, now, frozenset(r.ref for r, linked in listed if linked))
    return 0


def cells(*values: object) -> list[Text]:
    """Table cells as plain text: a unit like `[/bold]` is never read as markup, and a control
    character is shown as its escape (text from people and files is data)."""
    from rich.text import Text

    return [Text(visible(v, newlines=False)) for v in values]


def console(ctx: Context) -> Console:
    """A rich console on the raw output (its cells are Text made safe by `cells`); wide enough not
    to cut columns when the output is piped."""
    from rich.console import Console

    out = ctx.raw_out
    tty = hasattr(out, "isatty") and out.isatty()
    return Console(file=out, soft_wrap=False, width=None if tty else 200)


def cmd_show(ctx: Context, args: argparse.Namespace) -> int:
    from liyuan_tui.reports.export import detail_dict

    ref = check.ref(args.ref)
    glance = ctx.glance  # (read without the ORM: store/glance.py)
    detail = glance.detail(ref)
    data = detail_dict(
        detail, ctx.clock.now(), ctx.settings.tz, glance.me, glance.procedures, ctx.settings.lang
    )
    if args.json:
        print(safe_json(data, indent=2), file=ctx.out)
    else:
        from .detail_text import print_detail

        print_detail(ctx, data, detail)
    return 0


def _done(ctx: Context, req: Request, key: str) -> int:
    print(ctx.t(key, ref=req.ref), file=ctx.out)
    return 0


def cmd_reply(ctx: Context, args: argparse.Namespace) -> int:
    ref = check.ref(args.ref)
    req = ctx.store.replies.reply(ref, args.text, answer=args.answer, lang=ctx.settings.lang)
    return _done(ctx, req, "cli.replied")


def cmd_take(ctx: Context, args: argparse.Namespace) -> int:
    return _done(ctx, ctx.store.lifecycle.take(check.ref(args.ref)), "cli.taken")


def cmd_escalate(ctx: Context, args: argparse.Namespace) -> int:
    return _done(
        ctx,
        ctx.store.lifecycle.escalate(check.ref(args.ref), to=args.to, note=args.note),
        "cli.escalated_done",
    )


def cmd_major(ctx: Context, args: argparse.Namespace) -> int:
    req = ctx.store.lifecycle.set_major(check.ref(args.ref), not args.clear)
    return _done(ctx, req, "cli.major_cleared" if args.clear else "cli.major_done")


def cmd_ack(ctx: Context, args: argparse.Namespace) -> int:
    return _done(
        ctx, ctx.store.lifecycle.acknowledge(check.ref(args.ref), note=args.note), "cli.acknowledged"
    )


def cmd_branch(ctx: Context, args: argparse.Namespace) -> int:
    lifecycle = ctx.store.lifecycle
    if args.instead_of:
        req = lifecycle.switch_branch(check.ref(args.ref), args.instead_of, args.branch, args.reason)
        return _done(ctx, req, "cli.branch_switched")
    return _done(ctx, lifecycle.choose_branch(check.ref(args.ref), args.branch), "cli.branch_done")


def cmd_step(ctx: Context, args: argparse.Namespace) -> int:
    req = ctx.store.lifecycle.tick_step(check.ref(args.ref), args.step, note=args.note, value=args.value)
    proc = ctx.store.procedure(req.category)
    step = proc.step(args.step) if proc is not None else None
    print(
        ctx.t("cli.step_done", ref=req.ref, step=step.text if step is not None else args.step), file=ctx.out
    )
    return 0


def cmd_close(ctx: Context, args: argparse.Namespace) -> int:
    req = ctx.store.lifecycle.close_request(
        check.ref(args.ref), args.outcome, kind=args.kind, handed_to=args.handed_to
    )
    _done(ctx, req, "cli.closed")
    if args.calls:  # the incident's calls, each closed alike or left open saying why
        for call in ctx.store.incidents.close_calls(
            req.ref, args.outcome, kind=args.kind, handed_to=args.handed_to
        ):
            if call.closed:
                print(ctx.t("cli.closed", ref=call.ref), file=ctx.out)
            else:
                why = call.refusal.text(ctx.t) if call.refusal is not None else ""
                print(ctx.t("desk.call_left_open", ref=call.ref, why=why), file=ctx.err)
    return 0


def cmd_reopen(ctx: Context, args: argparse.Namespace) -> int:
    return _done(ctx, ctx.store.lifecycle.reopen(check.ref(args.ref), args.reason), "cli.reopened")


def cmd_cancel(ctx: Context, args: argparse.Namespace) -> int:
    return _done(ctx, ctx.store.lifecycle.cancel(check.ref(args.ref), args.reason), "cli.cancelled")


def cmd_assign(ctx: Context, args: argparse.Namespace) -> int:
    req = ctx.store.lifecycle.assign(check.ref(args.ref), args.login)
    print(ctx.t("cli.assigned", ref=req.ref, login=req.assignee), file=ctx.out)
    return 0


def cmd_alerts(ctx: Context, args: argparse.Namespace) -> int:
    """Each rung recorded, said as a sentence: the request, and what happened to it."""
    from liyuan_tui.reports.event_text import describe

    events = ctx.store.ladder.record_deadline_alerts()
    requests = ctx.store.lookup.refs_by_id({ev.request_id for ev in events if ev.request_id is not None})
    for ev in events:
        ref, category = requests.get(ev.request_id or 0, ("", ""))
        said = describe(ev, ctx.store.procedures.get(category), ctx.t, True)
        print(ctx.t("cli.alert_recorded", ref=ref, what=said), file=ctx.out)
    return 0

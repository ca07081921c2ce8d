"""`liyuan handover [--since HH:MM] [--json]`: the shift handover sheet; `handover note T` (a line of
the duty log), `handover sign --to LOGIN` (hand the shift over with the sheet as it stands) and
`handover accept` (the receiver takes it)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .context import Context


def register_handover(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    p = sub.add_parser("handover", parents=[common], help="the shift handover sheet, the duty log, signing")
    p.add_argument(
        "--since",
        default=None,
        help="start of the shift, HH:MM local (default: the later of 18:00 and the last signed handover)",
    )
    p.add_argument("--json", action="store_true", help="JSON for other programs")
    p.set_defaults(handler=cmd_handover)
    hsub = p.add_subparsers(dest="handover_command", metavar="ACTION", parser_class=type(p))

    n = hsub.add_parser("note", parents=[common], help="a line of the duty log (值班日志), by you, now")
    n.add_argument("text", metavar="TEXT", help="a patrol, equipment, a visitor: anything not a request")
    n.set_defaults(handler=cmd_note)

    s = hsub.add_parser("sign", parents=[common], help="hand the shift over, with the sheet as it stands")
    s.add_argument("--to", required=True, metavar="LOGIN", help="who takes the shift")
    s.add_argument("--note", default="", help="anything the next shift should know")
    s.add_argument("--since", default=None, help="start of the shift, HH:MM local")
    s.set_defaults(handler=cmd_sign)

    a = hsub.add_parser("accept", parents=[common], help="take the shift handed over to you")
    a.set_defaults(handler=cmd_accept)


def sheet_now(ctx: Context, since: str | None) -> Any:
    from liyuan_tui.reports.handover import NIGHT_SHIFT_START, handover_sheet, parse_since, shift_start
    from liyuan_tui.reports.handover_shift import default_since

    at = parse_since(since) if since is not None else None  # checked before the database is opened
    now = ctx.clock.now()
    start = shift_start(now, ctx.store.tz, at) if at else default_since(ctx.store, now, NIGHT_SHIFT_START)
    return handover_sheet(ctx.store, start, now)


def cmd_handover(ctx: Context, args: argparse.Namespace) -> int:
    from liyuan_tui.domain.safe_text import safe_json
    from liyuan_tui.reports.handover import handover_dict, render_handover

    from .reports import write_out

    sheet = sheet_now(ctx, args.since)
    if args.json:
        write_out(ctx, safe_json(handover_dict(sheet, ctx.settings.tz), indent=2) + "\n")
    else:
        write_out(ctx, render_handover(sheet, ctx.t, ctx.store.procedures, ctx.settings.tz))
    return 0


def cmd_note(ctx: Context, args: argparse.Namespace) -> int:
    row = ctx.store.shift.note(args.text)
    print(ctx.t("shift.noted", at=row.at.astimezone(ctx.settings.tz).strftime("%H:%M")), file=ctx.out)
    return 0


def cmd_sign(ctx: Context, args: argparse.Namespace) -> int:
    from liyuan_tui.domain import validation as check
    from liyuan_tui.domain.safe_text import safe_json
    from liyuan_tui.reports.handover import handover_dict

    to = check.login(args.to, "handover_to")
    note = check.text(args.note, "note")
    sheet = sheet_now(ctx, args.since)
    row = ctx.store.shift.sign(
        to, since=sheet.since, sheet=safe_json(handover_dict(sheet, ctx.settings.tz)), note=note
    )
    at = row.signed_at.astimezone(ctx.settings.tz).strftime("%H:%M")
    print(ctx.t("shift.signed_done", to=row.to_login, at=at), file=ctx.out)
    return 0


def cmd_accept(ctx: Context, args: argparse.Namespace) -> int:
    row = ctx.store.shift.accept()
    at = row.signed_at.astimezone(ctx.settings.tz).strftime("%m-%d %H:%M")
    print(ctx.t("shift.accepted_done", by=row.signed_by, at=at), file=ctx.out)
    return 0

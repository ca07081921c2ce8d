"""`liyuan pay|receipt|link|answers`: receipts for paid services (收费单), linked calls of one
incident, and the site's canned answers (话术). `reply --text/--answer` is in requests.py."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from liyuan_tui.domain import validation as check
from liyuan_tui.domain.vocabulary import PAY_METHODS

if TYPE_CHECKING:
    from .context import Context


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    p = sub.add_parser("pay", parents=[common], help="a receipt paid: how, and by you (收款)")
    p.add_argument("receipt", metavar="RECEIPT", help="the receipt's number, e.g. S202612-0001")
    p.add_argument("--method", required=True, help=" | ".join(PAY_METHODS))
    p.set_defaults(handler=cmd_pay)

    p = sub.add_parser("receipt", parents=[common], help="a printable receipt (Markdown) for a paid service")
    p.add_argument("receipt", metavar="RECEIPT")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_receipt)

    p = sub.add_parser("link", parents=[common], help="link a call to another as part of the same incident")
    p.add_argument("ref", metavar="REF")
    target = p.add_mutually_exclusive_group(required=True)
    target.add_argument("--to", metavar="REF", help="a call of the incident (its first call is used)")
    target.add_argument("--clear", action="store_true", help="no longer part of an incident")
    p.set_defaults(handler=cmd_link)

    p = sub.add_parser("answers", parents=[common], help="the site's canned answers (话术), searched")
    p.add_argument("words", metavar="WORDS", nargs="*", help="words to find (in either language)")
    p.add_argument("--category", default=None, help="a category's answers (and those for every category)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_answers)


def cmd_pay(ctx: Context, args: argparse.Namespace) -> int:
    from liyuan_tui.domain.fees import format_yuan

    receipt = ctx.store.receipts.pay(args.receipt, args.method)
    print(
        ctx.t(
            "desk.paid",
            number=receipt.number,
            amount=format_yuan(receipt.amount_cents),
            method=ctx.t(f"desk.method.{receipt.method}"),
        ),
        file=ctx.out,
    )
    return 0


def cmd_receipt(ctx: Context, args: argparse.Namespace) -> int:
    from liyuan_tui.domain.safe_text import safe_json
    from liyuan_tui.reports.receipt_sheet import receipt_dict, receipt_sheet

    from .reports import write_out

    view = ctx.store.receipts.view(args.receipt)
    if args.json:
        print(safe_json(receipt_dict(view, ctx.settings.tz), indent=2), file=ctx.out)
    else:
        write_out(ctx, receipt_sheet(view, ctx.t, ctx.settings.tz, ctx.store.procedures))
    return 0


def cmd_link(ctx: Context, args: argparse.Namespace) -> int:
    ref = check.ref(args.ref)
    if args.clear:
        req = ctx.store.incidents.unlink(ref)
        print(ctx.t("desk.unlinked", ref=req.ref), file=ctx.out)
    else:
        req = ctx.store.incidents.link(ref, args.to)
        print(ctx.t("desk.linked", ref=req.ref, first=req.incident), file=ctx.out)
    return 0


def cmd_answers(ctx: Context, args: argparse.Namespace) -> int:
    from liyuan_tui.domain.safe_text import safe_json

    category = check.category(args.category, ctx.procedures) if args.category else None
    answers = ctx.store.replies.answers  # the ones in force: the site's published, else shipped
    words = check.plain(" ".join(args.words), "words", max_len=200)
    found = answers.search(words, category)
    lang = ctx.settings.lang
    if args.json:
        rows = [
            {
                "key": a.key,
                "title": a.title(lang),
                "text": a.text(lang),
                "rule": a.rule(lang) if a.rule else None,
                "categories": list(a.categories),
                "example": a.example,
            }
            for a in found
        ]
        print(safe_json(rows, indent=2), file=ctx.out)
        return 0
    if answers.example:
        print(ctx.t("desk.answers_example"), file=ctx.out)
    if not found:
        print(ctx.t("desk.answers_none"), file=ctx.out)
    for a in found:
        print(f"[{a.key}] {a.title(lang)}", file=ctx.out)
        print(f"    {a.text(lang)}", file=ctx.out)
        if a.rule is not None:
            print(f"    {ctx.t('desk.answer_rule', rule=a.rule(lang))}", file=ctx.out)
    return 0

"""`liyuan staff scorecard|train|assess|commend|recommend|records`: the monthly scorecard, training,
assessment, commendation and recommendation records (考核、培训、激励、人事推荐). cli/staff.py owns
the `staff` command and adds these to it."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .context import Context


def register_staff(
    ssub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    p = ssub.add_parser(
        "scorecard",
        parents=[common],
        help="the month's scorecard per staff member and the team (supervisors and the manager)",
    )
    p.add_argument("--month", required=True, help="the month, YYYY-MM (local time)")
    p.add_argument("--format", choices=("md", "csv", "json", "xlsx"), default="md")
    from .reports import add_output

    add_output(p)
    p.set_defaults(handler=cmd_scorecard)

    p = ssub.add_parser("train", parents=[common], help="record a course and who attended it")
    p.add_argument("login", metavar="LOGIN", nargs="+", help="everyone who attended")
    p.add_argument("--course", required=True)
    p.add_argument("--date", required=True, help="YYYY-MM-DD")
    p.add_argument("--hours", default=None)
    p.add_argument("--result", default="")
    p.add_argument(
        "--kind", default="skills", help="ethics | image | skills (职业道德、形象教育、技能; default skills)"
    )
    p.set_defaults(handler=cmd_train)

    p = ssub.add_parser("commend", parents=[common], help="a commendation, reward or penalty (激励)")
    p.add_argument("login", metavar="LOGIN")
    p.add_argument("--kind", required=True, help="commendation | reward | penalty")
    p.add_argument("--note", required=True)
    p.set_defaults(handler=cmd_commend)

    p = ssub.add_parser("recommend", parents=[common], help="recommend someone (人事推荐)")
    p.add_argument("login", metavar="LOGIN")
    p.add_argument("--for", dest="for_what", required=True, help="promotion | transfer | reward")
    p.add_argument("--note", required=True)
    p.set_defaults(handler=cmd_recommend)

    p = ssub.add_parser("assess", parents=[common], help="record a staff member's assessment for a month")
    p.add_argument("login", metavar="LOGIN")
    p.add_argument("--month", required=True, help="YYYY-MM")
    p.add_argument("--score", required=True, help="0–100")
    p.add_argument("--note", required=True)
    p.set_defaults(handler=cmd_assess)

    p = ssub.add_parser(
        "records",
        parents=[common],
        help="a staff member's training and assessments (your own, or anyone's for supervisors)",
    )
    p.add_argument("login", metavar="LOGIN", nargs="?", default=None)
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_records)


def cmd_scorecard(ctx: Context, args: argparse.Namespace) -> int:
    from liyuan_tui.reports.month import Month
    from liyuan_tui.reports.scorecard import scorecard
    from liyuan_tui.reports.scorecard_render import render_scorecard

    from .reports import check_output_for, emit

    month = Month.parse(args.month)  # checked before the database is opened
    check_output_for(ctx, args)  # a folder, or one that does not exist: said before the work
    emit(ctx, render_scorecard(scorecard(ctx.store, month), args.format, ctx.t), args.output, args.force)
    return 0


def cmd_train(ctx: Context, args: argparse.Namespace) -> int:
    row = ctx.store.staff_records.train(
        args.login, course=args.course, day=args.date, hours=args.hours, result=args.result, kind=args.kind
    )
    print(
        ctx.t(
            "staff_records.trained",
            login=", ".join(dict.fromkeys(args.login)),
            course=row.course,
            date=row.day.isoformat(),
        ),
        file=ctx.out,
    )
    return 0


def cmd_commend(ctx: Context, args: argparse.Namespace) -> int:
    row = ctx.store.staff_records.commend(args.login, kind=args.kind, note=args.note)
    print(ctx.t("desk.commended", login=row.login, kind=ctx.t(f"desk.commendation.{row.kind}")), file=ctx.out)
    return 0


def cmd_recommend(ctx: Context, args: argparse.Namespace) -> int:
    row = ctx.store.staff_records.recommend(args.login, for_what=args.for_what, note=args.note)
    print(
        ctx.t("desk.recommended", login=row.login, for_what=ctx.t(f"desk.recommend_for.{row.for_what}")),
        file=ctx.out,
    )
    return 0


def cmd_assess(ctx: Context, args: argparse.Namespace) -> int:
    row = ctx.store.staff_records.assess(args.login, month=args.month, score=args.score, note=args.note)
    print(ctx.t("staff_records.assessed", login=row.login, month=row.month, score=row.score), file=ctx.out)
    return 0


def cmd_records(ctx: Context, args: argparse.Namespace) -> int:
    from liyuan_tui.domain.safe_text import safe_json
    from liyuan_tui.reports.export import iso

    rec = ctx.store.staff_records.records(args.login or ctx.me.login)
    tz = ctx.settings.tz
    data: dict[str, Any] = {
        "login": rec.staff.login,
        "name": rec.staff.name,
        "role": rec.staff.role,
        "trainings": [
            {
                "course": x.course,
                "date": x.day.isoformat(),
                "hours": x.hours,
                "result": x.result,
                "recorded_by": x.recorded_by,
                "at": iso(x.at, tz),
                "kind": x.kind,
                "attendees": rec.attended_with(x),
            }
            for x in rec.trainings
        ],
        "assessments": [
            {"month": x.month, "score": x.score, "note": x.note, "by": x.by, "at": iso(x.at, tz)}
            for x in rec.assessments
        ],
        "commendations": [
            {"kind": x.kind, "note": x.note, "by": x.by, "at": iso(x.at, tz)} for x in rec.commendations
        ],
        "recommendations": [
            {"for": x.for_what, "note": x.note, "by": x.by, "at": iso(x.at, tz)} for x in rec.recommendations
        ],
    }
    if args.json:
        print(safe_json(data, indent=2), file=ctx.out)
        return 0
    t = ctx.t
    lines = [
        f"{rec.staff.name} ({rec.staff.login}, {t('role.' + rec.staff.role)})",
        t("staff_records.trainings") + ":",
    ]
    lines += [
        f"  {x['date']}  {x['course']}  [{t('desk.training_kind.' + x['kind'])}]"
        + (f"  {x['hours']:g}h" if x["hours"] else "")
        + (f"  {x['result']}" if x["result"] else "")
        + (f"  ({', '.join(x['attendees'])})" if len(x["attendees"]) > 1 else "")
        for x in data["trainings"]
    ] or ["  -"]
    lines.append(t("staff_records.assessments") + ":")
    lines += [f"  {x['month']}  {x['score']}  {x['note']}  ({x['by']})" for x in data["assessments"]] or [
        "  -"
    ]
    lines.append(t("desk.commendations") + ":")
    lines += [
        f"  {x['at'][:10]}  {t('desk.commendation.' + x['kind'])}  {x['note']}  ({x['by']})"
        for x in data["commendations"]
    ] or ["  -"]
    lines.append(t("desk.recommendations") + ":")
    lines += [
        f"  {x['at'][:10]}  {t('desk.recommend_for.' + x['for'])}  {x['note']}  ({x['by']})"
        for x in data["recommendations"]
    ] or ["  -"]
    print("\n".join(lines), file=ctx.out)
    return 0

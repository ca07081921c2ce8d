"""`liyuan residents show UNIT [--json]` and `liyuan residents edit UNIT …`: the household file
(一户一档). `residents import` (cli/imports.py) fills the same archive."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .context import Context

# residents edit's flags: (flag, store field, help)
EDIT_FLAGS = (
    ("--emergency-name", "emergency_name", "emergency contact's name"),
    ("--emergency-phone", "emergency_phone", "emergency contact's phone"),
    ("--emergency-relation", "emergency_relation", "emergency contact's relation (子女, 邻居 …)"),
    ("--elderly-alone", "elderly_alone", "yes | no: an elderly person living alone"),
    ("--disability", "disability", "yes | no: someone with a disability"),
    ("--language", "language", "a language the desk should speak (粤语, English …); '' for none"),
    ("--notes", "notes", "what the desk should know about the household"),
    ("--person", "person", "a person of the household, by name: added, or changed with --relation/--phones"),
    ("--relation", "relation", "with --person: who they are (户主, 配偶, 租户 …)"),
    ("--phones", "phones", "with --person: their phones, comma-separated"),
    ("--remove-person", "remove_person", "remove this person from the household"),
)


def register_residents(
    rsub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    """Called by cli/imports.py, which owns the `residents` command."""
    p = rsub.add_parser("show", parents=[common], help="a unit's household file: people, flags, history")
    p.add_argument("unit", metavar="UNIT")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_show)

    p = rsub.add_parser("edit", parents=[common], help="change a unit's household file (the desk)")
    p.add_argument("unit", metavar="UNIT")
    for flag, dest, helptext in EDIT_FLAGS:
        p.add_argument(flag, dest=dest, default=None, help=helptext)
    p.set_defaults(handler=cmd_edit)


def cmd_show(ctx: Context, args: argparse.Namespace) -> int:
    from liyuan_tui.domain.safe_text import safe_json
    from liyuan_tui.reports.household import household_dict, household_lines

    house = ctx.store.households.household(args.unit)
    if args.json:
        data = household_dict(house, ctx.t, ctx.store.procedures, ctx.settings.tz)
        print(safe_json(data, indent=2), file=ctx.out)
    else:
        print("\n".join(household_lines(house, ctx.t, ctx.store.procedures, ctx.settings.tz)), file=ctx.out)
    return 0


def cmd_edit(ctx: Context, args: argparse.Namespace) -> int:
    changes = {
        dest: getattr(args, dest) for _flag, dest, _help in EDIT_FLAGS if getattr(args, dest) is not None
    }
    house = ctx.store.households.edit(args.unit, **changes)
    print(ctx.t("household.saved", unit=house.unit, version=house.version or 1), file=ctx.out)
    return 0

"""The desk's keys in one place: each page's table, who may use which key, and how a widget comes
to own the keys of its page.

A page (widgets/page.py) has a table below: its keys in the order the footer shows them. The
widget that does an action (`action_<name>`) owns its key: `own_keys` binds, on that widget, the
rows of its page's table it has an action for, so a widget used on two pages (the request keys
on the queue and on a request) has the keys each page gives it. NEEDS is the one table of which
key needs which permission (and NOT_ON_TECHNICIANS_DESK what a technician's desk leaves out);
`may_use` is the one place that reads it, and `own_keys` binds no key the user may not use, so
the key, the footer and the command palette always agree. The help screen lists every table,
with descriptions in the user's language (ui.key.<action>)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING

from textual.app import SystemCommand
from textual.binding import Binding, BindingsMap, BindingType
from textual.dom import DOMNode
from textual.screen import Screen

from liyuan_tui.domain.i18n import Translator
from liyuan_tui.domain.models import Staff
from liyuan_tui.domain.permissions import Action, allowed, allowed_on_own

if TYPE_CHECKING:
    from liyuan_tui.app import LiyuanApp

KeyTable = Sequence[tuple[str, str, bool]]

# Each page's keys, in the order its footer shows them: (keys, action, shown in the footer).
APP_KEYS = (
    ("n", "new_request", True),
    ("slash", "search", True),
    ("h", "handover", False),
    ("ctrl+r", "month_report", False),
    ("w", "work_orders", False),
    ("v", "followups", False),
    ("j", "reception", False),
    ("question_mark", "help", True),
    ("q", "quit", True),
)
QUEUE_KEYS = (
    ("enter", "open", True),
    ("r", "replied", True),
    ("e", "escalate", True),
    ("m", "major", True),
    ("c", "close", True),
    ("t", "take", False),
    ("a", "assign", False),
    ("k", "acknowledge", True),
    ("f", "filter", True),
    ("F", "filter_more", False),
    ("l", "link", False),
)
REQUEST_KEYS = (
    ("enter", "select", True),  # the checklist's own: fill the step's answer in, then tick it
    ("space", "offer", True),  # … or tick it with the answer offered
    ("b", "branch", True),
    ("r", "replied", True),
    ("e", "escalate", True),
    ("m", "major", True),
    ("c", "close", True),
    ("o", "reopen", False),
    ("t", "take", False),
    ("a", "assign", False),
    ("k", "acknowledge", True),
    ("i", "edit", True),
    ("p", "charge", True),
    ("d", "dispatch", False),
    ("w", "request_orders", False),
    ("u", "household", False),
    ("l", "link", False),
    ("dollar_sign", "pay", False),
    ("escape", "back", True),
)
INTAKE_KEYS = (
    ("ctrl+s", "done", True),
    ("ctrl+t", "void", True),
    ("escape", "back", True),
)
REPORT_KEYS = (
    ("left,comma", "previous_month", True),
    ("right,full_stop", "next_month", True),
    ("m", "choose_month", True),
    ("a", "write_analysis", True),
    ("x", "export", True),
    ("escape", "back", True),
)
HANDOVER_KEYS = (
    ("l", "duty_note", True),
    ("g", "sign_handover", True),
    ("a", "accept_handover", True),
    ("s", "since", True),
    ("x", "export", True),
    ("escape", "back", True),
)
RECEPTION_KEYS = (
    ("a", "add_visitor", True),
    ("escape", "back", True),
)
ORDERS_KEYS = (
    ("enter", "open_order", True),
    ("f", "order_filter", True),
    ("escape", "back", True),
)
ORDER_KEYS = (
    ("a", "arrive", True),
    ("p", "wait_parts", True),
    ("f", "finish", True),
    ("d", "hand_on", True),
    ("x", "cancel_order", True),
    ("s", "sheet", True),
    ("escape", "back", True),
)
STOCK_KEYS = (
    ("i", "receive", True),
    ("u", "use_stock", True),
    ("c", "count_stock", True),
    ("a", "add_material", True),
    ("escape", "back", True),
)
TOOLS_KEYS = (
    ("i", "issue_tool", True),
    ("r", "return_tool", True),
    ("a", "add_tool", True),
    ("f", "tool_filter", True),
    ("escape", "back", True),
)
FOLLOWUP_KEYS = (
    ("enter", "call", True),
    ("o", "open", True),
    ("u", "household", True),
    ("escape", "back", True),
)
HOUSEHOLD_KEYS = (
    ("e", "edit_household", True),
    ("enter", "open", True),
    ("escape", "back", True),
)
SCORECARD_KEYS = REPORT_KEYS
ROSTER_KEYS = (
    ("a", "add_shift", True),
    ("x", "remove_shift", True),
    ("escape", "back", True),
)
# Keys that are not bindings but are listed in the help screen: (shown key, message key).
OTHER_KEYS = (
    ("A–G", "category_letter"),
    ("1–4", "channel_digit"),
    ("tab / shift+tab", "next_field"),
    ("→", "accept_suggestion"),
    ("1–3", "branch_digit"),
    ("ctrl+p", "palette"),
    ("ctrl+p", "find_household"),
    ("ctrl+p", "scorecard"),
    ("ctrl+p", "roster"),
)
SCOPES = (
    ("app", APP_KEYS),
    ("queue", QUEUE_KEYS),
    ("request", REQUEST_KEYS),
    ("intake", INTAKE_KEYS),
    ("report", REPORT_KEYS),
    ("handover", HANDOVER_KEYS),
    ("orders", ORDERS_KEYS),
    ("order", ORDER_KEYS),
    ("stock", STOCK_KEYS),
    ("tools", TOOLS_KEYS),
    ("followups", FOLLOWUP_KEYS),
    ("household", HOUSEHOLD_KEYS),
    ("scorecard", SCORECARD_KEYS),
    ("reception", RECEPTION_KEYS),
    ("roster", ROSTER_KEYS),
)


# On the request page a digit chooses the help wanted by its number (1 hospital, 2 call 120 …).
BRANCH_DIGITS: list[BindingType] = [Binding(str(n), f"pick_branch({n})", show=False) for n in range(1, 10)]

# Which permission each key's action needs (domain/permissions.py): a key the user's role may not
# use is not bound at all (the store refuses the action anyway, with the reason, if it comes by
# another way). The one table of it: every page's key is looked up here.
NEEDS: dict[str, Action] = {
    # a request
    "replied": Action.REPLY,
    "escalate": Action.ESCALATE,
    "major": Action.MARK_MAJOR,
    "close": Action.CLOSE,
    "reopen": Action.REOPEN,
    "take": Action.TAKE,
    "assign": Action.TAKE,  # the holder hands on their own; a supervisor reassigns any (the store says)
    "acknowledge": Action.ACKNOWLEDGE,
    "edit": Action.UPDATE,
    "offer": Action.TICK,
    "select": Action.TICK,
    "branch": Action.CHOOSE_BRANCH,
    "pick_branch": Action.CHOOSE_BRANCH,
    "charge": Action.CHARGE,
    "pay": Action.PAY,
    "link": Action.LINK,
    "dispatch": Action.ORDER_DISPATCH,
    # a work order (arrive, wait, finish: a technician only on their own, which the order page checks)
    "arrive": Action.ORDER_WORK,
    "wait_parts": Action.ORDER_WORK,
    "finish": Action.ORDER_WORK,
    "hand_on": Action.ORDER_DISPATCH,
    "cancel_order": Action.ORDER_CANCEL,
    # the store room and the tools
    "receive": Action.STOCK_MANAGE,
    "count_stock": Action.STOCK_MANAGE,
    "add_material": Action.STOCK_MANAGE,
    "use_stock": Action.STOCK_USE,
    "issue_tool": Action.TOOL_LEND,
    "return_tool": Action.TOOL_LEND,
    "add_tool": Action.TOOL_MANAGE,
    # the household file
    "edit_household": Action.EDIT_HOUSEHOLD,
    # the shift's own record (the handover page) and the visitors received
    "duty_note": Action.DUTY_LOG,
    "sign_handover": Action.HANDOVER,
    "accept_handover": Action.HANDOVER,
    "reception": Action.RECEPTION,
    "add_visitor": Action.RECEPTION,
    # the duty roster (everyone may look; supervisors and the manager change it)
    "add_shift": Action.ROSTER,
    "remove_shift": Action.ROSTER,
}
# A technician's desk is their own work orders: nothing of the request queue (nothing
# confidential), no reports, no store room.
NOT_ON_TECHNICIANS_DESK = frozenset(
    {
        "new_request",
        "search",
        "handover",
        "month_report",
        "stock",
        "tools",
        "followups",
        "scorecard",
        "reception",
        "roster",
    }
)
# The app's actions with no key of their own: the command palette lists them.
PALETTE_ONLY = ("stock", "tools", "find_household", "scorecard", "roster")


def may_use(me: Staff, action: str) -> bool:
    """Whether `me` may use the key of `action` (an action name, with or without its arguments)."""
    name = action.split("(", 1)[0].rsplit(".", 1)[-1]
    needed = NEEDS.get(name)
    # (A key allowed on one's own requests only is bound: the store says whose, permissions.owns.)
    if needed is not None and not (allowed(me.role, needed) or allowed_on_own(me.role, needed)):
        return False
    return not (me.role == "technician" and name in NOT_ON_TECHNICIANS_DESK)


def bindings(table: KeyTable) -> list[BindingType]:
    """A table as bindings, with English descriptions (`own_keys` gives them the user's language).
    A key written two ways (`left,comma`) shows the first in the footer (its arrow)."""
    return [
        Binding(
            keys,
            action,
            action.replace("_", " "),
            show=show,
            key_display=key_label(keys).split(" / ")[0] if "," in keys else None,
        )
        for keys, action, show in table
    ]


def own_keys(node: DOMNode, table: KeyTable, me: Staff, t: Translator) -> None:
    """Give `node` the keys of `table` it has an action for, keep of all its bindings (its class's
    too: a list's enter) those `me` may use, and describe each in the user's language."""

    def each(bound: BindingsMap) -> list[Binding]:
        return [b for items in bound.key_to_bindings.values() for b in items]

    mine = [b for b in each(BindingsMap(bindings(table))) if hasattr(node, f"action_{b.action}")]
    kept: list[Binding] = []
    seen: set[tuple[str, str]] = set()
    for binding in each(node._bindings) + mine:
        if (binding.key, binding.action) in seen or not may_use(me, binding.action):
            continue
        seen.add((binding.key, binding.action))
        word = f"ui.key.{binding.action}"
        kept.append(replace(binding, description=t(word)) if t(word) != word else binding)
    node._bindings = BindingsMap(kept)
    if node.is_attached:
        node.refresh_bindings()


def footer_rank(table: KeyTable) -> dict[str, int]:
    """Each action's place in the footer: the page's table's order, the app's keys after it, and a
    key of the focused widget's own (a list's enter) before it."""
    rank = {action: n for n, (_keys, action, _show) in enumerate(table)}
    return {**{action: len(rank) for _keys, action, _show in APP_KEYS}, **rank}


def palette(app: LiyuanApp, screen: Screen, table: KeyTable) -> Iterator[SystemCommand]:
    """Every key that works here is in the command palette too, in the user's language: those of
    the page (`table`) and of the app, as the widget in focus and those around it own them now,
    then the app's actions that have no key."""
    t = app.t
    listed = every_action((table, APP_KEYS))
    shown: set[str] = set()
    for node in (screen.focused or screen).ancestors_with_self:
        for binding in [b for items in node._bindings.key_to_bindings.values() for b in items]:
            action = binding.action
            if action in listed and action not in shown and node.check_action(action, ()) is not False:
                shown.add(action)
                run = partial(app.run_action, action, node)
                yield SystemCommand(t(f"ui.key.{action}"), key_label(binding.key), run)
    for action in PALETTE_ONLY:
        if may_use(app.me, action):
            yield SystemCommand(
                t(f"ui.key.{action}"), t(f"ui.palette.{action}"), partial(app.run_action, action)
            )


def every_action(tables: Iterable[KeyTable]) -> set[str]:
    return {action for table in tables for _keys, action, _show in table}


def key_label(keys: str) -> str:
    """A key as the footer and the help show it (`question_mark` is ?)."""
    names = {
        "question_mark": "?",
        "slash": "/",
        "space": "space",
        "escape": "esc",
        "left": "←",
        "right": "→",
        "comma": ",",
        "full_stop": ".",
        "dollar_sign": "$",
    }
    return " / ".join(names.get(k, k) for k in keys.split(","))

"""The desk's keys in one table: each screen's bindings, the footer, the help screen and the
command palette are all made from it, with descriptions in the user's language (ui.key.<action>)."""

from __future__ import annotations

from dataclasses import replace

from textual.binding import Binding
from textual.dom import DOMNode

from liyuan_tui.domain.i18n import Translator

# (keys, action, shown in the footer)
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
    ("space", "tick_offered", True),
    ("enter", "tick", True),
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


# On the request screen a digit chooses the help wanted by its number (1 hospital, 2 call 120 …).
BRANCH_DIGITS = [Binding(str(n), f"pick_branch({n})", show=False) for n in range(1, 10)]


def bindings(table) -> list[Binding]:
    """Class-level BINDINGS with English descriptions; `translate_bindings` localises them."""
    return [Binding(keys, action, action.replace("_", " "), show=show) for keys, action, show in table]


def translate_bindings(node: DOMNode, t: Translator) -> None:
    """Give a node's bindings their descriptions in the user's language (footer and palette)."""
    for key, items in node._bindings.key_to_bindings.items():
        node._bindings.key_to_bindings[key] = [
            replace(b, description=t(f"ui.key.{b.action}"))
            if f"ui.key.{b.action}" != t(f"ui.key.{b.action}")
            else b
            for b in items
        ]


def key_label(keys: str) -> str:
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

"""Refusals the desk explains to its user: each carries a message key, the field it concerns and
the values to fill in, so the CLI and the screens can say it in the user's language."""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

from .i18n import Translator
from .safe_text import visible

_EN = Translator("en")
# Parameters that carry a word of the desk's own vocabulary (a role, an action, an event's kind):
# kept as keys for programs that read them, said by name in every message.
NAMED_PARAMS = {
    "role": "role",
    "step_role": "role",
    "action": "action",
    "what": "event",
    "order_state": "order.state",
    "duty": "duty",
}


class DeskError(Exception):
    """Something the user asked for was refused; nothing was written."""

    def __init__(self, key: str, field: str | None = None, **params: Any) -> None:
        self.key = key
        self.field = field
        self.params = params
        super().__init__(self.message(_EN))

    def text(self, t: Translator) -> str:
        """What is wrong, without the field's name. Roles, actions and events are named in the
        user's language; a value echoed back (what was typed, a path) is shown on one line, cut
        short, with any control character made visible: a refusal never carries an escape sequence
        to the terminal, nor a megabyte of text."""
        params = {
            k: t(f"{NAMED_PARAMS[k]}.{v}") if k in NAMED_PARAMS and isinstance(v, str) and v else _shown(v)
            for k, v in self.params.items()
        }
        return t(self.key, **params)

    def message(self, t: Translator) -> str:
        """What is wrong, as one sentence: no field's name as a tag in front of it ("步骤:…") —
        the message names what it is about — except where it says nothing of its subject on its own
        ("不能为空"), which then starts with it ("房号不能为空")."""
        text = self.text(t)
        if self.field and self.key in SUBJECTLESS:
            name = t("field." + self.field)
            if name != "field." + self.field:
                return f"{name}{'' if t.lang == 'zh' else ' '}{text}"
        return text


def _shown(value: Any) -> Any:
    if isinstance(value, (str, PurePath)):
        return visible(str(value), newlines=False, limit=ECHO_LIMIT)
    return value


ECHO_LIMIT = 200  # characters of a refused value said back
# Messages that do not say what they are about: said after the field's name (房号不能为空).
SUBJECTLESS = frozenset(
    {
        "error.control_character",
        "error.unit_empty",
        "error.phone_empty",
        "error.too_long",
        "error.time_future",
        "error.choice_unknown",
        "error.yes_no",
        "error.number_range",
        "error.qty_range",
        "error.appointment_range",
        "error.not_utf8",
    }
)


class ValidationError(DeskError):
    """Bad input: the field and what is wrong with it."""


class NotFound(DeskError):
    """No such request, staff member or step."""


class PermissionDenied(DeskError):
    """The user's role may not do this."""


class StaleError(DeskError):
    """The request changed since the user looked at it; their write was not applied."""


class UnknownUser(DeskError):
    """The OS login is not on the staff list."""

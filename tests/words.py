"""The desk's own vocabulary (role keys, step keys, event kinds, action keys) and a check that a
text shown to a person carries none of it: what the words tests share."""

from __future__ import annotations

import re
import string

from liyuan_tui.domain.events import EventKind
from liyuan_tui.domain.models import ROLES
from liyuan_tui.domain.permissions import Action
from liyuan_tui.domain.procedure_files import load_procedures


def vocabulary() -> set[str]:
    steps = {s.key for p in load_procedures().values() for s in p.steps}
    return set(ROLES) | steps | {str(k) for k in EventKind} | {str(a) for a in Action}


VOCABULARY = vocabulary()
# A command line quoted in a message (`liyuan migrate`, `liyuan staff add …`) names a command.
_COMMAND = re.compile(r"liyuan(?: [a-z][a-z-]*)+")


def leaked(text: str, lang: str) -> set[str]:
    """Internal keys found in `text`. In Chinese any of them is a leak (`不能create`, `此步骤由guard负责`);
    in English, many keys are plain words ("guard", "record"), so the ones with an underscore
    (`manager_informed`, `cs_supervisor`, `deadline_warning`) are what give a leak away."""
    tokens = set(re.findall(r"[A-Za-z][A-Za-z0-9_]*", _COMMAND.sub(" ", text)))
    found = tokens & VOCABULARY
    return found if lang == "zh" else {k for k in found if "_" in k}


def render(template: str) -> str:
    """A catalog message with every placeholder filled (a word, or a number where it is formatted)."""
    values = {}
    for _, name, spec, _ in string.Formatter().parse(template):
        if name is not None:
            values[name] = 1 if spec else "X"
    from liyuan_tui.domain.i18n import _PLURALS

    return _PLURALS.format(template, **values)  # (an English plural: {count:p:call|calls})

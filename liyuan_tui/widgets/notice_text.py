"""What a notice (domain/notices.py, domain/shift_notices.py) says to the desk's user: its message
in their language, the logins it names (`by`, `to`) said as the people's names."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from liyuan_tui.domain.i18n import Translator
from liyuan_tui.domain.models import Staff
from liyuan_tui.domain.notices import Notice


def notice_text(notice: Notice, t: Translator, staff: Mapping[str, Staff]) -> str:
    params = dict(notice.params)
    for name in ("by", "to"):
        who = staff.get(params.get(name, ""))
        if who is not None:
            params[name] = who.name
    if params.get("by") == "system":  # the deadline ladder's own steps
        params["by"] = t("ui.app.system")
    return t(notice.key, **params)


MOST_TOASTS = 3  # a look's notices shown one by one; past this, one toast says how many more
RANK = {"error": 0, "warning": 1, "information": 2}


def toasts(
    notices: Sequence[Notice], t: Translator, staff: Mapping[str, Staff], room: int = MOST_TOASTS + 1
) -> list[tuple[str, str]]:
    """What notices show, as (text, severity), in at most `room` toasts: the most severe first, each
    on its own up to MOST_TOASTS, then one toast for the rest ("8 more notices: see the queue"). A
    typhoon night's storm of new requests would otherwise cover the screen in toasts (and cost the
    desk most of a core drawing them); every one of them is in the queue, and the bell still rings."""
    ranked = sorted(notices, key=lambda n: RANK.get(n.severity, 2))
    fits = min(MOST_TOASTS, room)  # (room: at least 1)
    each = len(ranked) if len(ranked) <= fits else min(fits, room - 1)
    shown = [(notice_text(n, t, staff), n.severity) for n in ranked[:each]]
    rest = ranked[each:]
    if rest:
        worst = min((n.severity for n in rest), key=lambda s: RANK.get(s, 2))
        shown.append((t("ui.app.more_notices", count=len(rest)), worst))
    return shown

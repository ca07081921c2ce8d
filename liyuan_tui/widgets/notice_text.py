"""What a notice (domain/notices.py, domain/shift_notices.py) says to the desk's user: its message
in their language, the logins it names (`by`, `to`) said as the people's names."""

from __future__ import annotations

from collections.abc import Mapping

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

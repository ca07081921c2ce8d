"""The handover screen's record of the shift: handovers waiting to be accepted (for their receiver
and the supervisors) and the newest one signed, on top; the duty log's lines since the shift
began, after the lists. Names and text from people as plain text, never markup."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, tzinfo

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from liyuan_tui.domain.i18n import Translator
from liyuan_tui.domain.models import Staff
from liyuan_tui.reports.handover import HandoverSheet

from .plain import plain

LOG_LIMIT = 200


def _who(login: str, staff: Mapping[str, Staff]) -> str:
    person = staff.get(login)
    return person.name if person else login


def signed_lines(sheet: HandoverSheet, t: Translator, tz: tzinfo, staff: Mapping[str, Staff]) -> Text:
    """`待接班` lines in bold yellow, then the last handover in dim text; empty when none."""

    def when(d: datetime) -> str:
        return d.astimezone(tz).strftime("%m-%d %H:%M")

    out = Text()
    for p in sheet.pending:
        said = t(
            "shift.pending", by=_who(p.signed_by, staff), to=_who(p.to_login, staff), at=when(p.signed_at)
        )
        out.append(("\n" if out else "") + "▶ ", style="bold yellow")
        out.append_text(plain(said, "bold yellow", one_line=True))
    h = sheet.signed
    if h is not None and h.id not in {p.id for p in sheet.pending}:
        key = "shift.signed_accepted" if h.accepted_at else "shift.signed"
        said = t(
            key,
            by=_who(h.signed_by, staff),
            to=_who(h.to_login, staff),
            at=when(h.signed_at),
            accepted=when(h.accepted_at) if h.accepted_at else "",
        )
        out.append("\n" if out else "")
        out.append_text(plain(said, "dim", one_line=True))
    return out


def log_section(
    sheet: HandoverSheet, t: Translator, tz: tzinfo, staff: Mapping[str, Staff]
) -> RenderableType:
    title = Text(t("shift.log", count=len(sheet.log)), style="bold")
    if not sheet.log:
        return Group(title, Text(t("report.none"), style="dim"))
    grid = Table.grid(padding=(0, 2), expand=True)
    grid.add_column(no_wrap=True)
    grid.add_column(no_wrap=True)
    grid.add_column(ratio=1, overflow="fold")
    for n in sheet.log[-LOG_LIMIT:]:
        grid.add_row(
            Text(n.at.astimezone(tz).strftime("%H:%M")),
            plain(_who(n.by, staff), one_line=True),
            plain(n.text),
        )
    return Group(title, grid)

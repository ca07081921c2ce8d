"""What a page says: the request, its category, the unit (masked as the receiver's role would see
it), how late the reply is, and how to acknowledge — as plain text. Apprise turns plain text into
each channel's own format with everything escaped (Markdown for WeCom and DingTalk, HTML for
e-mail clients that want it), so a unit typed as `**urgent** <a href=…>` arrives as those
characters; the title carries only the desk's own words and the ref (an e-mail subject is one
line: no header can be smuggled in)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo

from liyuan_tui.domain.deadlines import format_countdown
from liyuan_tui.domain.i18n import Translator
from liyuan_tui.domain.models import Request, Staff
from liyuan_tui.domain.pager import late_seconds
from liyuan_tui.domain.paging import Page
from liyuan_tui.domain.permissions import hidden_fields
from liyuan_tui.domain.procedures import Procedures
from liyuan_tui.domain.safe_text import visible

from .export import HIDDEN

UNIT_SHOWN = 64  # characters of a unit in a page


@dataclass(frozen=True)
class PageText:
    title: str
    body: str


def one_line(text: str, limit: int) -> str:
    """Text from a person, on one line: no control character, no line break, cut with …"""
    shown = visible(text, newlines=False, limit=limit)
    return " ".join(shown.split())


def page_text(
    page: Page,
    req: Request | None,
    receiver: Staff | None,
    *,
    t: Translator,
    procedures: Procedures,
    tz: tzinfo,
    now: datetime,
) -> PageText:
    reason = t(f"pager.reason.{page.reason}")
    if req is None:  # a test page
        name = one_line(receiver.name if receiver is not None else page.login, 40)
        body = [t("pager.body.test", name=name, login=page.login), t("pager.body.key", key=page.key)]
        return PageText(t("pager.title.test"), "\n".join(body))
    proc = procedures.get(req.category)
    category = proc.name(t.lang) if proc is not None else t("cli.no_category")
    unit = HIDDEN if "unit" in hidden_fields(receiver, req, procedures) else one_line(req.unit, UNIT_SHOWN)
    late = late_seconds(req.reply_due_at, req.replied_at, now)
    if req.replied_at is not None:
        when = t("pager.body.replied", at=req.replied_at.astimezone(tz).strftime("%H:%M"))
    elif late > 0:
        when = t("pager.body.late", late=format_countdown(-late).lstrip("-"))
    else:
        when = t("pager.body.left", left=format_countdown(-late))
    lines = [
        t("pager.body.request", ref=req.ref, category=category, reason=reason),
        t("pager.body.unit", unit=unit or "-"),
        t("pager.body.received", at=req.received_at.astimezone(tz).strftime("%m-%d %H:%M")) + "  " + when,
    ]
    if page.rung > 0:
        lines.append(t("pager.body.rung", n=page.rung + 1))
    lines += [t("pager.body.ack", ref=req.ref), t("pager.body.key", key=page.key)]
    title = t("pager.title.request", reason=reason, ref=req.ref)
    return PageText(title, "\n".join(lines))

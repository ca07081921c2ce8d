"""The request screen's lines of issue 22: what the caller was told (hidden with the other details
of a confidential request), and the incident the call belongs to. Plain text, never markup."""

from __future__ import annotations

from rich.text import Text

from liyuan_tui.domain.i18n import Translator
from liyuan_tui.store import RequestDetail

from .fit import fit
from .plain import plain


def said_and_linked(detail: RequestDetail, hidden: frozenset[str], t: Translator) -> Text:
    req, out = detail.request, Text()
    if req.reply_text:
        out.append(f"{t('field.reply_text')}: ", style="dim")
        said = "***" if "reply_text" in hidden else " ".join(req.reply_text.split())
        out.append_text(fit(plain(said, one_line=True), 150))
    if detail.linked:
        key = "desk.show_incident_of" if req.incident else "desk.show_incident_calls"
        refs = ", ".join(detail.linked[:6]) + (" …" if len(detail.linked) > 6 else "")
        out.append(("\n" if out else "") + "+ ", style="bold cyan")
        out.append(t(key, first=req.incident or "", refs=refs), style="cyan")
    return out

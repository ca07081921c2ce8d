"""The household file (一户一档) as JSON and as plain lines, for the command line and the screen.
What the reader may not see never reached here (the store left it out); its parts are named under
`hidden`. A request the reader may not see in full (confidential) is listed without its text."""

from __future__ import annotations

from datetime import tzinfo
from typing import TYPE_CHECKING, Any

from liyuan_tui.domain.fees import format_yuan
from liyuan_tui.domain.i18n import Translator
from liyuan_tui.domain.permissions import HOUSEHOLD_PARTS, can_see
from liyuan_tui.domain.procedures import Procedures

from .export import HIDDEN, iso

if TYPE_CHECKING:  # (a request's text reads the follow-up lines, not the household file's store)
    from liyuan_tui.store import HistoryItem, HouseholdFile

SUMMARY_TEXT = 40  # characters of a request's description in its history line


def history_summary(item: HistoryItem, f: HouseholdFile, t: Translator, procedures: Procedures) -> str:
    req = item.request
    visible = can_see(f.viewer, req)
    if item.kind == "request":
        proc = procedures.get(req.category)
        text = req.description if visible else HIDDEN
        if len(text) > SUMMARY_TEXT:
            text = text[:SUMMARY_TEXT] + "…"
        parts = [proc.name(t.lang) if proc else t("report.no_category"), t(f"status.{req.status}")]
        if req.fault_kind and proc is not None and proc.fault_kind(req.fault_kind):
            parts.append(proc.fault_kind(req.fault_kind).name(t.lang))  # type: ignore[union-attr]
        if req.repeat_of:
            parts.append(t("household.repeat_of", ref=req.repeat_of))
        return " · ".join(parts + ([text] if text else []))
    if item.kind == "charge":
        c = item.row
        return t("household.charge", item=c.item_code, qty=f"{c.qty:g}", amount=format_yuan(c.amount_cents))
    if item.kind == "followup":
        return followup_summary(item.row, t, visible)
    state = getattr(item.row, "state", "")
    return t("household.work_order", number=item.number or "") + (f" · {state}" if state else "")


def followup_summary(call: Any, t: Translator, visible: bool = True) -> str:
    """A follow-up call in a few words: reached or not, the score, solved or not, the note."""
    if not call.reached:
        words = [t("followup.not_reached")]
    else:
        words = [t("followup.reached")]
        if call.score is not None:
            words.append(t("followup.score", score=call.score))
        if call.solved is not None:
            words.append(t("followup.solved" if call.solved else "followup.not_solved"))
    if call.note:
        words.append(call.note if visible else HIDDEN)
    return " · ".join(words)


def household_dict(f: HouseholdFile, t: Translator, procedures: Procedures, tz: tzinfo) -> dict[str, Any]:
    h = f.household
    emergency = None
    if h is not None and "emergency_contact" in f.parts and (h.emergency_name or h.emergency_phone):
        emergency = {"name": h.emergency_name, "phone": h.emergency_phone, "relation": h.emergency_relation}
    return {
        "unit": f.unit,
        "people": [
            {"name": p.name, "relation": p.relation, "phones": [x for x in p.phones.split(",") if x]}
            for p in f.people
        ],
        "emergency_contact": emergency,
        "flags": f.flags,
        "language": h.language if h is not None else "",
        "notes": (h.notes if h is not None else "") if "notes" in f.parts else None,
        "history": [
            {
                "kind": x.kind,
                "ref": x.request.ref,
                **({"number": x.number} if x.number else {}),
                "at": iso(x.at, tz),
                "summary": history_summary(x, f, t, procedures),
            }
            for x in f.history
        ],
        "version": f.version,
        "updated_at": iso(h.updated_at, tz) if h is not None else None,
        "updated_by": h.updated_by if h is not None else None,
        "hidden": [p for p in HOUSEHOLD_PARTS if p not in f.parts],
    }


def flag_words(f: HouseholdFile | Any, t: Translator) -> list[str]:
    """The flags in words (独居老人, 残障人士, 语言:粤语), for the desk to see at once."""
    h = f.household
    words = []
    for flag in f.flags:
        if flag == "language" and h is not None:
            words.append(t("household.flag_language", language=h.language))
        else:
            words.append(t(f"field.{flag}"))
    return words


def household_lines(f: HouseholdFile, t: Translator, procedures: Procedures, tz: tzinfo) -> list[str]:
    """The file as plain text (the command line)."""
    h = f.household
    flags = flag_words(f, t)
    lines = [f"{f.unit}" + (f"   ⚠ {' · '.join(flags)}" if flags else "")]
    if "people" in f.parts:
        lines.append(t("household.people") + ":" + ("" if f.people else " " + t("household.nobody")))
        for p in f.people:
            who = p.name or "-"
            if p.relation:
                who += f" ({p.relation})"
            phones = " / ".join(x for x in p.phones.split(",") if x)
            lines.append(f"  {who}" + (f"  {phones}" if phones else ""))
    if "emergency_contact" in f.parts:
        contact = ""
        if h is not None and (h.emergency_name or h.emergency_phone):
            contact = " ".join(
                x
                for x in (
                    h.emergency_name,
                    f"({h.emergency_relation})" if h.emergency_relation else "",
                    h.emergency_phone,
                )
                if x
            )
        lines.append(f"{t('household.emergency')}: {contact or '-'}")
    if "notes" in f.parts and h is not None and h.notes:
        lines.append(f"{t('household.notes')}: {h.notes}")
    if "history" in f.parts:
        lines.append(t("household.history") + ":" + ("" if f.history else " " + t("household.no_history")))
        for x in f.history:
            lines.append(
                f"  {x.at.astimezone(tz):%Y-%m-%d %H:%M}  {x.request.ref}  "
                f"{t('household.kind_' + x.kind)}  {history_summary(x, f, t, procedures)}"
            )
    hidden = [t(f"household.part_{p}") for p in HOUSEHOLD_PARTS if p not in f.parts]
    if hidden:
        lines.append(t("household.hidden", parts="、".join(hidden) if t.lang == "zh" else ", ".join(hidden)))
    return lines

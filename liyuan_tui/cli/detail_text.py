"""`liyuan show REF` as text: the request's fields, what the caller was told, its incident, the
checklist, charges with their receipts, follow-up calls and every event by its name."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from liyuan_tui.domain.deadlines import format_countdown
from liyuan_tui.domain.safe_text import visible

if TYPE_CHECKING:
    from liyuan_tui.store import RequestDetail

    from .context import Context


def print_detail(ctx: Context, data: dict[str, Any], detail: RequestDetail) -> None:
    from liyuan_tui.domain.permissions import can_see
    from liyuan_tui.reports.event_text import describe
    from liyuan_tui.reports.tables import escalated_to_name, governed_by

    t = ctx.t
    glance = ctx.glance  # (the database as `show` read it, without the ORM: store/glance.py)
    proc = glance.procedures.get(data["category"])
    names = glance.staff_names()  # people by name, never by login

    def who(login: str | None) -> str:
        return names.get(login, login) if login else ""

    lines = [
        f"{data['ref']}  {proc.name(ctx.settings.lang) if proc else t('cli.no_category')}"
        f"  {t('status.' + data['status'])}"
        + ("  !" + t("field.major") if data["major"] else "")
        + ("  " + t("field.confidential") if data["confidential"] else ""),
        f"  {t('field.unit')}: {data['unit']}   {t('field.phone')}: {data['phone']}"
        f"   {t('field.name')}: {data['requester_name']}",
        f"  {t('field.channel')}: {t('channel.' + data['channel'])}"
        f"   {t('field.received_at')}: {data['received_at']}",
        f"  {t('cli.reply_due')}: {data['reply_due_at']}"
        f"  ({format_countdown(data['seconds_left'], t.lang)}, {t('state.' + data['state'])})",
    ]
    if proc is not None and proc.refers_to is not None:  # the company procedure this checklist stands for
        lines.append("  " + governed_by(proc, t))
    if data["description"]:
        lines.append(f"  {t('field.description')}: {data['description']}")
    if data["assignee"]:
        lines.append(f"  {t('field.assignee')}: {who(data['assignee'])}")
    if data["escalated_at"]:
        target = escalated_to_name(data["escalated_to"], t, names)
        lines.append(f"  {t('cli.escalated')}: {data['escalated_at']} → {target}")
    if data["outcome"] and data["status"] in ("closed", "cancelled"):  # a reopened one has none
        lines.append(
            f"  {t('field.outcome')}: {data['outcome']}"
            + (f"  → {data['handed_to']}" if data["handed_to"] else "")
        )
    if data["repeat_of"]:
        lines.append(f"  {t('field.repeat_of')}: {data['repeat_of']}")
    if data.get("procedures_version"):
        lines.append(f"  {t('rules.label.procedures')}: v{data['procedures_version']}")
    if data["reply_text"]:  # what the caller was told (and the canned answer it came from)
        said = data["reply_text"] + (f"  [{data['reply_answer']}]" if data["reply_answer"] else "")
        lines.append(f"  {t('field.reply_text')}: {said}")
    if data["linked"]:
        key = "desk.show_incident_of" if data["incident"] else "desk.show_incident_calls"
        lines.append("  " + t(key, first=data["incident"] or "", refs=", ".join(data["linked"])))
    lines.append("")
    lines.append(t("cli.checklist"))
    for step in data["checklist"]:
        mark = "✓" if step["state"] == "done" else ("☐" if step["required"] else "○")
        extra = ""
        if step["state"] == "done":
            extra = f"  — {who(step['done_by'])} {step['done_at'][11:16]}"
            if step["value"]:
                extra += f"  [{step['value']}]"
            if step["note"]:
                extra += f"  {step['note']}"
        lines.append(f"  {mark} {step['key']}: {step['text']}{extra}")
    if data["charges"]:
        fee_names = glance.fee_item_names()
        lines.append("")
        lines.append(f"{t('cli.charges')}: {data['charges_total']:.2f}")
        for c in data["charges"]:
            paid = (
                t(
                    "desk.receipt_paid",
                    method=t(f"desk.method.{c['method']}"),
                    at=c["paid_at"][:16].replace("T", " "),
                )
                if c["paid_at"]
                else t("desk.receipt_unpaid")
            )
            receipt = f"  {c['receipt']} {paid}" if c["receipt"] else ""
            # by the item's name, as the fee schedule says it
            name = fee_names.get(c["item"], (c["item"], c["item"]))[0 if t.lang == "zh" else 1]
            lines.append(f"  {name} × {c['qty']:g} = {c['amount']:.2f}{receipt}")
    if data["followups"]:
        lines.append("")
        lines.append(t("ui.event.followup") + ":")
        from types import SimpleNamespace

        from liyuan_tui.reports.household import followup_summary

        for f in data["followups"]:  # the note is already hidden where the reader may not see it
            lines.append(
                f"  {f['at'][:16].replace('T', ' ')}  {who(f['by'])}"
                f"  {followup_summary(SimpleNamespace(**f), t)}"
            )
    lines.append("")
    lines.append(t("cli.events"))
    visible_to_me = can_see(glance.me, detail.request)
    # each event by its name, never its stored kind
    for ev, shown in zip(detail.events, data["events"], strict=True):
        actor = who(ev.actor) if ev.actor != "system" else t("ui.app.system")
        real = ev.db_user if ev.db_user and ev.db_user != ev.actor else None
        by = f" {t('ui.event.by_login', login=real)}" if real else ""
        at = shown["at"][:19].replace("T", " ")
        lines.append(f"  {at}  {actor}  {describe(ev, proc, t, visible_to_me, names)}{by}")
    # Every line is shown as text: a description's own lines are indented under it, and a control
    # character that reached the database some other way is printed as its escape, never sent raw.
    print("\n".join(visible(line).replace("\n", "\n      ") for line in lines), file=ctx.out)

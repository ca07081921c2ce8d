"""The tests' own computation of a month's figures from the generated rows, in plain Python
(no SQL, no code of liyuan_tui.reports.month), following the definitions in docs/report.md."""

from __future__ import annotations

import statistics
from collections import Counter
from datetime import datetime


def median_p90(values: list[float]) -> tuple[float | None, float | None]:
    if not values:
        return None, None
    if len(values) == 1:
        return values[0], values[0]
    return statistics.median(values), statistics.quantiles(values, n=10, method="inclusive")[8]


def expected(rows: list[dict], month: str, tz, now: datetime) -> dict:
    received = [r for r in rows if r["received_at"].astimezone(tz).strftime("%Y-%m") == month]
    # A voided request is in no figure but its own line (docs/report.md).
    mine = counted = [r for r in received if r["status"] != "cancelled"]
    replied = [r for r in counted if r["replied_at"] is not None]
    due = [r for r in counted if r["replied_at"] is not None or r["reply_due_at"] < now]
    within = [r for r in replied if r["replied_at"] <= r["reply_due_at"]]
    late = [
        r
        for r in counted
        if (r["replied_at"] is not None and r["replied_at"] > r["reply_due_at"])
        or (r["replied_at"] is None and r["reply_due_at"] < now)
    ]

    def secs(rs):
        return [(r["replied_at"] - r["received_at"]).total_seconds() for r in rs]

    med, p90 = median_p90(secs(replied))
    closed = [r for r in mine if r["status"] == "closed" and r["closed_at"] is not None]
    close_med, close_p90 = median_p90([(r["closed_at"] - r["received_at"]).total_seconds() for r in closed])
    categories = {}
    for key in {r["category"] or "none" for r in mine}:
        group = [r for r in mine if (r["category"] or "none") == key]
        g_counted = [r for r in group if r["status"] != "cancelled"]
        g_replied = [r for r in g_counted if r["replied_at"] is not None]
        g_due = [r for r in g_counted if r["replied_at"] is not None or r["reply_due_at"] < now]
        g_within = [r for r in g_replied if r["replied_at"] <= r["reply_due_at"]]
        m, p = median_p90(secs(g_replied))
        categories[key] = {
            "total": len(group),
            "replied": len(g_replied),
            "within_limit": len(g_within),
            "due": len(g_due),
            "median": m,
            "p90": p,
            "overdue": len([r for r in late if r in group]),
        }
    staff = {}
    for login in {r["created_by"] for r in mine} | {r["replied_by"] for r in replied} - {None}:
        theirs = [r for r in replied if r["replied_by"] == login]
        m, p = median_p90(secs(theirs))
        unreplied_late = [r for r in late if r["replied_at"] is None and r["created_by"] == login]
        staff[login] = {
            "logged": sum(1 for r in mine if r["created_by"] == login),
            "replied": len(theirs),
            "due": len(theirs) + len(unreplied_late),
            "within_limit": sum(1 for r in theirs if r["replied_at"] <= r["reply_due_at"]),
            "closed": sum(1 for r in mine if r["status"] == "closed" and r["closed_by"] == login),
            "escalated": sum(1 for r in mine if r["escalated_by"] == login),
            "median": m,
            "p90": p,
        }
    fees = Counter()
    fee_counts = Counter()
    for r in counted:
        for (code, _zh, _en, price), qty in r["charges"]:
            fees[code] += price * qty
            fee_counts[code] += 1
    late_seconds = {
        r["ref"]: int(((r["replied_at"] or r["closed_at"] or now) - r["reply_due_at"]).total_seconds())
        for r in late
    }
    return {
        "total": len(mine),
        "by_category": Counter(r["category"] or "none" for r in mine),
        "by_channel": Counter(r["channel"] for r in mine),
        "by_status": Counter(r["status"] for r in mine),
        "by_outcome": Counter(r["outcome_kind"] for r in closed if r["outcome_kind"]),
        "handed_on": Counter(r["handed_to"] for r in closed if r["handed_to"]),
        "cancelled": len(received) - len(mine),
        "median": med,
        "p90": p90,
        "closed": len(closed),
        "resolved": sum(1 for r in closed if r["outcome_kind"] == "resolved"),
        "close_median": close_med,
        "close_p90": close_p90,
        "within_limit_share": len(within) / len(due) if due else None,
        "replied": len(replied),
        "due": len(due),
        "overdue": late_seconds,
        "overdue_confidential": sum(1 for r in late if r["confidential"]),
        "escalated": sum(1 for r in mine if r["escalated_at"]),
        "unacknowledged": sum(1 for r in mine if r["escalated_at"] and not r["acknowledged_at"]),
        "major": sum(1 for r in mine if r["major"]),
        "confidential": sum(1 for r in mine if r["confidential"]),
        "by_hour": Counter(r["received_at"].astimezone(tz).hour for r in mine),
        "late_by_hour": Counter(r["received_at"].astimezone(tz).hour for r in late),
        "by_day": Counter(r["received_at"].astimezone(tz).date().isoformat() for r in mine),
        "categories": categories,
        "staff": staff,
        "fees": fees,
        "fee_counts": fee_counts,
        "fees_total": sum(fees.values()) / 100,
        "reply_seconds": sorted(secs(replied)),
    }

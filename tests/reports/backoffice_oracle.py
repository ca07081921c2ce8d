"""The tests' own computation of the quality section and the scorecard from the generated rows,
in plain Python (no SQL, no code of liyuan_tui.reports or .store), following docs/report.md."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from statistics import median

REPEAT_DAYS = 30
ON_SITE = {"lead"}  # the quarter's technician (tests/reports/test_backoffice_figures.py)


def in_month(when: datetime | None, month: str, tz) -> bool:
    return when is not None and when.astimezone(tz).strftime("%Y-%m") == month


def earlier_of(r: dict, rows: list[dict], repairs: set[str]) -> dict | None:
    """The request `r` is linked to: the latest one of the same unit, category and kind of fault
    still open (received before it), else the latest closed (not withdrawn) one that closed within
    30 days before `r` came in."""
    if r["category"] not in repairs or not r.get("fault_kind"):
        return None
    same = [
        e
        for e in rows
        if e is not r
        and e["category"] == r["category"]
        and e["unit"] == r["unit"]
        and e.get("fault_kind") == r["fault_kind"]
    ]
    still_open = [
        e for e in same if e["status"] in ("open", "replied") and e["received_at"] <= r["received_at"]
    ]
    if still_open:
        return max(still_open, key=lambda e: e["received_at"])
    found = [
        e
        for e in same
        if e["status"] == "closed"
        and e["outcome_kind"] != "withdrawn"
        and r["received_at"] - timedelta(days=REPEAT_DAYS) <= e["closed_at"] <= r["received_at"]
    ]
    return max(found, key=lambda e: e["closed_at"], default=None)


def repeat_of(r: dict, rows: list[dict], repairs: set[str]) -> dict | None:
    """The earlier repair `r` repeats (二次维修): linked, and done (closed) before `r` came in; the
    generated rows have no events, so a reopened one never counts."""
    e = earlier_of(r, rows, repairs)
    if e is None or e["status"] != "closed" or e["closed_at"] > r["received_at"]:
        return None
    return e


def calls_in(rows: list[dict], month: str, tz) -> list[tuple[dict, dict]]:
    return [(r, c) for r in rows for c in r["calls"] if in_month(c["at"], month, tz)]


def mean(scores: list[int]) -> float | None:
    return sum(scores) / len(scores) if scores else None


def quality(rows: list[dict], month: str, tz, repairs: set[str]) -> dict:
    calls = calls_in(rows, month, tz)
    reached = [(r, c) for r, c in calls if c["reached"]]
    asked = [c for _, c in reached if c["solved"] is not None]
    done = [c for r in rows for c in r["calls"] if c["reached"] and in_month(c["due_at"], month, tz)]
    owed = [r for r in rows if r["status"] == "closed" and in_month(r.get("followup_due_at"), month, tz)]
    by_cat: dict[str, list[int]] = defaultdict(list)
    for r, c in calls:
        if c["score"] is not None:
            by_cat[r["category"] or "none"].append(c["score"])
    mine = [
        r
        for r in rows
        if in_month(r["received_at"], month, tz) and r["status"] != "cancelled" and r["category"] in repairs
    ]
    repeats = [r for r in mine if repeat_of(r, rows, repairs) is not None]
    return {
        "calls": len(calls),
        "reached": len(reached),
        "reach_rate": len(reached) / len(calls) if calls else None,
        "followups_due": len(done) + len(owed),
        "due_done": len(done),
        "due_on_time": sum(1 for c in done if c["at"] <= c["due_at"]),
        "still_owed": len(owed),
        "satisfaction_mean": mean([s for v in by_cat.values() for s in v]),
        "satisfaction_by_category": {k: {"scored": len(v), "mean": mean(v)} for k, v in by_cat.items()},
        "solved_asked": len(asked),
        "solved": sum(1 for c in asked if c["solved"]),
        "repairs": len(mine),
        "repeat_repairs": len(repeats),
        "repeat_rate": len(repeats) / len(mine) if mine else None,
    }


def _late(r: dict, now: datetime) -> bool:
    return (r["replied_at"] is not None and r["replied_at"] > r["reply_due_at"]) or (
        r["replied_at"] is None and r["reply_due_at"] < now
    )


def _secs(r: dict) -> float:
    return (r["replied_at"] - r["received_at"]).total_seconds()


def scorecard(rows: list[dict], month: str, tz, now: datetime, repairs: set[str]) -> dict:
    """Per login and for the team: the scorecard's figures."""
    mine = [r for r in rows if in_month(r["received_at"], month, tz) and r["status"] != "cancelled"]
    calls = calls_in(rows, month, tz)
    replied = [r for r in mine if r["replied_at"] is not None]
    due = [r for r in mine if r["replied_at"] is not None or r["reply_due_at"] < now]
    people: dict[str, dict] = {}
    logins = (
        {r["created_by"] for r in mine}
        | {r["replied_by"] for r in replied}
        | {c["by"] for _, c in calls}
        | {r["escalated_by"] for r in mine if r["escalated_at"]}
    ) - {None}
    repeats = [(r, repeat_of(r, rows, repairs)) for r in mine]
    repeats = [(r, e) for r, e in repeats if e is not None]
    for login in logins:
        theirs = [r for r in replied if r["replied_by"] == login]
        scores = [
            c["score"]
            for r, c in calls
            if c["score"] is not None and (r["assignee"] or r["created_by"]) == login
        ]
        unreplied_late = [
            r for r in mine if r["created_by"] == login and r["replied_at"] is None and _late(r, now)
        ]
        in_time = sum(1 for r in theirs if r["replied_at"] <= r["reply_due_at"])
        people[login] = {
            "requests": sum(1 for r in mine if r["created_by"] == login),
            "median_reply_seconds": median(map(_secs, theirs)) if theirs else None,
            "within_limit_share": (
                in_time / (len(theirs) + len(unreplied_late)) if theirs or unreplied_late else None
            ),
            "overdue": sum(1 for r in mine if r["created_by"] == login and _late(r, now)),
            "escalations": sum(1 for r in mine if r["escalated_at"] and r["escalated_by"] == login),
            "satisfaction_mean": mean(scores),
            # the earlier repair's holder when they work on site (no work orders here), never the desk
            "repeat_repairs": sum(
                1 for _, e in repeats if (e["assignee"] or e["created_by"]) == login and login in ON_SITE
            ),
            "followups_made": sum(1 for _, c in calls if c["by"] == login),
            "orders_finished": 0,
            "orders_on_time_share": None,
        }
    scores = [c["score"] for _, c in calls if c["score"] is not None]
    team = {
        "requests": len(mine),
        "median_reply_seconds": median(map(_secs, replied)) if replied else None,
        "within_limit_share": (
            sum(1 for r in replied if r["replied_at"] <= r["reply_due_at"]) / len(due) if due else None
        ),
        "overdue": sum(1 for r in mine if _late(r, now)),
        "escalations": sum(1 for r in mine if r["escalated_at"]),
        "satisfaction_mean": mean(scores),
        "repeat_repairs": len(repeats),
        "followups_made": len(calls),
        "orders_finished": 0,
        "orders_on_time_share": None,
    }
    return {"people": people, "team": team}

"""A generated quarter for the back-office figures: the month report's generated requests, with
repairs filed under kinds of fault at a few units (so repeats happen), the follow-up due times the
desk sets at the close, follow-up calls (missed, reached, scored, "not solved" reopening the
request), and training and assessments. Written straight into the database, as use would leave
it; the rows are kept in Python for the tests' own computation (backoffice_oracle.py)."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from sqlalchemy import update
from sqlmodel import Session, select

from liyuan_tui.domain.models import Request
from liyuan_tui.domain.records import Assessment, FollowUp, Training
from liyuan_tui.store.repeats import earlier_repair

from .conftest import SHANGHAI, STAFF, insert_rows, make_rows

UNITS = [f"{b}-{r}" for b in (1, 2) for r in (101, 102, 201, 202, 301)]  # few units: repairs repeat
KINDS = ("water", "electric", "doors")


def local(*a) -> datetime:
    return datetime(*a, tzinfo=SHANGHAI)


def make_quarter(rng: random.Random, procedures) -> list[dict]:
    """September to November 2026, with a few requests on each month's edges."""
    rows = (
        make_rows(rng, local(2026, 9, 1), local(2026, 10, 1), 180, procedures)
        + make_rows(rng, local(2026, 10, 1), local(2026, 11, 1), 220, procedures)
        + make_rows(rng, local(2026, 11, 1), local(2026, 12, 1), 260, procedures)
        + make_rows(rng, local(2026, 10, 31, 23, 30), local(2026, 11, 1, 0, 30), 20, procedures)
        + make_rows(rng, local(2026, 11, 30, 23, 30), local(2026, 12, 1, 0, 30), 20, procedures)
    )
    repairs = [k for k, p in procedures.items() if p.fault_kinds]
    for r in rows:
        if rng.random() < 0.3:
            r["category"] = rng.choice(repairs)
        if r["category"] in repairs:
            r["unit"], r["fault_kind"] = rng.choice(UNITS), rng.choice(KINDS)
        r["calls"] = []
        if r["status"] != "closed":
            continue
        days = procedures[r["category"]].followup_days if r["category"] in procedures else 0
        due = r["closed_at"] + timedelta(days=days) if days and r["outcome_kind"] != "withdrawn" else None
        r["followup_due_at"] = due
        if due is None:
            continue
        at = r["closed_at"]
        for _ in range(rng.choice((0, 0, 1, 1, 2))):  # calls that did not reach anyone
            at += timedelta(hours=rng.randint(2, 40))
            r["calls"].append(
                dict(at=at, by=rng.choice(STAFF), reached=False, score=None, solved=None, due_at=due)
            )
        if rng.random() < 0.75:
            at += timedelta(hours=rng.randint(2, 120))
            solved = rng.choice((True, True, True, False, None))
            r["calls"].append(
                dict(
                    at=at,
                    by=rng.choice(STAFF),
                    reached=True,
                    due_at=due,
                    solved=solved,
                    score=rng.choice((None, 1, 2, 3, 4, 5, 5, 4)),
                )
            )
            r["followup_due_at"] = None
            if solved is False:  # the call reopened it
                r.update(status="replied", closed_at=None, closed_by=None)
    return rows


def insert_quarter(engine, rows: list[dict], procedures) -> None:
    calls = {id(r): r.pop("calls") for r in rows}
    insert_rows(engine, rows)
    with Session(engine) as s:
        ids = dict(s.exec(select(Request.ref, Request.id)).all())
        for r in rows:
            r["calls"] = calls[id(r)]
            for c in r["calls"]:
                s.add(FollowUp(request_id=ids[r["ref"]], note="回访", **c))
        # Each repair marked as the desk would have at intake (the store's own rule: the oracle
        # checks it independently).
        for r in sorted(rows, key=lambda x: x["received_at"]):
            earlier = earlier_repair(
                s.connection(),
                procedures,
                unit=r["unit"],
                category=r["category"],
                fault_kind=r.get("fault_kind", ""),
                received_at=r["received_at"],
                exclude_id=ids[r["ref"]],
            )
            r["repeat_of"] = earlier.ref if earlier is not None else None
            if earlier is not None:
                s.execute(update(Request).where(Request.id == ids[r["ref"]]).values(repeat_of=earlier.ref))
        s.commit()


def add_staff_records(engine, rng: random.Random) -> list[dict]:
    """Courses on either side of the months' edges, and a few assessments."""
    out = []
    with Session(engine) as s:
        for day in (
            date(2026, 10, 1),
            date(2026, 10, 31),
            date(2026, 11, 1),
            date(2026, 11, 15),
            date(2026, 11, 30),
            date(2026, 12, 1),
        ):
            login = rng.choice(STAFF)
            hours = rng.choice((None, 1.5, 2.0, 3.0))
            s.add(
                Training(
                    login=login,
                    course="消防安全",
                    day=day,
                    hours=hours,
                    result="合格",
                    recorded_by="sup",
                    at=local(2026, 12, 2),
                )
            )
            out.append({"login": login, "day": day, "hours": hours})
        for login, month, score in (("ann", "2026-11", 88), ("lead", "2026-11", 75), ("ann", "2026-10", 80)):
            s.add(
                Assessment(
                    login=login, month=month, score=score, note="月度考核", by="mgr", at=local(2026, 12, 2)
                )
            )
        s.commit()
    return out

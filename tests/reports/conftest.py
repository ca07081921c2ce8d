"""History with known answers: requests written straight into the test database (as years of
real use would leave them), and the same rows kept in Python for the tests' own computation."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from cli_runner import run_liyuan
from sqlalchemy import func
from sqlmodel import Session, select

from liyuan_tui.domain.models import Charge, FeeItem, Request

SHANGHAI = ZoneInfo("Asia/Shanghai")
UTC = UTC
STAFF = ("sup", "ann", "mgr", "lead")
DEPARTMENTS = ("工程部", "保安部", "财务部")
FEE_ITEMS = (
    ("lock", "更换门锁", "Lock change", 8000),
    ("pipe", "疏通管道", "Pipe clearing", 5000),
    ("bulb", "更换灯泡", "Bulb change", 1000),
)


def make_rows(
    rng: random.Random, start: datetime, end: datetime, n: int, procedures, confidential_share: float = 0.08
) -> list[dict]:
    """n requests received between start and end (aware), with every kind of life a request has."""
    keys = list(procedures)
    span = int((end - start).total_seconds())
    rows = []
    for _ in range(n):
        received = start + timedelta(seconds=rng.randrange(span))
        category = rng.choice(keys) if rng.random() > 0.02 else ""
        due = received + procedures.reply_limit(category)
        r = dict(
            category=category,
            channel=rng.choice(("phone", "walk-in", "intercom", "written")),
            unit=f"{rng.randint(1, 9)}-{rng.randint(101, 1802)}",
            phone="1380000" + str(rng.randint(1000, 9999)),
            requester_name=rng.choice(("王先生", "李女士", "陈伯")),
            description="水管漏水" + str(rng.random()),
            received_at=received,
            reply_due_at=due,
            replied_at=None,
            replied_by=None,
            escalated_at=None,
            escalated_to=None,
            escalated_by=None,
            acknowledged_at=None,
            acknowledged_by=None,
            major=rng.random() < 0.05,
            confidential=rng.random() < confidential_share,
            status="open",
            assignee=rng.choice(STAFF + (None,)),
            created_by=rng.choice(STAFF),
            outcome="",
            outcome_kind="",
            handed_to="",
            closed_at=None,
            closed_by=None,
        )
        if rng.random() < 0.85:
            r["replied_at"] = received + timedelta(
                seconds=rng.choice((rng.randint(5, 590), rng.randint(5, 3600)))
            )
            r["replied_by"] = rng.choice(STAFF)
            r["status"] = "replied"
            if rng.random() < 0.6:
                handed = rng.choice(DEPARTMENTS) if rng.random() < 0.3 else ""
                r.update(
                    status="closed",
                    closed_at=r["replied_at"] + timedelta(minutes=rng.randint(1, 300)),
                    closed_by=rng.choice(STAFF),
                    outcome="已处理" + str(rng.random()),
                    outcome_kind="handed_on" if handed else rng.choice(("resolved", "withdrawn", "other")),
                    handed_to=handed,
                )
        if rng.random() < 0.04:
            r["status"] = "cancelled"
        if rng.random() < 0.1:
            r.update(
                escalated_at=received + timedelta(minutes=2),
                escalated_to="cs_supervisor",
                escalated_by=rng.choice(STAFF),
            )
            if rng.random() < 0.5:
                r.update(acknowledged_at=received + timedelta(minutes=5), acknowledged_by="sup")
        if r["major"]:
            r["major_at"] = received
        r["charges"] = [
            (rng.choice(FEE_ITEMS), rng.choice((1, 2))) for _ in range(rng.choice((0, 0, 0, 0, 1, 2)))
        ]
        rows.append(r)
    return rows


def insert_rows(engine, rows: list[dict], tz=SHANGHAI) -> None:
    """Write rows as the store would have (refs per local month of receipt)."""
    seqs: dict[str, int] = {}
    with Session(engine) as s:
        for code, zh, en, price in FEE_ITEMS:
            if s.get(FeeItem, code) is None:
                s.add(
                    FeeItem(code=code, name_zh=zh, name_en=en, unit_zh="次", unit_en="job", price_cents=price)
                )
        for r in sorted(rows, key=lambda x: x["received_at"]):
            month = r["received_at"].astimezone(tz).strftime("%Y%m")
            if month not in seqs:
                seqs[month] = (
                    s.exec(select(func.max(Request.ref_seq)).where(Request.ref_month == month)).one() or 0
                )
            seqs[month] += 1
            r["ref"] = f"{month}-{seqs[month]:04d}"
            fields = {k: v for k, v in r.items() if k != "charges"}
            req = Request(ref_month=month, ref_seq=seqs[month], **fields)
            s.add(req)
            s.flush()
            for (code, _zh, _en, price), qty in r["charges"]:
                s.add(
                    Charge(
                        request_id=req.id,
                        item_code=code,
                        qty=qty,
                        unit_price_cents=price,
                        amount_cents=price * qty,
                        at=r["received_at"],
                        by="ann",
                    )
                )
        s.commit()


@pytest.fixture
def history(supervisor, procedures):
    """Three months around November 2026 (Shanghai), seeded: 400 in November, 250 in October,
    60 in September and December each, 30 of them within minutes of a month boundary."""
    return seed_history(supervisor.engine, procedures)


def seed_history(engine, procedures) -> list[dict]:
    """The `history` fixture's rows, written into the database of `engine`."""
    rng = random.Random(20261127)

    def local(*a):
        return datetime(*a, tzinfo=SHANGHAI)

    rows = (
        make_rows(rng, local(2026, 9, 1), local(2026, 10, 1), 60, procedures)
        + make_rows(rng, local(2026, 10, 1), local(2026, 11, 1), 250, procedures)
        + make_rows(rng, local(2026, 11, 1), local(2026, 12, 1), 400, procedures)
        + make_rows(rng, local(2026, 12, 1), local(2026, 12, 10), 60, procedures)
        + make_rows(rng, local(2026, 11, 30, 23, 50), local(2026, 12, 1, 0, 10), 15, procedures)
        + make_rows(rng, local(2026, 10, 31, 23, 50), local(2026, 11, 1, 0, 10), 15, procedures)
    )
    insert_rows(engine, rows)
    return rows


def liyuan(cli_env, *args, user="sup", lang="en"):
    env = dict(cli_env, LIYUAN_USER=user, LIYUAN_LANG=lang)
    return run_liyuan(env, *args, text=False)


@pytest.fixture
def in_process(monkeypatch, capsys, db_path):
    """`liyuan …` run inside the test (for refusals: quicker than a subprocess, same code path)."""
    from liyuan_tui.cli import main

    def run(*args, user="sup"):
        monkeypatch.setenv("LIYUAN_DB", str(db_path))
        monkeypatch.setenv("LIYUAN_USER", user)
        monkeypatch.setenv("LIYUAN_LANG", "en")
        try:
            code = main(list(args))
        except SystemExit as exc:  # argparse refusals
            code = exc.code
        out, err = capsys.readouterr()
        return code, out, err

    return run

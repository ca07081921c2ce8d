"""The month report's desk figures (receipts charged, paid and unpaid, by method; incidents beside
calls; visitors received; training hours by kind) and the scorecard's records of people, against
the tests' own computation over two generated months written through the store — month edges in
Shanghai time included (a request charged at 23:50 on the 31st, paid the next month)."""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from datetime import UTC, date, datetime, timedelta

import pytest

from liyuan_tui.domain.desk_records import PAY_METHODS, TRAINING_KINDS
from liyuan_tui.domain.i18n import Translator
from liyuan_tui.reports.month import month_report
from liyuan_tui.reports.month_render import render, report_dict
from liyuan_tui.reports.scorecard import scorecard
from liyuan_tui.reports.scorecard_render import render_scorecard, scorecard_dict
from liyuan_tui.reports.tables import Namer

from .conftest import SHANGHAI

START = datetime(2026, 10, 1, 0, 0, tzinfo=SHANGHAI).astimezone(UTC)
EDGE = datetime(2026, 10, 31, 23, 50, tzinfo=SHANGHAI).astimezone(UTC)
AFTER = datetime(2026, 12, 3, 9, 0, tzinfo=SHANGHAI).astimezone(UTC)
MONTHS = ("2026-10", "2026-11")


def month_of(when: datetime) -> str:
    return when.astimezone(SHANGHAI).strftime("%Y-%m")


@pytest.fixture
def history(staff, clock):
    """Two months of calls, charges, payments, links, visitors, courses and commendations, made
    through the store in time order, and the same facts kept here as plain records."""
    rng = random.Random(20261031)
    desk, sup, eng = staff["assistant"], staff["cs_supervisor"], staff["dept_staff"]
    times = sorted(START + timedelta(minutes=rng.randrange(61 * 24 * 60)) for _ in range(70)) + [EDGE]
    times.sort()
    facts: dict[str, list] = defaultdict(list)
    heads: dict[str, list[str]] = defaultdict(list)  # month → refs a call may be linked to
    for i, at in enumerate(times):
        clock.set(at)
        month = month_of(at)
        req = desk.intake.create_request(category="other", unit=f"{i}-1", phone="138", complete=True)
        row = {"ref": req.ref, "month": month, "incident": None, "cancelled": False, "receipts": []}
        facts["requests"].append(row)
        if at == EDGE:
            facts["edge"] = row
        elif rng.random() < 0.08:  # logged twice by mistake: voided, counted nowhere
            desk.lifecycle.cancel(req.ref, "重复登记")
            row["cancelled"] = True
            continue
        if heads[month] and rng.random() < 0.3:
            row["incident"] = desk.incidents.link(req.ref, rng.choice(heads[month])).incident
        else:
            heads[month].append(req.ref)
        for _ in range(rng.choice((0, 0, 1, 2)) if at != EDGE else 1):
            charge = desk.charges.add_charge(req.ref, rng.choice(("drain", "toilet")), rng.choice((1, 2)))
            row["receipts"].append({"amount": charge.amount_cents, "paid_at": None, "method": None})
        if rng.random() < 0.3:
            who = rng.choice((desk, eng))
            ref = req.ref if rng.random() < 0.5 else ""
            who.reception.add(name="访客", purpose="咨询", ref=ref)
            facts["receptions"].append({"month": month, "ref": ref})
        if rng.random() < 0.15:
            kind = rng.choice(("commendation", "reward", "penalty"))
            login = rng.choice(("ann", "gd", "eng"))
            sup.staff_records.commend(login, kind=kind, note="记录")
            facts["commendations"].append({"month": month, "login": login, "kind": kind})
        if rng.random() < 0.08:
            login = rng.choice(("ann", "eng"))
            sup.staff_records.recommend(login, for_what="promotion", note="推荐")
            facts["recommendations"].append({"month": month, "login": login})
    for row in facts["requests"]:  # payments, some the next month, some never
        for receipt, number in zip(row["receipts"], sorted_receipts(desk, row["ref"]), strict=True):
            if rng.random() < 0.6:
                clock.set(times[-1] + timedelta(hours=rng.randrange(1, 600)))
                method = rng.choice(PAY_METHODS)
                paid = desk.receipts.pay(number, method)
                receipt.update(paid_at=paid.paid_at, method=method)
    for _ in range(12):
        day = date(2026, 10, 1) + timedelta(days=rng.randrange(61))
        kind, hours = rng.choice(TRAINING_KINDS), rng.choice((1, 1.5, 2, None))
        people = rng.sample(["ann", "gd", "eng", "lead"], rng.randint(1, 3))
        sup.staff_records.train(people, course="课程", day=day.isoformat(), hours=hours, kind=kind)
        facts["trainings"].append({"day": day, "kind": kind, "hours": hours or 0, "people": people})
    clock.set(AFTER - timedelta(days=1))  # the report is made before some payments (paid later)
    return sup, facts


def sorted_receipts(store, ref: str) -> list[str]:
    detail = store.lookup.detail(ref)
    return [detail.receipts[c.id].number for c in detail.charges]


def expected(facts: dict, month: str, now: datetime) -> dict:
    counted = [r for r in facts["requests"] if r["month"] == month and not r["cancelled"]]
    receipts = [x for r in counted for x in r["receipts"]]
    paid = [x for x in receipts if x["paid_at"] is not None and x["paid_at"] <= now]
    by_method = {m: {"count": 0, "amount": 0.0} for m in PAY_METHODS}
    for x in paid:
        by_method[x["method"]]["count"] += 1
        by_method[x["method"]]["amount"] += x["amount"] / 100
    first = date(int(month[:4]), int(month[5:]), 1)
    last = date(first.year + first.month // 12, first.month % 12 + 1, 1) - timedelta(days=1)
    trained = [t for t in facts["trainings"] if first <= t["day"] <= last]
    return {
        "calls": len(counted),
        "incidents": len({r["incident"] or r["ref"] for r in counted}),
        "linked_calls": sum(1 for r in counted if r["incident"]),
        "receipts": {
            "charged": len(receipts),
            "charged_amount": sum(x["amount"] for x in receipts) / 100,
            "paid": len(paid),
            "paid_amount": sum(x["amount"] for x in paid) / 100,
            "unpaid": len(receipts) - len(paid),
            "unpaid_amount": sum(x["amount"] for x in receipts if x not in paid) / 100,
            "by_method": by_method,
        },
        "reception": {
            "total": sum(1 for v in facts["receptions"] if v["month"] == month),
            "became_requests": sum(1 for v in facts["receptions"] if v["month"] == month and v["ref"]),
        },
        "training": {
            k: {
                "hours": sum(t["hours"] * len(t["people"]) for t in trained if t["kind"] == k),
                "sessions": sum(1 for t in trained if t["kind"] == k),
            }
            for k in TRAINING_KINDS
        },
    }


@pytest.mark.parametrize("month", MONTHS)
def test_the_desk_figures_agree_with_the_tests_own_computation(history, clock, month):
    sup, facts = history
    assert sum(1 for r in facts["requests"] if r["incident"]) > 5  # the history has what it is about
    report = month_report(sup, month)
    data = report_dict(report, Translator("en"), Namer(Translator("en"), sup.procedures))
    want = expected(facts, month, clock.now())
    got = {k: data[k] for k in want}
    got["training"] = {
        k: {"hours": pytest.approx(v["hours"]), "sessions": v["sessions"]} for k, v in got["training"].items()
    }
    for key in ("charged_amount", "paid_amount", "unpaid_amount"):
        want["receipts"][key] = pytest.approx(want["receipts"][key])
    for m in PAY_METHODS:
        want["receipts"]["by_method"][m]["amount"] = pytest.approx(want["receipts"]["by_method"][m]["amount"])
    assert got == want
    previous = expected(facts, "2026-09" if month == "2026-10" else "2026-10", clock.now())
    assert data["previous"]["incidents"] == previous["incidents"]
    assert data["receipts"]["charged_amount"] == pytest.approx(data["fees_total"])  # one charge, one receipt


def test_the_edge_of_the_month_counts_with_the_request_and_is_paid_later(history):
    _, facts = history
    edge = facts["edge"]
    assert edge["month"] == "2026-10" and edge["ref"].startswith("202610-")
    assert edge["receipts"] and all(
        x["paid_at"] is None or month_of(x["paid_at"]) != "2026-10" for x in edge["receipts"]
    )
    assert sum(1 for r in facts["requests"] if r["cancelled"]) >= 1


def test_the_report_and_the_scorecard_say_the_desk_figures_in_every_format(history):
    sup, _ = history
    for lang in ("zh", "en"):
        t = Translator(lang)
        md = render(month_report(sup, "2026-11"), "md", t, sup.procedures)
        assert t("desk.report.title") in md and t("desk.report.incidents") in md
        csv = render(month_report(sup, "2026-11"), "csv", t, sup.procedures)
        assert t("desk.report.unpaid_amount") in csv
        card = render_scorecard(scorecard(sup, "2026-11"), "md", t)
        assert t("desk.scorecard.records") in card


@pytest.mark.parametrize("month", MONTHS)
def test_the_scorecard_shows_each_persons_commendations_recommendations_and_training_by_kind(history, month):
    sup, facts = history
    data = scorecard_dict(scorecard(sup, month))
    first = date(int(month[:4]), int(month[5:]), 1)
    last = date(first.year, first.month + 1, 1) - timedelta(days=1)
    for person in data["staff"]:
        login = person["login"]
        kinds = Counter(
            c["kind"] for c in facts["commendations"] if c["month"] == month and c["login"] == login
        )
        assert person["commendations"] == {k: kinds.get(k, 0) for k in ("commendation", "reward", "penalty")}
        assert person["recommendations"] == sum(
            1 for r in facts["recommendations"] if r["month"] == month and r["login"] == login
        )
        hours = {
            k: sum(
                t["hours"]
                for t in facts["trainings"]
                if t["kind"] == k and first <= t["day"] <= last and login in t["people"]
            )
            for k in TRAINING_KINDS
        }
        assert person["training_hours_by_kind"] == pytest.approx(hours)
        assert person["training_hours"] == pytest.approx(sum(hours.values()))
    team = {k: sum(p["training_hours_by_kind"][k] for p in data["staff"]) for k in TRAINING_KINDS}
    assert data["team"]["training_hours_by_kind"] == pytest.approx(team)

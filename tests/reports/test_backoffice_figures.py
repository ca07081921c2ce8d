"""The month report's quality section and the staff scorecard against the tests' own computation
over a generated quarter (September to November 2026), figure by figure, month by month."""

from __future__ import annotations

import random
from datetime import UTC, datetime

import pytest

from liyuan_tui.domain.i18n import Translator
from liyuan_tui.reports.month import month_report
from liyuan_tui.reports.month_render import report_dict
from liyuan_tui.reports.scorecard import scorecard
from liyuan_tui.reports.scorecard_render import scorecard_dict
from liyuan_tui.reports.tables import Namer

from . import backoffice_oracle as oracle
from .backoffice_data import add_staff_records, insert_quarter, make_quarter
from .conftest import SHANGHAI

AFTER = datetime(2026, 12, 20, 4, 0, tzinfo=UTC)  # the reports are made after the quarter
MONTHS = ("2026-10", "2026-11")


@pytest.fixture(scope="module")
def quarter(tmp_path_factory, procedures):
    """One generated quarter for every test of this module (it takes a few seconds to write)."""
    from liyuan_tui.domain.clock import FakeClock
    from liyuan_tui.store import Store

    path = tmp_path_factory.mktemp("quarter") / "desk.db"
    sup = Store(
        f"sqlite:///{path}", FakeClock(AFTER), "sup", procedures=procedures, tz="Asia/Shanghai", create=True
    )
    sup.staff.ensure_identity()
    # "lead" works on site here: repeat repairs are charged to an earlier repair's technician.
    for login, role in (("ann", "assistant"), ("mgr", "manager"), ("lead", "technician")):
        sup.staff.add_staff(login, login.upper(), role)
    rng = random.Random(20261231)
    rows = make_quarter(rng, procedures)
    insert_quarter(sup.engine, rows, procedures)
    trainings = add_staff_records(sup.engine, rng)
    yield sup, rows, trainings
    sup.close()


@pytest.fixture(scope="module")
def repairs(procedures):
    return {k for k, p in procedures.items() if p.fault_kinds}


def approx(value):
    return pytest.approx(value, abs=0.001) if value is not None else None


def test_the_quarter_has_what_the_figures_are_about(quarter, repairs):
    _, rows, _ = quarter
    calls = [c for r in rows for c in r["calls"]]
    assert sum(1 for c in calls if not c["reached"]) > 50 and sum(1 for c in calls if c["reached"]) > 100
    assert sum(1 for c in calls if c["solved"] is False) > 5  # some calls reopened their request
    repeated = [r for r in rows if r.get("repeat_of")]
    assert len(repeated) > 10
    assert (
        sum(1 for r in rows if r.get("followup_due_at") and r["status"] == "closed") > 10
    )  # calls still owed


@pytest.mark.parametrize("month", MONTHS)
def test_the_quality_section_figure_by_figure(quarter, repairs, procedures, month):
    sup, rows, _ = quarter
    t = Translator("en")
    data = report_dict(month_report(sup, month, now=AFTER), t, Namer(t, procedures))
    for key, got in (("current", data["quality"]), ("previous", data["previous"]["quality"])):
        which = month if key == "current" else {"2026-10": "2026-09", "2026-11": "2026-10"}[month]
        want = oracle.quality(rows, which, SHANGHAI, repairs)
        for name in (
            "calls",
            "reached",
            "followups_due",
            "due_done",
            "due_on_time",
            "still_owed",
            "solved_asked",
            "solved",
            "repairs",
            "repeat_repairs",
        ):
            assert got[name] == want[name], (which, name)
        for name in ("reach_rate", "satisfaction_mean", "repeat_rate"):
            assert got[name] == approx(want[name]), (which, name)
        assert got["followups_done"] == want["reached"]
        assert got["solved_share"] == approx(want["solved"] / want["solved_asked"])
        assert set(got["satisfaction_by_category"]) == set(want["satisfaction_by_category"]), which
        for cat, figures in want["satisfaction_by_category"].items():
            assert got["satisfaction_by_category"][cat]["scored"] == figures["scored"], (which, cat)
            assert got["satisfaction_by_category"][cat]["mean"] == approx(figures["mean"]), (which, cat)


FIGURES = ("requests", "overdue", "escalations", "repeat_repairs", "followups_made", "orders_finished")
RATES = ("median_reply_seconds", "within_limit_share", "satisfaction_mean", "orders_on_time_share")


@pytest.mark.parametrize("month", MONTHS)
def test_the_scorecard_person_by_person_and_the_team_beside_the_month_before(quarter, repairs, month):
    sup, rows, trainings = quarter
    card = scorecard_dict(scorecard(sup, month, now=AFTER))
    want = oracle.scorecard(rows, month, SHANGHAI, AFTER, repairs)
    people = {p["login"]: p for p in card["staff"]}
    assert set(want["people"]) <= set(people)
    for login, figures in want["people"].items():
        for name in FIGURES:
            assert people[login][name] == figures[name], (login, name)
        for name in RATES:
            assert people[login][name] == approx(figures[name]), (login, name)
        hours = sum(
            x["hours"] or 0 for x in trainings if x["login"] == login and x["day"].strftime("%Y-%m") == month
        )
        assert people[login]["training_hours"] == pytest.approx(hours), login
    assert people["ann"]["assessment_score"] == {"2026-10": 80, "2026-11": 88}[month]
    previous = {"2026-10": "2026-09", "2026-11": "2026-10"}[month]
    for key, which in (("team", month), ("previous", previous)):
        team = oracle.scorecard(rows, which, SHANGHAI, AFTER, repairs)["team"]
        assert card[key]["month"] == which
        for name in FIGURES:
            assert card[key][name] == team[name], (which, name)
        for name in RATES:
            assert card[key][name] == approx(team[name]), (which, name)


def test_repeats_are_charged_to_the_technician_in_some_month(quarter):
    sup, _, _ = quarter
    charged = [
        p["repeat_repairs"]
        for month in MONTHS
        for p in scorecard_dict(scorecard(sup, month, now=AFTER))["staff"]
        if p["login"] == "lead"
    ]
    assert sum(charged) > 0  # the technician's earlier repairs did not hold (checked by the oracle)


def test_the_team_agrees_with_the_month_report(quarter, procedures):
    sup, _, _ = quarter
    t = Translator("en")
    report = report_dict(month_report(sup, "2026-11", now=AFTER), t, Namer(t, procedures))
    team = scorecard_dict(scorecard(sup, "2026-11", now=AFTER))["team"]
    assert team["median_reply_seconds"] == report["reply_seconds"]["median"]
    assert team["within_limit_share"] == report["within_limit_share"]
    assert team["escalations"] == report["escalated"]  # neither counts a voided request

"""Several estates on one database: each request and staff member belongs to one (the default
where none is set), a desk shows its estate's queue, and the month report covers one estate or
all of them side by side."""

from __future__ import annotations

import json

import pytest
from cli_runner import run_liyuan

from liyuan_tui.domain.errors import ValidationError
from liyuan_tui.domain.models import DEFAULT_ESTATE
from liyuan_tui.reports.month import month_report


@pytest.fixture
def two_estates(staff, store_for):
    sup = staff["cs_supervisor"]
    sup.estates.add_estate("east", "东苑")
    sup.staff.add_staff("eva", "Eva", "assistant", estate="east")
    return staff["assistant"], store_for("eva")


def test_a_request_belongs_to_the_estate_of_whoever_logged_it(two_estates):
    ann, eva = two_estates
    west = ann.intake.create_request(category="B", unit="1-101", phone="123", complete=True)
    east = eva.intake.create_request(category="B", unit="9-909", phone="456", complete=True)
    assert (west.estate, east.estate) == (DEFAULT_ESTATE, "east")
    assert [r.ref for r in eva.lookup.open_requests("east")] == [east.ref]
    assert [r.ref for r in ann.lookup.open_requests(DEFAULT_ESTATE)] == [west.ref]
    assert {r.ref for r in ann.lookup.open_requests()} == {west.ref, east.ref}


def test_an_estate_must_exist_before_staff_are_put_in_it(staff):
    with pytest.raises(ValidationError) as err:
        staff["cs_supervisor"].staff.add_staff("zed", "Zed", "assistant", estate="nowhere")
    assert err.value.field == "estate"
    with pytest.raises(ValidationError):
        staff["cs_supervisor"].estates.add_estate("bad code!", "x")
    assert [e.code for e in staff["cs_supervisor"].estates.list_estates()] == [DEFAULT_ESTATE]


def test_the_desk_queue_and_the_month_report_by_estate(two_estates, staff, cli_env, clock):
    ann, eva = two_estates
    ann.intake.create_request(category="B", unit="1-101", phone="123", complete=True)
    for unit in ("9-901", "9-902"):
        eva.intake.create_request(category="C", unit=unit, phone="456", complete=True)
    queue = json.loads(run_liyuan(dict(cli_env, LIYUAN_USER="eva"), "queue", "--json").stdout)
    assert {q["unit"] for q in queue} == {"9-901", "9-902"}
    every = json.loads(
        run_liyuan(dict(cli_env, LIYUAN_USER="eva"), "queue", "--json", "--estate", "all").stdout
    )
    assert len(every) == 3
    sup = staff["cs_supervisor"]
    month = "2026-11"
    assert month_report(sup, month, now=clock.now()).current.total == 3
    assert month_report(sup, month, now=clock.now(), estate="east").current.total == 2
    both = month_report(sup, month, now=clock.now(), estate="all")
    assert {code: fig.total for code, fig in both.estates.items()} == {"east": 2, DEFAULT_ESTATE: 1}
    shown = run_liyuan(dict(cli_env, LIYUAN_USER="sup"), "report", "--month", month, "--estate", "all")
    assert shown.returncode == 0, shown.stderr
    assert "Estates side by side" in shown.stdout and "east" in shown.stdout
    data = json.loads(
        run_liyuan(
            dict(cli_env, LIYUAN_USER="sup"),
            "report",
            "--month",
            month,
            "--estate",
            "east",
            "--format",
            "json",
        ).stdout
    )
    assert data["estate"] == "east" and data["total"] == 2
    bad = run_liyuan(dict(cli_env, LIYUAN_USER="sup"), "report", "--month", month, "--estate", "no such!")
    assert bad.returncode == 2 and "--estate" in bad.stderr

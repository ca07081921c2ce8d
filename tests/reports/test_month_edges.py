"""Month boundaries at local midnight, an empty month, a month of confidential requests only,
and percentiles against a sorted-list oracle."""

from __future__ import annotations

import csv
import io
import json
import statistics
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from liyuan_tui.domain.i18n import Translator
from liyuan_tui.reports.month import Month, month_report, percentile
from liyuan_tui.reports.month_render import render
from liyuan_tui.store import Store

from .conftest import insert_rows

UTC = UTC
LATER = datetime(2027, 3, 1, tzinfo=UTC)


def row(received: datetime, **extra) -> dict:
    base = dict(
        category="repair",
        channel="phone",
        unit="3-301",
        phone="13800001111",
        requester_name="张三",
        description="门锁坏了",
        received_at=received,
        reply_due_at=received + timedelta(minutes=10),
        replied_at=received + timedelta(minutes=3),
        replied_by="sup",
        status="replied",
        created_by="sup",
        charges=[],
    )
    base.update(extra)
    return base


def store_in(db_url, clock, procedures, tz: str) -> Store:
    st_ = Store(db_url, clock, "sup", procedures=procedures, tz=tz, create=True)
    st_.init_schema()
    st_.staff.ensure_identity()
    return st_


@pytest.mark.parametrize("tz_name", ["America/New_York", "Asia/Shanghai"])
def test_a_request_at_2359_on_the_last_day_belongs_to_that_month(db_url, clock, procedures, tz_name):
    tz = ZoneInfo(tz_name)
    store = store_in(db_url, clock, procedures, tz_name)
    clock.set(LATER)
    last_minute = datetime(2026, 10, 31, 23, 59, tzinfo=tz)
    first_minute = datetime(2026, 11, 1, 0, 0, tzinfo=tz)
    insert_rows(store.engine, [row(last_minute), row(first_minute)], tz)
    if tz_name == "America/New_York":
        assert last_minute.astimezone(UTC).day == 1  # already November in UTC
    else:
        assert first_minute.astimezone(UTC).month == 10  # still October in UTC
    october, november = month_report(store, "2026-10").current, month_report(store, "2026-11").current
    assert october.total == 1 and november.total == 1
    assert october.by_day[-1].day.isoformat() == "2026-10-31" and october.by_day[-1].total == 1
    assert october.by_hour[23].total == 1 and november.by_hour[0].total == 1
    assert november.by_day[0].total == 1
    store.close()


def test_hours_of_day_follow_daylight_saving_and_half_hour_zones(db_url, clock, procedures):
    # New York leaves daylight saving on 1 November 2026: 01:30 happens twice that night.
    ny = ZoneInfo("America/New_York")
    store = store_in(db_url, clock, procedures, "America/New_York")
    clock.set(LATER)
    first = datetime(2026, 11, 1, 5, 30, tzinfo=UTC)  # 01:30 EDT
    second = datetime(2026, 11, 1, 6, 30, tzinfo=UTC)  # 01:30 EST
    assert first.astimezone(ny).hour == second.astimezone(ny).hour == 1
    insert_rows(store.engine, [row(first), row(second)], ny)
    fig = month_report(store, "2026-11").current
    assert fig.by_hour[1].total == 2 and sum(h.total for h in fig.by_hour) == 2
    assert fig.end - fig.start == timedelta(days=30, hours=1)  # the month is an hour longer
    store.close()

    kolkata = store_in(db_url, clock, procedures, "Asia/Kolkata")  # UTC+05:30
    insert_rows(
        kolkata.engine,
        [row(datetime(2026, 11, 10, 23, 45, tzinfo=ZoneInfo("Asia/Kolkata")))],
        ZoneInfo("Asia/Kolkata"),
    )
    fig = month_report(kolkata, "2026-11").current
    assert fig.by_hour[23].total == 1
    kolkata.close()


def test_month_parsing_and_previous_month():
    assert str(Month.parse("2026-01").previous()) == "2025-12"
    from liyuan_tui.domain.errors import ValidationError

    for bad in ("2026-13", "2026-1", "26-11", "", "2026/11", "2026-00"):
        with pytest.raises(ValidationError) as exc:
            Month.parse(bad)
        assert exc.value.field == "month"


def test_an_empty_month_renders_in_every_format(supervisor, clock, procedures):
    report = month_report(supervisor, "2026-11")
    fig = report.current
    assert fig.total == 0 and fig.reply.median is None and fig.reply.within_limit_share is None
    assert fig.overdue == [] and fig.fees == [] and len(fig.by_day) == 30
    for lang in ("zh", "en"):
        t = Translator(lang)
        data = json.loads(render(report, "json", t, procedures))
        assert data["total"] == 0 and data["reply_seconds"] == {"median": None, "p90": None}
        assert data["within_limit_share"] is None and data["overdue"] == [] and data["fees_total"] == 0
        assert data["summary"] == [t("summary.empty", month="2026-11", previous=0)]
        md = render(report, "md", t, procedures)
        assert data["summary"][0] in md
        rows = list(csv.reader(io.StringIO(render(report, "csv", t, procedures).lstrip("\ufeff"))))
        assert rows[0] == [t("report.title", month="2026-11")]


def test_a_month_of_confidential_requests_is_counted_without_details(supervisor, clock, procedures):
    tz = ZoneInfo("Asia/Shanghai")
    clock.set(LATER)
    start = datetime(2026, 11, 5, 22, 0, tzinfo=tz)
    secrets = [
        row(
            start + timedelta(hours=i),
            confidential=True,
            unit=f"机密-{i}楼",
            requester_name=f"秘密人{i}",
            phone=f"1391234{i:04d}",
            description=f"机密内容{i}",
            major=(i == 0),
            escalated_at=start,
            escalated_to="cs_supervisor",
            escalated_by="sup",
            replied_at=start + timedelta(hours=i, minutes=30),
            status="closed",
            closed_at=start + timedelta(hours=i, minutes=40),
            closed_by="sup",
            outcome=f"机密结果{i}",
            outcome_kind="resolved",
        )
        for i in range(3)
    ]
    insert_rows(supervisor.engine, secrets)
    report = month_report(supervisor, "2026-11")
    fig = report.current
    assert fig.total == fig.confidential == 3 and fig.late == 3 and fig.escalated == 3 and fig.major == 1
    assert len(fig.overdue) == 3 and all(x.ref is None for x in fig.overdue)
    for fmt in ("md", "csv", "json"):
        for lang in ("zh", "en"):
            text = render(report, fmt, Translator(lang), procedures)
            for r in secrets:
                for detail in (
                    r["ref"],
                    r["unit"],
                    r["requester_name"],
                    r["phone"],
                    r["description"],
                    r["outcome"],
                ):
                    assert detail not in text, (fmt, lang, detail)
            assert "3" in text
    data = json.loads(render(report, "json", Translator("en"), procedures))
    assert data["confidential"] == 3 and data["total"] == 3
    assert [x["late_seconds"] for x in data["overdue"]] == [1200, 1200, 1200]


@given(
    st.lists(st.floats(min_value=0, max_value=1e6, allow_nan=False), min_size=1, max_size=200),
    st.sampled_from([(1, 2), (9, 10)]),
)
def test_percentile_from_two_ranks_matches_a_sorted_list(values, frac):
    ordered = sorted(values)
    num, den = frac
    want = (
        statistics.median(ordered)
        if frac == (1, 2)
        else statistics.quantiles(ordered, n=10, method="inclusive")[8]
        if len(ordered) > 1
        else ordered[0]
    )
    low = (len(ordered) - 1) * num // den
    ranks = {i: v for i, v in enumerate(ordered) if i in (low, low + 1)}
    assert percentile(ranks, len(ordered), num, den) == pytest.approx(want, abs=1e-3, rel=1e-9)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.integers(min_value=0, max_value=7200), min_size=1, max_size=60))
def test_reply_median_and_p90_from_the_database_match_a_sorted_list(supervisor, clock, values):
    from sqlmodel import Session, delete

    from liyuan_tui.domain.models import Request

    with Session(supervisor.engine) as s:
        s.exec(delete(Request))
        s.commit()
    clock.set(LATER)
    start = datetime(2026, 11, 3, 1, 0, tzinfo=UTC)
    insert_rows(
        supervisor.engine,
        [
            row(start + timedelta(minutes=i), replied_at=start + timedelta(minutes=i, seconds=v))
            for i, v in enumerate(values)
        ],
    )
    fig = month_report(supervisor, "2026-11").current
    ordered = sorted(values)
    assert fig.reply.median == pytest.approx(statistics.median(ordered), abs=0.01)
    p90 = statistics.quantiles(ordered, n=10, method="inclusive")[8] if len(ordered) > 1 else ordered[0]
    assert fig.reply.p90 == pytest.approx(p90, abs=0.01)
    assert fig.reply.within_limit_share == pytest.approx(sum(v <= 600 for v in values) / len(values))


@given(
    st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2040, 1, 1), timezones=st.just(UTC)),
    st.sampled_from(
        [
            "Asia/Shanghai",
            "America/New_York",
            "Asia/Kolkata",
            "Australia/Lord_Howe",
            "Asia/Kathmandu",
            "Europe/London",
        ]
    ),
)
def test_fast_local_times_match_astimezone(when, zone):
    from liyuan_tui.reports.month_render import local_iso

    tz = ZoneInfo(zone)
    assert local_iso(when, tz) == when.astimezone(tz).isoformat(timespec="seconds")


def test_a_category_nobody_was_replied_to_is_named_without_a_reply_time(supervisor, clock, procedures):
    """The summary never quotes a 90th percentile it does not have."""
    for _ in range(2):
        supervisor.intake.create_request(category="security", unit="B2", phone="13900000000", complete=True)
    clock.advance(minutes=30)
    report = month_report(supervisor, "2026-11")
    for lang, words in (
        ("en", "none was replied to within its limit this month, 2 overdue"),
        ("zh", "本月没有一件在时限内得到回复,超时 2 件"),
    ):
        t = Translator(lang)
        lines = json.loads(render(report, "json", t, procedures))["summary"]
        assert any(words in line for line in lines), lines
        assert not any("—" in line for line in lines), lines

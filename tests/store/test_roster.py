"""The duty roster (值班表): shifts typed in the site's local time (no daylight saving in Shanghai, so
a night shift is exactly as long as typed, whatever other zones do that night), crossing midnight;
who a page reaches at each moment, with backups; everyone when the roster names nobody; and
refusals that name the field and write nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlmodel import select

from liyuan_tui.domain.errors import PermissionDenied, ValidationError
from liyuan_tui.domain.paging import DutyShift
from liyuan_tui.store.roster import on_duty

SHANGHAI = timezone(timedelta(hours=8))


def local(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


def reached(store, duty: str, at: str, backup: bool = False) -> list[str]:
    with store.kernel.read() as s:
        return [d.login for d in on_duty(s, duty, local(at), "main", backup=backup)]


def test_a_night_shift_crosses_midnight_in_the_sites_local_time(supervisor, staff, clock):
    shift = supervisor.roster.add("sup", "duty_supervisor", "2026-11-27T22:00", "2026-11-28T06:00")
    assert shift.starts_at == datetime(2026, 11, 27, 14, 0, tzinfo=UTC)
    assert shift.ends_at - shift.starts_at == timedelta(hours=8)
    assert reached(supervisor, "duty_supervisor", "2026-11-27T23:30") == ["sup"]
    assert reached(supervisor, "duty_supervisor", "2026-11-28T02:00") == ["sup"]  # after midnight
    # Before and after it (the end is not in it), the roster names nobody: every supervisor.
    assert reached(supervisor, "duty_supervisor", "2026-11-27T21:59") == ["sup"]
    supervisor.staff.add_staff("zhou", "周敏", "cs_supervisor")
    assert reached(supervisor, "duty_supervisor", "2026-11-28T06:00") == ["sup", "zhou"]
    assert reached(supervisor, "duty_supervisor", "2026-11-28T05:59") == ["sup"]


def test_a_shift_is_as_long_as_typed_the_night_other_zones_change_their_clocks(supervisor, staff, clock):
    """2026-10-25: Europe leaves summer time at 03:00 local; Shanghai has no daylight saving."""
    clock.set(datetime(2026, 10, 24, 10, 0, tzinfo=UTC))
    shift = supervisor.roster.add("mgr", "duty_manager", "2026-10-24 20:00", "2026-10-25 08:00")
    assert shift.ends_at - shift.starts_at == timedelta(hours=12)
    assert shift.starts_at == datetime(2026, 10, 24, 12, 0, tzinfo=UTC)


def test_the_backup_is_reached_only_as_the_backup(supervisor, staff, clock):
    supervisor.staff.add_staff("zhou", "周敏", "cs_supervisor")
    supervisor.roster.add("zhou", "duty_supervisor", "2026-11-27T20:00", "2026-11-28T08:00")
    supervisor.roster.add("sup", "duty_supervisor", "2026-11-27T20:00", "2026-11-28T08:00", backup=True)
    assert reached(supervisor, "duty_supervisor", "2026-11-27T22:00") == ["zhou"]
    assert reached(supervisor, "duty_supervisor", "2026-11-27T22:00", backup=True) == ["sup"]


def test_nobody_on_the_roster_reaches_every_active_supervisor_and_for_the_manager_the_manager_too(
    supervisor, staff, clock
):
    supervisor.staff.add_staff("zhou", "周敏", "cs_supervisor")
    supervisor.staff.add_staff("old", "老王", "cs_supervisor")
    supervisor.staff.update_staff("old", active=False)
    assert reached(supervisor, "duty_supervisor", "2026-11-27T22:00") == ["sup", "zhou"]
    assert reached(supervisor, "duty_manager", "2026-11-27T22:00") == ["mgr", "sup", "zhou"]
    assert reached(supervisor, "duty_supervisor", "2026-11-27T22:00", backup=True) == []
    now = {(d.duty, d.login) for d in supervisor.roster.now()}
    assert ("duty_manager", "mgr") in now and ("duty_supervisor", "zhou") in now


def test_a_deactivated_person_on_the_roster_is_not_reached(supervisor, staff, clock):
    supervisor.staff.add_staff("zhou", "周敏", "cs_supervisor")
    supervisor.roster.add("zhou", "duty_supervisor", "2026-11-27T20:00", "2026-11-28T08:00")
    supervisor.staff.update_staff("zhou", active=False)
    assert reached(supervisor, "duty_supervisor", "2026-11-27T22:00") == ["sup"]  # as if nobody


def test_a_removed_shift_stays_on_record_and_reaches_nobody(supervisor, staff, clock):
    shift = supervisor.roster.add("mgr", "duty_manager", "2026-11-27T20:00", "2026-11-28T08:00")
    supervisor.roster.remove(shift.id)
    assert supervisor.roster.shifts() == []
    assert [s.removed_by for s in supervisor.roster.shifts(past=True)] == ["sup"]
    assert "sup" in reached(supervisor, "duty_manager", "2026-11-27T22:00")  # everyone again


@pytest.mark.parametrize(
    "login, duty, starts, ends, field",
    [
        ("nobody", "duty_supervisor", "2026-11-27T20:00", "2026-11-28T08:00", "login"),
        ("ann", "duty_supervisor", "2026-11-27T20:00", "2026-11-28T08:00", "duty"),  # an assistant
        ("lead", "duty_manager", "2026-11-27T20:00", "2026-11-28T08:00", "duty"),
        ("sup", "night_boss", "2026-11-27T20:00", "2026-11-28T08:00", "duty"),
        ("sup", "duty_supervisor", "2026-11-28T08:00", "2026-11-27T20:00", "ends_at"),  # backwards
        ("sup", "duty_supervisor", "2026-11-27T20:00", "2027-01-28T08:00", "ends_at"),  # too long
        ("sup", "duty_supervisor", "2026-11-26T20:00", "2026-11-27T08:00", "ends_at"),  # already over
        ("sup", "duty_supervisor", "tonight", "2026-11-28T08:00", "starts_at"),
        ("sup", "duty_supervisor", "2026-11-27T20:00", "1999-11-28T08:00", "ends_at"),
        ("sup", "duty_supervisor", "2026-11-27T20:00\x1b[2J", "2026-11-28T08:00", "starts_at"),
    ],
)
def test_a_bad_shift_is_refused_naming_the_field_and_nothing_is_written(
    supervisor, staff, clock, login, duty, starts, ends, field
):
    with pytest.raises(ValidationError) as refused:
        supervisor.roster.add(login, duty, starts, ends)
    assert refused.value.field == field
    with supervisor.kernel.read() as s:
        assert s.exec(select(DutyShift)).all() == []


def test_the_same_shift_twice_is_refused(supervisor, staff, clock):
    supervisor.roster.add("mgr", "duty_manager", "2026-11-27T20:00", "2026-11-28T08:00")
    with pytest.raises(ValidationError, match="already"):
        supervisor.roster.add("mgr", "duty_manager", "2026-11-28T06:00", "2026-11-28T18:00")
    supervisor.roster.add("mgr", "duty_manager", "2026-11-28T08:00", "2026-11-28T20:00")  # the next one


def test_only_supervisors_and_the_manager_change_the_roster(staff, clock):
    for role in ("assistant", "security_lead", "guard", "technician"):
        with pytest.raises(PermissionDenied):
            staff[role].roster.add("mgr", "duty_manager", "2026-11-27T20:00", "2026-11-28T08:00")
    staff["manager"].roster.add("mgr", "duty_manager", "2026-11-27T20:00", "2026-11-28T08:00")
    assert [s.login for s in staff["assistant"].roster.shifts()] == ["mgr"]  # everyone may look

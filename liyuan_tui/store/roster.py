"""The duty roster (值班表): who is the duty supervisor, the duty manager and the security duty lead
for each shift, each with a backup. Shifts are typed in the site's local time and may cross
midnight; a removed shift stays on record. `on_duty()` answers "whom does a page for this duty
reach now", which the outbox (outbox.py) and the sender ask inside their own transactions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import true
from sqlmodel import Session, col, select

from liyuan_tui.domain import validation as check
from liyuan_tui.domain.errors import NotFound, ValidationError
from liyuan_tui.domain.events import EventKind
from liyuan_tui.domain.models import Staff
from liyuan_tui.domain.pager import DUTIES, ELIGIBLE, SHIFT_LONGEST, WITHOUT_ROSTER
from liyuan_tui.domain.paging import DutyShift
from liyuan_tui.domain.permissions import Action

from .kernel import Kernel


@dataclass(frozen=True)
class OnDuty:
    """Someone a page for `duty` reaches now: on the roster (`shift`), or, with nobody on it, as
    one of every active supervisor (`shift` None)."""

    duty: str
    login: str
    name: str
    backup: bool
    shift: DutyShift | None


class Roster:
    """add, remove, shifts, now."""

    def __init__(self, kernel: Kernel) -> None:
        self.k = kernel

    def add(
        self, login: str, duty: str, starts: str | datetime, ends: str | datetime, *, backup: bool = False
    ) -> DutyShift:
        """Put `login` on duty (or as the backup) from `starts` to `ends` (local time when typed)."""
        login = check.login(login)
        duty = check.choice(duty, "duty", DUTIES)
        starts_at = self._time(starts, "starts_at")
        ends_at = self._time(ends, "ends_at")
        if ends_at <= starts_at:
            raise ValidationError("error.roster_backwards", "ends_at")
        if ends_at - starts_at > SHIFT_LONGEST:
            raise ValidationError("error.roster_too_long", "ends_at", days=SHIFT_LONGEST.days)
        if ends_at <= self.k.clock.now():
            raise ValidationError("error.roster_past", "ends_at")
        with self.k.write(Action.ROSTER) as tx:
            person = tx.s.exec(select(Staff).where(Staff.login == login)).first()
            if person is None or not person.active:
                raise ValidationError("error.login_unknown", "login", value=login)
            if person.role not in ELIGIBLE[duty]:
                raise ValidationError("error.roster_role", "duty", login=login, role=person.role, duty=duty)
            clash = tx.s.exec(
                select(DutyShift).where(
                    DutyShift.login == login,
                    DutyShift.duty == duty,
                    DutyShift.backup == backup,
                    col(DutyShift.removed_at).is_(None),
                    col(DutyShift.starts_at) < ends_at,
                    col(DutyShift.ends_at) > starts_at,
                )
            ).first()
            if clash is not None:
                raise ValidationError("error.roster_clash", "starts_at", login=login, id=clash.id)
            shift = DutyShift(
                estate=tx.me.estate,
                duty=duty,
                login=login,
                backup=backup,
                starts_at=starts_at,
                ends_at=ends_at,
                added_by=tx.me.login,
                added_at=tx.now,
            )
            tx.add(shift)
            tx.s.flush()
            tx.record(
                None,
                EventKind.ROSTER_ADDED,
                {
                    "id": shift.id,
                    "login": login,
                    "duty": duty,
                    "backup": backup,
                    "from": starts_at,
                    "to": ends_at,
                },
            )
            return shift

    def remove(self, shift_id: int | str) -> DutyShift:
        """Take a shift off the roster (it stays on record, marked removed)."""
        number = _shift_id(shift_id)
        with self.k.write(Action.ROSTER) as tx:
            shift = tx.locked(select(DutyShift).where(DutyShift.id == number))
            if shift is None or shift.removed_at is not None:
                raise NotFound("error.roster_unknown", "id", value=number)
            shift.removed_at, shift.removed_by = tx.now, tx.me.login
            tx.add(shift)
            tx.record(
                None, EventKind.ROSTER_REMOVED, {"id": shift.id, "login": shift.login, "duty": shift.duty}
            )
            return shift

    def shifts(self, *, past: bool = False) -> list[DutyShift]:
        """The shifts still to come or under way (with `past`, every one ever, removed ones too),
        earliest first."""
        now = self.k.clock.now()
        stmt = select(DutyShift)
        if not past:
            stmt = stmt.where(col(DutyShift.removed_at).is_(None), col(DutyShift.ends_at) > now)
        with self.k.read() as s:
            return list(
                s.exec(stmt.order_by(col(DutyShift.starts_at), col(DutyShift.duty), col(DutyShift.id)))
            )

    def now(self, at: datetime | None = None, estate: str | None = None) -> list[OnDuty]:
        """Who each duty's page reaches at `at` (now): the people on duty, their backups, and for
        a duty nobody is on, every active supervisor (and the manager, for the duty manager)."""
        at = at or self.k.clock.now()
        estate = estate or self.k.identity().estate
        with self.k.read() as s:
            out: list[OnDuty] = []
            for duty in DUTIES:
                out += on_duty(s, duty, at, estate)
                out += on_duty(s, duty, at, estate, backup=True)
            return out

    def _time(self, value: str | datetime, field: str) -> datetime:
        if isinstance(value, datetime):
            if value.tzinfo is None:
                raise ValidationError("error.time_malformed", field, value=value)
            return check.in_range(value, field)
        return check.parse_time(value, self.k.tz, field)


def _shift_id(value: int | str) -> int:
    text = str(value).strip()
    if not check.ascii_digits(text) or len(text) > 12:
        raise ValidationError("error.roster_unknown", "id", value=check.plain_shown(text))
    return int(text)


def on_duty(s: Session, duty: str, at: datetime, estate: str | None, *, backup: bool = False) -> list[OnDuty]:
    """The active staff a page for `duty` reaches at `at`: those the roster names, or — for the
    people on duty, when it names nobody — everyone the duty falls back on."""
    stmt = (
        select(DutyShift, Staff)
        .join(Staff, col(Staff.login) == DutyShift.login)
        .where(
            DutyShift.duty == duty,
            DutyShift.backup == backup,
            col(DutyShift.removed_at).is_(None),
            col(DutyShift.starts_at) <= at,
            col(DutyShift.ends_at) > at,
            col(Staff.active) == true(),
        )
        .order_by(col(DutyShift.starts_at), col(DutyShift.id))
    )
    if estate is not None:
        stmt = stmt.where(DutyShift.estate == estate)
    found: dict[str, OnDuty] = {}
    for shift, person in s.exec(stmt):
        found.setdefault(person.login, OnDuty(duty, person.login, person.name, backup, shift))
    if found or backup:
        return list(found.values())
    everyone = s.exec(
        select(Staff)
        .where(col(Staff.role).in_(WITHOUT_ROSTER[duty]), col(Staff.active) == true())
        .order_by(col(Staff.login))
    )
    return [OnDuty(duty, p.login, p.name, False, None) for p in everyone]

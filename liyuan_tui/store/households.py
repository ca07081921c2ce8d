"""The household file (一户一档): a unit's people (the archive's Resident rows of that unit), its
emergency contact, the flags the desk must see at once, notes, and its history — every request,
charge, follow-up call (and work order) of the unit.

Each reader gets only the parts their role may see (permissions.household_parts): the rows they
may not see never leave the store. Each edit is one transaction with one `household_changed`
event, a compare-and-set on the household's version (people changed with it bump it too).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import MetaData, Table, inspect, update
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session, col, select

from liyuan_tui.domain import record_checks
from liyuan_tui.domain import validation as check
from liyuan_tui.domain.errors import StaleError, ValidationError
from liyuan_tui.domain.events import EventKind
from liyuan_tui.domain.models import Charge, Request, Resident, Staff
from liyuan_tui.domain.permissions import Action, household_parts
from liyuan_tui.domain.records import FollowUp, Household

from .kernel import Kernel
from .readable import read_rows
from .schema import desk_tables
from .tables import ident

HOUSEHOLD_FIELDS = (
    "emergency_name",
    "emergency_phone",
    "emergency_relation",
    "elderly_alone",
    "disability",
    "language",
    "notes",
)
MAX_LANGUAGE = 20


@dataclass
class HistoryItem:
    """One thing that happened at the unit: a request, a charge on one, a follow-up call (a work
    order once there are work orders), with the request it belongs to."""

    kind: str  # request | charge | followup | work_order
    at: datetime
    request: Request
    row: Any = None  # the Charge or FollowUp (None for the request itself)
    number: str | None = None  # a work order's number


@dataclass
class HouseholdFile:
    unit: str
    household: Household | None  # None: nothing recorded yet beyond the archive
    people: list[Resident]
    history: list[HistoryItem]
    parts: frozenset[str]  # what the reader may see (the rest is left out)
    viewer: Staff

    @property
    def flags(self) -> list[str]:
        return self.household.flags if self.household is not None else []

    @property
    def version(self) -> int | None:
        return self.household.version if self.household is not None else None


@dataclass
class HouseholdGlance:
    """What intake shows as soon as the unit is known: the flags and the unit's last requests."""

    unit: str
    household: Household | None
    people: int
    last: list[Request] = field(default_factory=list)
    earlier: Request | None = None  # the request the one being logged repeats (二次维修)

    @property
    def flags(self) -> list[str]:
        return self.household.flags if self.household is not None else []


class Households:
    """household, glance, edit."""

    def __init__(self, kernel: Kernel) -> None:
        self.k = kernel

    def household(self, unit: str) -> HouseholdFile:
        unit = _unit(unit)
        me = self.k.identity()
        parts = household_parts(me.role)
        with self.k.read() as s:
            house = next(iter(read_rows(s, Household, me.role, Household.unit == unit)), None)
            people = read_rows(s, Resident, me.role, Resident.unit == unit, order_by=col(Resident.id))
            history = _history(s, unit) if "history" in parts else []
        return HouseholdFile(unit, _masked(house, parts), _people(people, parts), history, parts, me)

    def glance(
        self, unit: str, *, exclude_ref: str | None = None, repeat_of: str | None = None, limit: int = 3
    ) -> HouseholdGlance:
        """The flags and the last few requests of a unit (intake, as the unit is typed), and the
        earlier request the one being logged repeats."""
        unit = _unit(unit)
        role = self.k.identity().role
        with self.k.read() as s:
            house = next(iter(read_rows(s, Household, role, Household.unit == unit)), None)
            people = len(s.exec(select(Resident.id).where(Resident.unit == unit)).all())
            last = list(
                s.exec(
                    select(Request)
                    .where(Request.unit == unit, Request.ref != (exclude_ref or ""))
                    .order_by(col(Request.received_at).desc())
                    .limit(limit)
                )
            )
            earlier = s.exec(select(Request).where(Request.ref == repeat_of)).first() if repeat_of else None
        return HouseholdGlance(
            unit, _masked(house, household_parts(self.k.identity().role)), people, last, earlier
        )

    def edit(
        self,
        unit: str,
        *,
        expected_version: int | None = None,
        person: str | None = None,
        relation: str | None = None,
        phones: str | None = None,
        remove_person: str | None = None,
        **fields: Any,
    ) -> HouseholdFile:
        """Change the household's fields and/or one person (added or changed by name, or removed)."""
        unit = _unit(unit)
        clean = _clean_fields(fields)
        who = _clean_person(person, relation, phones, remove_person)
        if not clean and not who:
            raise ValidationError("error.household_nothing")
        with self.k.write(Action.EDIT_HOUSEHOLD) as tx:
            s = tx.s
            house = s.exec(select(Household).where(Household.unit == unit)).first()
            if house is not None and expected_version is not None and house.version != expected_version:
                raise StaleError(
                    "error.household_stale", unit=unit, by=house.updated_by, at=self.k.hhmm(house.updated_at)
                )
            changes = {k: v for k, v in clean.items() if house is None or getattr(house, k) != v}
            people = _change_person(s, tx, unit, who) if who else {}
            if changes or people:
                self._write(tx, unit, house, clean, changes)
                payload: dict[str, Any] = {"unit": unit}
                payload.update({k: [getattr(house, k) if house else None, v] for k, v in changes.items()})
                payload.update(people)
                tx.record(None, EventKind.HOUSEHOLD_CHANGED, payload)
        return self.household(unit)

    @staticmethod
    def _write(
        tx: Any, unit: str, house: Household | None, clean: dict[str, Any], changes: dict[str, Any]
    ) -> None:
        """A new household row, or the changes with a compare-and-set on its version."""
        stamp = {"updated_at": tx.now, "updated_by": tx.me.login}
        if house is None:
            tx.add(Household(unit=unit, **clean, **stamp))
            return
        result = tx.s.execute(
            update(Household)
            .where(col(Household.id) == house.id, col(Household.version) == house.version)
            .values(**changes, **stamp, version=house.version + 1)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:
            raise StaleError("error.household_stale", unit=unit, by="?", at="?")
        tx.changed = True


def _unit(value: str) -> str:
    """The unit a household file is kept under (the field is named for the command line's UNIT)."""
    return check.as_field(
        "household_unit", lambda: check.plain(check.unit(value), "unit", max_len=check.MAX_UNIT)
    )


def _clean_fields(fields: dict[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - set(HOUSEHOLD_FIELDS)
    if unknown:
        raise ValueError(f"not household fields: {', '.join(sorted(unknown))}")
    clean: dict[str, Any] = {}
    for name, value in fields.items():
        if value is None:
            continue
        if name in ("elderly_alone", "disability"):
            clean[name] = record_checks.yes_no(value, name)
        elif name == "emergency_phone":
            clean[name] = check.as_field(name, check.phone, check.plain(value, name), required=False)
        elif name == "emergency_name":
            clean[name] = check.plain(check.as_field(name, check.name, value), name)
        elif name == "notes":
            clean[name] = check.plain(value, name, max_len=check.MAX_TEXT, newlines=True)
        else:  # emergency_relation, language
            clean[name] = check.plain(value, name, max_len=MAX_LANGUAGE)
    return clean


def _clean_person(
    person: str | None, relation: str | None, phones: str | None, remove: str | None
) -> dict[str, Any]:
    if remove is not None:
        if person is not None or relation is not None or phones is not None:
            raise ValidationError("error.person_both", "remove_person")
        name = check.plain(check.as_field("remove_person", check.name, remove), "remove_person")
        if not name:
            raise ValidationError("error.unit_empty", "remove_person")
        return {"remove": name}
    if person is None:
        if relation is not None or phones is not None:
            raise ValidationError("error.person_missing", "person")
        return {}
    name = check.plain(check.as_field("person", check.name, person), "person")
    if not name:
        raise ValidationError("error.unit_empty", "person")
    out: dict[str, Any] = {"name": name}
    if relation is not None:
        out["relation"] = check.plain(relation, "relation", max_len=MAX_LANGUAGE)
    if phones is not None:
        listed = [
            check.as_field("phones", check.phone, check.plain(p, "phones"))
            for p in phones.replace("、", ",").split(",")
            if p.strip()
        ]
        out["phones"] = ",".join(dict.fromkeys(listed))
    return out


def _change_person(s: Session, tx: Any, unit: str, who: dict[str, Any]) -> dict[str, Any]:
    """Add, change or remove one person of the unit; what changed, for the event."""
    name = who.get("remove") or who["name"]
    row = s.exec(select(Resident).where(Resident.unit == unit, Resident.name == name)).first()
    if "remove" in who:
        if row is None:
            raise ValidationError("error.person_unknown", "remove_person", value=name, unit=unit)
        s.delete(row)
        tx.changed = True
        return {"person_removed": name}
    if row is None:
        row = Resident(unit=unit, name=name, relation=who.get("relation", ""), phones=who.get("phones", ""))
        tx.add(row)
        return {"person_added": dict(who)}
    changed = {k: [getattr(row, k), v] for k, v in who.items() if k != "name" and getattr(row, k) != v}
    if not changed:
        return {}
    for k, (_old, new) in changed.items():
        setattr(row, k, new)
    tx.add(row)
    return {"person": name, **{f"person_{k}": v for k, v in changed.items()}}


def _masked(house: Household | None, parts: frozenset[str]) -> Household | None:
    """The household row with what the reader may not see blanked (a detached copy)."""
    if house is None:
        return None
    copy = Household.model_validate(house.model_dump())
    if "emergency_contact" not in parts:
        copy.emergency_name = copy.emergency_phone = copy.emergency_relation = ""
    if "notes" not in parts:
        copy.notes = ""
    return copy


def _people(rows: list[Resident], parts: frozenset[str]) -> list[Resident]:
    if "people" not in parts:
        return []
    if "phones" in parts:
        return rows
    return [Resident(id=r.id, unit=r.unit, name=r.name, relation=r.relation) for r in rows]


def _history(s: Session, unit: str) -> list[HistoryItem]:
    """Every request of the unit, its charges and follow-up calls (and work orders), newest first."""
    reqs = {ident(r): r for r in s.exec(select(Request).where(Request.unit == unit))}
    items = [HistoryItem("request", r.received_at, r) for r in reqs.values()]
    if reqs:
        ids = list(reqs)
        for c in s.exec(select(Charge).where(col(Charge.request_id).in_(ids))):
            items.append(HistoryItem("charge", c.at, reqs[c.request_id], c))
        for f in s.exec(select(FollowUp).where(col(FollowUp.request_id).in_(ids))):
            items.append(HistoryItem("followup", f.at, reqs[f.request_id], f))
        items += work_order_history(s, reqs)
    items.sort(key=lambda x: (x.at, x.kind), reverse=True)
    return items


def work_order_table(s: OrmSession) -> Table | None:
    """The work orders (issue 13's `workorder` table) when this database has them: the release's own
    table once it is part of it, else the table as the database holds it; None before that."""
    table = desk_tables().tables.get("workorder")
    if table is not None:
        return table
    bind = s.get_bind()
    if not inspect(bind).has_table("workorder"):
        return None
    return Table("workorder", MetaData(), autoload_with=bind)


def work_order_history(s: Session, requests: dict[int, Request]) -> list[HistoryItem]:
    """The unit's work orders as history items (kind "work_order", with their number), dated when
    finished (else when made); none before this database has work orders."""
    wo = work_order_table(s)
    if wo is None:
        return []
    rows = s.execute(wo.select().where(wo.c.request_id.in_(list(requests))))
    return [
        HistoryItem("work_order", _aware(r.finished_at or r.created_at), requests[r.request_id], r, r.number)
        for r in rows
    ]


def _aware(when: datetime) -> datetime:
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)

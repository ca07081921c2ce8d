"""The staff list: who may use the desk, in which role (supervisors and the manager change it),
and who the acting user is."""

from __future__ import annotations

from typing import Any

from sqlmodel import select

from liyuan_tui.domain import validation as check
from liyuan_tui.domain.errors import ValidationError
from liyuan_tui.domain.events import EventKind
from liyuan_tui.domain.models import DEFAULT_ESTATE, Staff
from liyuan_tui.domain.permissions import Action

from . import faults
from .estates import known_estate
from .kernel import Kernel


class StaffList:
    """ensure_identity, me, add_staff, update_staff, list_staff."""

    def __init__(self, kernel: Kernel) -> None:
        self.k = kernel

    def ensure_identity(self) -> tuple[Staff, bool]:
        """The acting user's staff record, and whether this store just made them the first
        supervisor of a new database. An unknown or deactivated login is refused."""
        return self.k.identity(), self.k.first_user

    def me(self) -> Staff:
        with self.k.read() as s:
            return self.k.actor(s)

    def add_staff(
        self, login: str, name: str, role: str, phone: str = "", estate: str = DEFAULT_ESTATE
    ) -> Staff:
        login, role = check.login(login), check.role(role)
        name = check.name(name) or login
        phone = check.phone(phone, required=False)
        estate = check.estate(estate)
        with self.k.write(Action.MANAGE_STAFF) as tx:
            if tx.s.exec(select(Staff).where(Staff.login == login)).first() is not None:
                raise ValidationError("error.login_exists", "login", value=login)
            staff = Staff(login=login, name=name, role=role, phone=phone, estate=known_estate(tx, estate))
            tx.add(staff)
            with faults.unique_or(ValidationError("error.login_exists", "login", value=login)):
                tx.s.flush()
            tx.sync_login(login)
            payload = {"login": login, "name": name, "role": role}
            if estate != DEFAULT_ESTATE:
                payload["estate"] = estate
            tx.record(None, EventKind.STAFF_ADDED, payload)
            return staff

    def update_staff(
        self,
        login: str,
        *,
        role: str | None = None,
        name: str | None = None,
        active: bool | None = None,
        estate: str | None = None,
    ) -> Staff:
        login = check.login(login)
        role = check.role(role) if role is not None else None
        name = check.name(name) if name is not None else None
        with self.k.write(Action.MANAGE_STAFF) as tx:
            staff = tx.s.exec(select(Staff).where(Staff.login == login)).first()
            if staff is None:
                raise ValidationError("error.login_unknown", "login", value=login)
            changes: dict[str, Any] = {}
            estate = known_estate(tx, estate) if estate is not None else None
            for field, value in (("role", role), ("name", name), ("active", active), ("estate", estate)):
                if value is not None and value != getattr(staff, field):
                    changes[field] = [getattr(staff, field), value]
                    setattr(staff, field, value)
            if changes:
                tx.add(staff)
                tx.sync_login(login)
                tx.record(None, EventKind.STAFF_CHANGED, {"login": login, **changes})
            return staff

    def list_staff(self) -> list[Staff]:
        with self.k.read() as s:
            return list(s.exec(select(Staff).order_by(Staff.login)))

"""Store mixin: the staff list — who may use the desk, in which role (supervisors and the manager)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from . import validation as check
from .errors import ValidationError
from .models import Staff
from .permissions import Action


class StaffActions:
    """add_staff, update_staff, list_staff (uses the Store's _write, _require, _read, _event)."""

    def add_staff(self, login: str, name: str, role: str, phone: str = "") -> Staff:
        login, role = check.login(login), check.role(role)
        name = check.name(name) or login
        phone = check.phone(phone, required=False)
        with self._write() as s:
            self._require(s, Action.MANAGE_STAFF)
            if s.exec(select(Staff).where(Staff.login == login)).first() is not None:
                raise ValidationError("error.login_exists", "login", value=login)
            staff = Staff(login=login, name=name, role=role, phone=phone)
            s.add(staff)
            try:
                s.flush()
            except IntegrityError:
                raise ValidationError("error.login_exists", "login", value=login) from None
            self._event(s, None, "staff_added", {"login": login, "name": name, "role": role})
            return staff

    def update_staff(self, login: str, *, role: str | None = None, name: str | None = None,
                     active: bool | None = None) -> Staff:
        login = check.login(login)
        with self._write() as s:
            self._require(s, Action.MANAGE_STAFF)
            staff = s.exec(select(Staff).where(Staff.login == login)).first()
            if staff is None:
                raise ValidationError("error.login_unknown", "login", value=login)
            changes: dict[str, Any] = {}
            if role is not None and check.role(role) != staff.role:
                changes["role"] = [staff.role, role]
                staff.role = role
            if name is not None and check.name(name) != staff.name:
                changes["name"] = [staff.name, name]
                staff.name = check.name(name)
            if active is not None and active != staff.active:
                changes["active"] = [staff.active, active]
                staff.active = active
            if changes:
                s.add(staff)
                self._event(s, None, "staff_changed", {"login": login, **changes})
            return staff

    def list_staff(self) -> list[Staff]:
        with self._read() as s:
            return list(s.exec(select(Staff).order_by(Staff.login)))

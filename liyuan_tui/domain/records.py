"""The back office's records of care (Part 3 of the company text): follow-up calls (回访), the
household file (一户一档) and the staff's training and assessments (培训、考核). SQLModel tables, like
models.py; a household's people are the archive's `Resident` rows of its unit."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from .models import UTCDateTime, _time

# The flags the desk must see at once, as `residents show --json` names them.
FLAGS = ("elderly_alone", "disability", "language")


class FollowUp(SQLModel, table=True):
    """One follow-up call after a request closed: reached or not, how satisfied (1–5), whether the
    problem is really solved (None: not asked), and a note."""

    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="request.id", index=True)
    at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False, index=True))
    by: str
    reached: bool
    score: int | None = None
    solved: bool | None = None
    note: str = Field(default="", sa_type=Text)
    due_at: datetime | None = _time()  # when the call was due (what "on time" is measured against)


class Household(SQLModel, table=True):
    """What the desk keeps of a unit besides its people: an emergency contact, the flags it must
    see at once, and notes. Changed with a compare-and-set on `version` like a request."""

    id: int | None = Field(default=None, primary_key=True)
    unit: str = Field(index=True, unique=True)
    emergency_name: str = ""
    emergency_phone: str = ""
    emergency_relation: str = ""
    elderly_alone: bool = False  # an elderly person living alone (独居老人)
    disability: bool = False  # someone with a disability (残障)
    language: str = ""  # a language the desk should speak (粤语, English …); "" none
    notes: str = Field(default="", sa_type=Text)
    updated_at: datetime | None = _time()
    updated_by: str = ""
    version: int = 1

    @property
    def flags(self) -> list[str]:
        """The flags that are set, in FLAGS order."""
        on = (self.elderly_alone, self.disability, bool(self.language))
        return [f for f, set_ in zip(FLAGS, on, strict=True) if set_]


class Training(SQLModel, table=True):
    """A course a staff member took (培训): when, how long, with what result."""

    id: int | None = Field(default=None, primary_key=True)
    login: str = Field(index=True)
    course: str
    day: date  # the day of the course (local)
    hours: float | None = None
    result: str = ""
    recorded_by: str
    at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    # ethics | image | skills (desk_records.TRAINING_KINDS); one course given to several people is
    # one row each, sharing `session` (the first row's id).
    kind: str = Field(default="skills", sa_column_kwargs={"server_default": "skills"})
    session: int | None = None


class Assessment(SQLModel, table=True):
    """A staff member's assessment for one month (考核), 0–100, with the assessor's note."""

    __table_args__ = (UniqueConstraint("login", "month"),)

    id: int | None = Field(default=None, primary_key=True)
    login: str = Field(index=True)
    month: str  # YYYY-MM
    score: int
    note: str = Field(default="", sa_type=Text)
    by: str
    at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))

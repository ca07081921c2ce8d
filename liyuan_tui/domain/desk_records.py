"""The desk's own records beside the requests (issue 22, the company text made whole): receipts
for paid services (收费单), the duty log (值班日志) and the signed handover, the reception log
(客户接待), and commendations and recommendations for staff (激励、人事推荐). SQLModel tables on
the same metadata as models.py; times are UTC like every table's."""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from .models import DEFAULT_ESTATE, UTCDateTime, _time
from .vocabulary import PAY_METHODS as PAY_METHODS  # (vocabulary.py's, for the command line)

# What a staff member's record may carry (激励): a commendation, a reward, a penalty.
COMMENDATION_KINDS = ("commendation", "reward", "penalty")
# What a staff member may be recommended for (人事推荐).
RECOMMENDATION_FOR = ("promotion", "transfer", "reward")
# The kinds of training (8: 职业道德和形象教育 beside skills); old records are skills.
TRAINING_KINDS = ("ethics", "image", "skills")
DEFAULT_TRAINING_KIND = "skills"

RECEIPT_NUMBER = re.compile(r"^S\d{6}-\d{4,}$")


def receipt_number(month: str, seq: int) -> str:
    """`S202612-0001`: the month (local) the charge was made in, and its number in that month."""
    return f"S{month}-{seq:04d}"


class Receipt(SQLModel, table=True):
    """收费单: the numbered receipt of one charge, unpaid until someone takes the money (and
    records how). `ref_month`/`ref_seq` number it per month like a request."""

    __table_args__ = (UniqueConstraint("ref_month", "ref_seq"),)

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(index=True, unique=True)
    ref_month: str  # YYYYMM, local time of the charge
    ref_seq: int
    charge_id: int = Field(foreign_key="charge.id", unique=True)
    request_id: int = Field(foreign_key="request.id", index=True)
    amount_cents: int
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False, index=True))
    created_by: str
    paid_at: datetime | None = _time(index=True)
    paid_by: str | None = None  # who took the money
    method: str = ""  # one of PAY_METHODS once paid
    version: int = 1

    @property
    def paid(self) -> bool:
        return self.paid_at is not None


class DutyNote(SQLModel, table=True):
    """One line of the duty log (值班日志): a patrol, a piece of equipment, a visitor — anything
    on the shift that is not a request — with who wrote it and when."""

    __tablename__ = "duty_note"

    id: int | None = Field(default=None, primary_key=True)
    estate: str = Field(default=DEFAULT_ESTATE, sa_column_kwargs={"server_default": DEFAULT_ESTATE})
    at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False, index=True))
    by: str
    text: str = Field(default="", sa_type=Text)


class Handover(SQLModel, table=True):
    """A signed shift handover: who handed the shift to whom, when, with the sheet as it stood
    (JSON), and when the receiver accepted it. The next sheet starts from the signing."""

    id: int | None = Field(default=None, primary_key=True)
    estate: str = Field(default=DEFAULT_ESTATE, sa_column_kwargs={"server_default": DEFAULT_ESTATE})
    since: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))  # the sheet's start
    signed_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False, index=True))
    signed_by: str
    to_login: str = Field(index=True)
    note: str = Field(default="", sa_type=Text)
    sheet: str = Field(default="{}", sa_type=Text)  # the handover sheet's JSON at the signing
    accepted_at: datetime | None = _time()
    version: int = 1

    @property
    def accepted(self) -> bool:
        return self.accepted_at is not None


class Reception(SQLModel, table=True):
    """A visitor received at the desk (客户接待): who came, about what, which unit, who received
    them, the outcome, and the request it became if any."""

    id: int | None = Field(default=None, primary_key=True)
    estate: str = Field(default=DEFAULT_ESTATE, sa_column_kwargs={"server_default": DEFAULT_ESTATE})
    at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False, index=True))
    name: str
    purpose: str = Field(default="", sa_type=Text)
    unit: str = ""
    received_by: str
    outcome: str = Field(default="", sa_type=Text)
    ref: str | None = None  # the request it became


class Commendation(SQLModel, table=True):
    """A commendation, reward or penalty on a staff member's record (激励)."""

    id: int | None = Field(default=None, primary_key=True)
    login: str = Field(index=True)
    kind: str  # one of COMMENDATION_KINDS
    note: str = Field(default="", sa_type=Text)
    by: str
    at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False, index=True))


class Recommendation(SQLModel, table=True):
    """A recommendation of a staff member for promotion, transfer or a reward (人事推荐)."""

    id: int | None = Field(default=None, primary_key=True)
    login: str = Field(index=True)
    for_what: str  # one of RECOMMENDATION_FOR (`for` in JSON)
    note: str = Field(default="", sa_type=Text)
    by: str
    at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False, index=True))

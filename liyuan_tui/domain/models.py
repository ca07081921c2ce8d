"""The tables of the duty desk (SQLModel). Times are stored as UTC and come back timezone-aware."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

# (the column type is column_types.py's, which the command line's reads use without the ORM)
from .column_types import UTCDateTime as UTCDateTime
from .request_facts import RequestFacts

# (the desk's fixed words are vocabulary.py's: found here too, with the tables they describe)
from .vocabulary import CHANNELS as CHANNELS
from .vocabulary import DEFAULT_ESTATE as DEFAULT_ESTATE
from .vocabulary import OPEN_STATUSES as OPEN_STATUSES
from .vocabulary import ROLES as ROLES

UTC = UTC

STATUSES = ("open", "replied", "resolved", "closed", "cancelled")


def _time(*, index: bool = False, nullable: bool = True) -> Any:
    return Field(default=None, sa_column=Column(UTCDateTime(), index=index, nullable=nullable))


class Request(RequestFacts, SQLModel, table=True):
    """A resident's request for help, from the first ring to the closing outcome."""

    __table_args__ = (
        UniqueConstraint("ref_month", "ref_seq"),
        Index("ix_request_status_due", "status", "reply_due_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    estate: str = Field(
        default=DEFAULT_ESTATE, index=True, sa_column_kwargs={"server_default": DEFAULT_ESTATE}
    )
    ref: str = Field(index=True, unique=True)
    ref_month: str  # YYYYMM, local time of receipt
    ref_seq: int
    category: str = Field(default="", index=True)  # "" while intake has not chosen one yet
    channel: str = "phone"
    requester_name: str = ""
    unit: str = Field(default="", index=True)
    phone: str = ""
    description: str = Field(default="", sa_type=Text)
    received_at: datetime = Field(sa_column=Column(UTCDateTime(), index=True, nullable=False))
    reply_due_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    replied_at: datetime | None = _time()
    replied_by: str | None = None
    escalated_at: datetime | None = _time()
    escalated_to: str | None = None  # a login, or "cs_supervisor" for every supervisor
    escalated_by: str | None = None
    major: bool = False
    major_at: datetime | None = _time()
    acknowledged_at: datetime | None = _time()  # the escalation answered by a supervisor
    acknowledged_by: str | None = None
    major_ack_at: datetime | None = _time()  # the manager has taken note of the major case
    major_ack_by: str | None = None
    confidential: bool = False
    status: str = Field(default="open", index=True)
    assignee: str | None = Field(default=None, index=True)
    created_by: str = ""
    branches: str = ""  # chosen procedure branches, comma-separated keys, in the order chosen
    outcome: str = Field(default="", sa_type=Text)
    outcome_kind: str = ""  # resolved | handed_on | withdrawn | other
    handed_to: str = ""  # department the request was handed on to
    closed_at: datetime | None = _time()
    closed_by: str | None = None
    updated_at: datetime | None = _time()
    version: int = 1
    # The kind of fault (a key of the category's fault_kinds, "" if none), and the earlier request
    # this one repeats (二次维修: same unit, same kind of fault, soon after that one closed).
    fault_kind: str = Field(default="", sa_column_kwargs={"server_default": ""})
    repeat_of: str | None = None
    # When the follow-up call (回访) is due: set as the request closes, cleared once the resident
    # has been reached (or the request reopens). Closed requests with it set are the calls owed.
    followup_due_at: datetime | None = _time(index=True)
    # The version of the site's published procedures in force when the request was logged (None:
    # logged before the site published any, or on a database that follows the shipped files).
    procedures_version: int | None = None
    # What the caller was told (4.1.2A, 4.3), and the site's canned answer (话术) it came from.
    reply_text: str = Field(default="", sa_type=Text, sa_column_kwargs={"server_default": ""})
    reply_answer: str = Field(default="", sa_column_kwargs={"server_default": ""})
    # The first call of the incident this one is part of (a typhoon's thirty calls about one
    # flood); None for a call on its own or the incident's first.
    incident: str | None = Field(default=None, index=True)

    @property
    def is_blank(self) -> bool:
        """Nothing was ever filled in: `n` pressed and the form left."""
        return not (self.category or self.unit or self.phone or self.requester_name or self.description)


class StepRecord(SQLModel, table=True):
    """One ticked checklist step of a request: who, when, and the note or value it asked for."""

    __table_args__ = (UniqueConstraint("request_id", "step_key"),)

    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="request.id", index=True)
    step_key: str
    done_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    done_by: str
    note: str = Field(default="", sa_type=Text)
    value: str = ""


class Event(SQLModel, table=True):
    """Append-only audit log. Its growing id is also how other terminals notice changes."""

    id: int | None = Field(default=None, primary_key=True)
    request_id: int | None = Field(default=None, foreign_key="request.id", index=True)
    at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False, index=True))
    actor: str
    kind: str = Field(index=True)
    payload: str = Field(default="{}", sa_type=Text)  # JSON
    # Set for events that must be recorded once however many sessions notice them
    # (automatic escalation, repeated overdue alerts): a second insert with the same key is a no-op.
    dedupe_key: str | None = Field(default=None, unique=True)
    # The login that really wrote the event: on PostgreSQL the server's `session_user` (set by the
    # server, whatever the client sent); on SQLite the process's real login. `show` names it
    # wherever it differs from the actor (acting for another login, the ladder's system events).
    db_user: str | None = None


class Staff(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    login: str = Field(index=True, unique=True)
    name: str
    role: str
    phone: str = ""
    active: bool = True
    estate: str = Field(default=DEFAULT_ESTATE, sa_column_kwargs={"server_default": DEFAULT_ESTATE})


class Estate(SQLModel, table=True):
    """An estate (小区) a company runs from one database; a one-estate site has only the default."""

    code: str = Field(primary_key=True)
    name: str = ""


class Resident(SQLModel, table=True):
    """The customer archive (客户档案): one person of a household (一户一档), by unit. Intake looks
    callers up here by unit or phone; the household file (records.Household) lists a unit's rows
    as its people, so the archive, its import and the household file are one set of rows."""

    id: int | None = Field(default=None, primary_key=True)
    unit: str = Field(index=True)
    name: str = ""
    phones: str = Field(default="", index=True)  # comma-separated
    notes: str = Field(default="", sa_type=Text)
    relation: str = Field(default="", sa_column_kwargs={"server_default": ""})  # 户主, 配偶, 子女, 租户 …


class FeeItem(SQLModel, table=True):
    """A paid-service item as charged; the schedule itself lives in fees.toml."""

    code: str = Field(primary_key=True)
    name_zh: str
    name_en: str
    unit_zh: str
    unit_en: str
    price_cents: int
    active: bool = True


class Charge(SQLModel, table=True):
    """A paid service on a request, priced when it was added (the schedule may change later)."""

    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="request.id", index=True)
    item_code: str = Field(foreign_key="feeitem.code")
    qty: float = 1
    unit_price_cents: int
    amount_cents: int
    at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    by: str
    note: str = ""


class MonthAnalysis(SQLModel, table=True):
    """The supervisor's own written analysis of a month (4.10: statistics, analysis and summary),
    added to the report's automatic facts. Every version is kept with who wrote it and when; the
    newest is the one reported."""

    __tablename__ = "month_analysis"

    id: int | None = Field(default=None, primary_key=True)
    month: str = Field(index=True)  # YYYY-MM, local time
    estate: str = Field(default=DEFAULT_ESTATE, sa_column_kwargs={"server_default": DEFAULT_ESTATE})
    text: str = Field(default="", sa_type=Text)
    written_by: str
    written_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class SiteRules(SQLModel, table=True):
    """A version of the rules in force at a site, published into the database by a supervisor:
    the procedures (`kind` "procedures": a JSON object of file name → TOML text, every category)
    or the fee schedule (`kind` "fees": the TOML text). The newest version of each kind is in
    force for every desk and command; every version stays on record with who and when."""

    __tablename__ = "site_rules"
    __table_args__ = (UniqueConstraint("kind", "version"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: str
    version: int
    content: str = Field(sa_type=Text)
    digest: str  # sha256 of content: `rules list` and `check` name a version by it too
    published_by: str
    published_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))

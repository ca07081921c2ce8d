"""The pager's tables: the duty roster (值班表), the outbox of pages to people off the desk, and the
sender's lease (who delivers now, and when it was last alive). SQLModel tables, like models.py.

A page is written in the same transaction as the event that causes it (a major case, the
automatic escalation, a follow-up that found the problem not solved); the sender (`liyuan pager
run`) delivers it and records each attempt, delivery and failure on the request's timeline.
Channel addresses and tokens never enter the database: they live in the pager's own config file.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Index, Text
from sqlmodel import Field, SQLModel

from .models import DEFAULT_ESTATE, UTCDateTime, _time


class DutyShift(SQLModel, table=True):
    """One person on duty (or their backup) in one duty role, from `starts_at` to `ends_at`
    (stored in UTC; typed and shown in the site's local time, so a night shift crosses midnight
    as typed). A shift removed by mistake is kept, marked removed."""

    __tablename__ = "duty_shift"
    __table_args__ = (Index("ix_duty_shift_when", "duty", "ends_at", "starts_at"),)

    id: int | None = Field(default=None, primary_key=True)
    estate: str = Field(default=DEFAULT_ESTATE, sa_column_kwargs={"server_default": DEFAULT_ESTATE})
    duty: str  # duty_supervisor | duty_manager | duty_security_lead
    login: str = Field(index=True)
    backup: bool = False
    starts_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    ends_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    added_by: str
    added_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    removed_at: datetime | None = _time()
    removed_by: str | None = None


class Page(SQLModel, table=True):
    """One page to one person for one reason: queued → sent (or failed, and retried) →
    acknowledged. `key` is the idempotency key every channel carries (a receiver that sees it
    twice after a sender was killed mid-delivery knows it is the same page)."""

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True)
    chain: str = Field(index=True)  # the cause (`major:<event id>` …): its rungs share it
    request_id: int | None = Field(default=None, foreign_key="request.id", index=True)
    ref: str | None = None  # None: a test page
    login: str = Field(index=True)
    reason: str  # major | escalated | unacknowledged | not_solved | test
    duty: str = ""  # the duty role paged ("" for a test page)
    rung: int = 0  # 0 the first page; then repeated, the backup, the next role up …
    status: str = Field(default="queued", index=True)  # queued | sent | failed | acknowledged
    attempts: int = 0
    queued_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    next_attempt_at: datetime | None = _time(index=True)  # None: nothing more to try
    sending_since: datetime | None = _time()  # an attempt whose outcome is not yet known
    sent_at: datetime | None = _time()
    acknowledged_at: datetime | None = _time()
    acknowledged_by: str | None = None
    delivered: str = ""  # the person's channels (their places in the contact list) already reached
    error: str = Field(default="", sa_type=Text)  # the last failure, in words any reader may see


class PagerSender(SQLModel, table=True):
    """The sender's lease, one row: only its holder delivers, and `heartbeat_at` says when it was
    last alive (a desk shows the pager down when that is more than two minutes ago)."""

    __tablename__ = "pager_sender"

    id: int | None = Field(default=None, primary_key=True)
    holder: str | None = None  # host:pid:nonce of the sender delivering now; None once it stopped
    started_at: datetime | None = _time()
    heartbeat_at: datetime | None = _time()

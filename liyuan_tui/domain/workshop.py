"""The back office's tables (company text, part 3): repair work orders, the materials ledger and
the tool register. Kept beside models.py, on the same metadata; times are UTC like every table's.

Quantities are whole thousandths of the material's unit (`*_milli`) and money whole fen, so the
ledger's sums are exact: opening + in − used ± counted = closing to the last thousandth.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from .models import UTCDateTime, _time
from .vocabulary import TOOL_CONDITIONS as TOOL_CONDITIONS  # (vocabulary.py's, for the command line)

# A work order's states, in the order a repair goes through them (待派工 → 已派工 → 已到场 → 已完工,
# 待料 waiting for parts, 作废 cancelled).
ORDER_STATES = ("pending", "dispatched", "on_site", "waiting_parts", "done", "cancelled")
OPEN_ORDER_STATES = ("pending", "dispatched", "on_site", "waiting_parts")
MOVE_KINDS = ("in", "use", "count")


class WorkOrder(SQLModel, table=True):
    """派工单: someone sent on site for a request, from dispatch to the resident's sign-off."""

    __table_args__ = (
        UniqueConstraint("number_month", "number_seq"),
        # The ladder finds the orders near a limit through these (each desk, every second).
        Index("ix_workorder_state_arrive", "state", "arrive_due_at"),
        Index("ix_workorder_state_finish", "state", "finish_due_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(index=True, unique=True)  # W202612-0007
    number_month: str  # YYYYMM, local time of the order's creation
    number_seq: int
    request_id: int = Field(foreign_key="request.id", index=True)
    technician: str | None = Field(default=None, index=True)  # a login; None while 待派工
    appointment_at: datetime | None = _time()
    state: str = Field(default="pending", index=True)
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False, index=True))
    created_by: str = ""
    dispatched_at: datetime | None = _time()
    arrive_due_at: datetime | None = _time()  # from the category's arrive_within_minutes
    finish_due_at: datetime | None = _time()  # from the category's finish_within_hours
    arrived_at: datetime | None = _time()  # the first arrival (a return after parts keeps it)
    waiting_at: datetime | None = _time()
    wait_reason: str = ""
    finished_at: datetime | None = _time(index=True)
    finished_by: str | None = None
    hours: float | None = None  # labour hours
    signed_by: str = ""  # the resident who signed the order
    not_home: bool = False  # nobody at home to sign
    note: str = Field(default="", sa_type=Text)  # what the technician is told
    finish_note: str = Field(default="", sa_type=Text)  # what was done
    cancelled_at: datetime | None = _time()
    cancel_reason: str = ""
    updated_at: datetime | None = _time()
    version: int = 1

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_ORDER_STATES


class Material(SQLModel, table=True):
    """A line of the materials catalogue: code, name, unit and the unit price now (fen)."""

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(index=True, unique=True)
    name: str
    unit: str
    price_fen: int = 0
    on_hand_milli: int = 0  # the balance after the newest move (the moves are the record)
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    version: int = 1


class StockMove(SQLModel, table=True):
    """One line of the ledger: received (`in`, +), used (`use`, −, on a work order or with a
    reason) or counted (`count`, the difference a stock-take found, ±)."""

    __table_args__ = (Index("ix_stockmove_material_at", "material_id", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    material_id: int = Field(foreign_key="material.id")
    kind: str
    delta_milli: int  # signed change of the balance
    balance_milli: int  # the balance after this move (never below zero)
    price_fen: int  # the unit price in effect after this move
    at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False, index=True))
    by: str
    order_id: int | None = Field(default=None, foreign_key="workorder.id", index=True)
    reason: str = ""


class Tool(SQLModel, table=True):
    """A repair tool of the register; `holder` is who has it now (None: in the store room)."""

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(index=True, unique=True)
    name: str
    condition: str = "ok"
    holder: str | None = Field(default=None, index=True)
    loan_id: int | None = None  # the loan still open, if any
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    version: int = 1


class ToolLoan(SQLModel, table=True):
    """A tool issued to a login (perhaps for a work order, perhaps due back by a time) and its return."""

    id: int | None = Field(default=None, primary_key=True)
    tool_id: int = Field(foreign_key="tool.id", index=True)
    holder: str
    order_id: int | None = Field(default=None, foreign_key="workorder.id")
    issued_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    issued_by: str
    due_at: datetime | None = _time()
    returned_at: datetime | None = _time(index=True)
    returned_by: str | None = None
    condition_back: str = ""
    note: str = Field(default="", sa_type=Text)

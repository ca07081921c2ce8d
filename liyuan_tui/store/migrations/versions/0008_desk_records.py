"""The company text made whole (issue 22): what the caller was told and linked calls on a request;
receipts for paid services (every charge made before this revision gets its receipt, numbered in
the month it was charged, Beijing time); the duty log and signed handovers; the reception log;
commendations and recommendations; training kinds and sessions.

Revision ID: 0008
Revises: 0007 (the pager's roster and outbox)
"""

from __future__ import annotations

from datetime import timedelta, timezone

import sqlalchemy as sa
from alembic import op

from liyuan_tui.domain.models import UTCDateTime

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

# The zone old charges' receipts are numbered in: the desk's default (a migration cannot know a
# site's LIYUAN_TZ; China has one zone and no summer time).
BEIJING = timezone(timedelta(hours=8))


def _time(name: str, nullable: bool = True) -> sa.Column:
    return sa.Column(name, UTCDateTime(), nullable=nullable)


def upgrade() -> None:
    with op.batch_alter_table("request") as batch:
        batch.add_column(sa.Column("reply_text", sa.Text(), nullable=False, server_default=""))
        batch.add_column(sa.Column("reply_answer", sa.String(), nullable=False, server_default=""))
        batch.add_column(sa.Column("incident", sa.String(), nullable=True))
        batch.create_index("ix_request_incident", ["incident"], unique=False)
    with op.batch_alter_table("training") as batch:
        batch.add_column(sa.Column("kind", sa.String(), nullable=False, server_default="skills"))
        batch.add_column(sa.Column("session", sa.Integer(), nullable=True))
    op.create_table(
        "receipt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(), nullable=False),
        sa.Column("ref_month", sa.String(), nullable=False),
        sa.Column("ref_seq", sa.Integer(), nullable=False),
        sa.Column("charge_id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("amount_cents", sa.Integer(), nullable=False),
        _time("created_at", nullable=False),
        sa.Column("created_by", sa.String(), nullable=False),
        _time("paid_at"),
        sa.Column("paid_by", sa.String(), nullable=True),
        sa.Column("method", sa.String(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["charge_id"], ["charge.id"]),
        sa.ForeignKeyConstraint(["request_id"], ["request.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("charge_id"),
        sa.UniqueConstraint("ref_month", "ref_seq"),
    )
    op.create_index("ix_receipt_number", "receipt", ["number"], unique=True)
    op.create_index("ix_receipt_request_id", "receipt", ["request_id"], unique=False)
    op.create_index("ix_receipt_created_at", "receipt", ["created_at"], unique=False)
    op.create_index("ix_receipt_paid_at", "receipt", ["paid_at"], unique=False)
    op.create_table(
        "duty_note",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("estate", sa.String(), nullable=False, server_default="main"),
        _time("at", nullable=False),
        sa.Column("by", sa.String(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_duty_note_at", "duty_note", ["at"], unique=False)
    op.create_table(
        "handover",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("estate", sa.String(), nullable=False, server_default="main"),
        _time("since", nullable=False),
        _time("signed_at", nullable=False),
        sa.Column("signed_by", sa.String(), nullable=False),
        sa.Column("to_login", sa.String(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("sheet", sa.Text(), nullable=False),
        _time("accepted_at"),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_handover_signed_at", "handover", ["signed_at"], unique=False)
    op.create_index("ix_handover_to_login", "handover", ["to_login"], unique=False)
    op.create_table(
        "reception",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("estate", sa.String(), nullable=False, server_default="main"),
        _time("at", nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("unit", sa.String(), nullable=False),
        sa.Column("received_by", sa.String(), nullable=False),
        sa.Column("outcome", sa.Text(), nullable=False),
        sa.Column("ref", sa.String(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_reception_at", "reception", ["at"], unique=False)
    for table, column in (("commendation", "kind"), ("recommendation", "for_what")):
        op.create_table(
            table,
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("login", sa.String(), nullable=False),
            sa.Column(column, sa.String(), nullable=False),
            sa.Column("note", sa.Text(), nullable=False),
            sa.Column("by", sa.String(), nullable=False),
            _time("at", nullable=False),
            sa.PrimaryKeyConstraint("id"),
        )
        op.create_index(f"ix_{table}_login", table, ["login"], unique=False)
        op.create_index(f"ix_{table}_at", table, ["at"], unique=False)
    _receipts_for_old_charges()


def _receipts_for_old_charges() -> None:
    """Every charge already made gets its receipt, unpaid, numbered in the month it was charged."""
    conn = op.get_bind()
    charge = sa.table(
        "charge",
        sa.column("id", sa.Integer()),
        sa.column("request_id", sa.Integer()),
        sa.column("amount_cents", sa.Integer()),
        sa.column("at", UTCDateTime()),
        sa.column("by", sa.String()),
    )
    receipt = sa.table(
        "receipt",
        *(sa.column(n) for n in ("number", "ref_month", "ref_seq", "charge_id", "request_id")),
        *(sa.column(n) for n in ("amount_cents", "created_by", "method", "version")),
        sa.column("created_at", UTCDateTime()),
    )
    seq: dict[str, int] = {}
    rows = []
    for cid, request_id, amount, at, by in conn.execute(sa.select(charge).order_by(charge.c.at, charge.c.id)):
        month = at.astimezone(BEIJING).strftime("%Y%m")
        seq[month] = seq.get(month, 0) + 1
        rows.append(
            {
                "number": f"S{month}-{seq[month]:04d}",
                "ref_month": month,
                "ref_seq": seq[month],
                "charge_id": cid,
                "request_id": request_id,
                "amount_cents": amount,
                "created_at": at,
                "created_by": by,
                "method": "",
                "version": 1,
            }
        )
    if rows:
        conn.execute(sa.insert(receipt), rows)


def downgrade() -> None:
    for table in ("recommendation", "commendation", "reception", "handover", "duty_note", "receipt"):
        op.drop_table(table)
    with op.batch_alter_table("training") as batch:
        batch.drop_column("session")
        batch.drop_column("kind")
    with op.batch_alter_table("request") as batch:
        batch.drop_index("ix_request_incident")
        batch.drop_column("incident")
        batch.drop_column("reply_answer")
        batch.drop_column("reply_text")

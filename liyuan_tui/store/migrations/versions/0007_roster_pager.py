"""The duty roster (值班表), the pager's outbox of pages and the sender's lease (issue 21).

Revision ID: 0007
Revises: 0006 (written after 0005; chained after issue 18's 0006 at the merge)
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from liyuan_tui.domain.models import UTCDateTime

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "duty_shift",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("estate", sa.String(), nullable=False, server_default="main"),
        sa.Column("duty", sa.String(), nullable=False),
        sa.Column("login", sa.String(), nullable=False),
        sa.Column("backup", sa.Boolean(), nullable=False),
        sa.Column("starts_at", UTCDateTime(), nullable=False),
        sa.Column("ends_at", UTCDateTime(), nullable=False),
        sa.Column("added_by", sa.String(), nullable=False),
        sa.Column("added_at", UTCDateTime(), nullable=False),
        sa.Column("removed_at", UTCDateTime(), nullable=True),
        sa.Column("removed_by", sa.String(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_duty_shift_login", "duty_shift", ["login"], unique=False)
    op.create_index("ix_duty_shift_when", "duty_shift", ["duty", "ends_at", "starts_at"], unique=False)
    op.create_table(
        "page",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("chain", sa.String(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=True),
        sa.Column("ref", sa.String(), nullable=True),
        sa.Column("login", sa.String(), nullable=False),
        sa.Column("reason", sa.String(), nullable=False),
        sa.Column("duty", sa.String(), nullable=False),
        sa.Column("rung", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("queued_at", UTCDateTime(), nullable=False),
        sa.Column("next_attempt_at", UTCDateTime(), nullable=True),
        sa.Column("sending_since", UTCDateTime(), nullable=True),
        sa.Column("sent_at", UTCDateTime(), nullable=True),
        sa.Column("acknowledged_at", UTCDateTime(), nullable=True),
        sa.Column("acknowledged_by", sa.String(), nullable=True),
        sa.Column("delivered", sa.String(), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["request_id"], ["request.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key"),
    )
    for column in ("chain", "login", "next_attempt_at", "request_id", "status"):
        op.create_index(f"ix_page_{column}", "page", [column], unique=False)
    op.create_table(
        "pager_sender",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("holder", sa.String(), nullable=True),
        sa.Column("started_at", UTCDateTime(), nullable=True),
        sa.Column("heartbeat_at", UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )


def downgrade() -> None:
    op.drop_table("pager_sender")
    for column in ("chain", "login", "next_attempt_at", "request_id", "status"):
        op.drop_index(f"ix_page_{column}", table_name="page")
    op.drop_table("page")
    op.drop_index("ix_duty_shift_when", table_name="duty_shift")
    op.drop_index("ix_duty_shift_login", table_name="duty_shift")
    op.drop_table("duty_shift")

"""The supervisor's written analysis of a month, kept with who wrote it and when (issue 12).

Revision ID: 0005
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from liyuan_tui.domain.models import UTCDateTime

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "month_analysis",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("month", sa.String(), nullable=False),
        sa.Column("estate", sa.String(), nullable=False, server_default="main"),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("written_by", sa.String(), nullable=False),
        sa.Column("written_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_month_analysis_month", "month_analysis", ["month"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_month_analysis_month", table_name="month_analysis")
    op.drop_table("month_analysis")

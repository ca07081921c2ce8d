"""Estates: every request and staff member belongs to one (the default estate where none is set).

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

DEFAULT_ESTATE = "main"


def upgrade() -> None:
    op.create_table(
        "estate",
        sa.Column("code", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("code"),
    )
    with op.batch_alter_table("request") as batch:
        batch.add_column(sa.Column("estate", sa.String(), nullable=False, server_default=DEFAULT_ESTATE))
        batch.create_index("ix_request_estate", ["estate"], unique=False)
    with op.batch_alter_table("staff") as batch:
        batch.add_column(sa.Column("estate", sa.String(), nullable=False, server_default=DEFAULT_ESTATE))


def downgrade() -> None:
    with op.batch_alter_table("staff") as batch:
        batch.drop_column("estate")
    with op.batch_alter_table("request") as batch:
        batch.drop_index("ix_request_estate")
        batch.drop_column("estate")
    op.drop_table("estate")

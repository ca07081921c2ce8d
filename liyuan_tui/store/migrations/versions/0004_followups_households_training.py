"""Follow-up calls, the household file, training and assessments; a request's kind of fault, the
request it repeats and when its follow-up is due; a resident's relation in the household.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "followup",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("by", sa.String(), nullable=False),
        sa.Column("reached", sa.Boolean(), nullable=False),
        sa.Column("score", sa.Integer(), nullable=True),
        sa.Column("solved", sa.Boolean(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("due_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["request_id"], ["request.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_followup_at", "followup", ["at"], unique=False)
    op.create_index("ix_followup_request_id", "followup", ["request_id"], unique=False)
    op.create_table(
        "household",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit", sa.String(), nullable=False),
        sa.Column("emergency_name", sa.String(), nullable=False),
        sa.Column("emergency_phone", sa.String(), nullable=False),
        sa.Column("emergency_relation", sa.String(), nullable=False),
        sa.Column("elderly_alone", sa.Boolean(), nullable=False),
        sa.Column("disability", sa.Boolean(), nullable=False),
        sa.Column("language", sa.String(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=True),
        sa.Column("updated_by", sa.String(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_household_unit", "household", ["unit"], unique=True)
    op.create_table(
        "training",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("login", sa.String(), nullable=False),
        sa.Column("course", sa.String(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("hours", sa.Float(), nullable=True),
        sa.Column("result", sa.String(), nullable=False),
        sa.Column("recorded_by", sa.String(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_training_login", "training", ["login"], unique=False)
    op.create_table(
        "assessment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("login", sa.String(), nullable=False),
        sa.Column("month", sa.String(), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("by", sa.String(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("login", "month"),
    )
    op.create_index("ix_assessment_login", "assessment", ["login"], unique=False)
    with op.batch_alter_table("request") as batch:
        batch.add_column(sa.Column("fault_kind", sa.String(), nullable=False, server_default=""))
        batch.add_column(sa.Column("repeat_of", sa.String(), nullable=True))
        batch.add_column(sa.Column("followup_due_at", sa.DateTime(), nullable=True))
        batch.create_index("ix_request_followup_due_at", ["followup_due_at"], unique=False)
    with op.batch_alter_table("resident") as batch:
        batch.add_column(sa.Column("relation", sa.String(), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("resident") as batch:
        batch.drop_column("relation")
    with op.batch_alter_table("request") as batch:
        batch.drop_index("ix_request_followup_due_at")
        batch.drop_column("followup_due_at")
        batch.drop_column("repeat_of")
        batch.drop_column("fault_kind")
    for table in ("assessment", "training", "household", "followup"):
        op.drop_table(table)

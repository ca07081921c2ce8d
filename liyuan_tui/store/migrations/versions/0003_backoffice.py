"""The back office: repair work orders, the materials ledger (catalogue and moves), the tool
register (tools and loans).

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "material",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("unit", sa.String(), nullable=False),
        sa.Column("price_fen", sa.Integer(), nullable=False),
        sa.Column("on_hand_milli", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_material_code"), "material", ["code"], unique=True)
    op.create_table(
        "tool",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("condition", sa.String(), nullable=False),
        sa.Column("holder", sa.String(), nullable=True),
        sa.Column("loan_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_tool_code"), "tool", ["code"], unique=True)
    op.create_index(op.f("ix_tool_holder"), "tool", ["holder"], unique=False)
    op.create_table(
        "workorder",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(), nullable=False),
        sa.Column("number_month", sa.String(), nullable=False),
        sa.Column("number_seq", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("technician", sa.String(), nullable=True),
        sa.Column("appointment_at", sa.DateTime(), nullable=True),
        sa.Column("state", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(), nullable=False),
        sa.Column("dispatched_at", sa.DateTime(), nullable=True),
        sa.Column("arrive_due_at", sa.DateTime(), nullable=True),
        sa.Column("finish_due_at", sa.DateTime(), nullable=True),
        sa.Column("arrived_at", sa.DateTime(), nullable=True),
        sa.Column("waiting_at", sa.DateTime(), nullable=True),
        sa.Column("wait_reason", sa.String(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.Column("finished_by", sa.String(), nullable=True),
        sa.Column("hours", sa.Float(), nullable=True),
        sa.Column("signed_by", sa.String(), nullable=False),
        sa.Column("not_home", sa.Boolean(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("finish_note", sa.Text(), nullable=False),
        sa.Column("cancelled_at", sa.DateTime(), nullable=True),
        sa.Column("cancel_reason", sa.String(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["request.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("number_month", "number_seq"),
    )
    op.create_index(op.f("ix_workorder_created_at"), "workorder", ["created_at"], unique=False)
    op.create_index(op.f("ix_workorder_finished_at"), "workorder", ["finished_at"], unique=False)
    op.create_index(op.f("ix_workorder_number"), "workorder", ["number"], unique=True)
    op.create_index(op.f("ix_workorder_request_id"), "workorder", ["request_id"], unique=False)
    op.create_index(op.f("ix_workorder_state"), "workorder", ["state"], unique=False)
    op.create_index("ix_workorder_state_arrive", "workorder", ["state", "arrive_due_at"], unique=False)
    op.create_index("ix_workorder_state_finish", "workorder", ["state", "finish_due_at"], unique=False)
    op.create_index(op.f("ix_workorder_technician"), "workorder", ["technician"], unique=False)
    op.create_table(
        "stockmove",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("material_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("delta_milli", sa.Integer(), nullable=False),
        sa.Column("balance_milli", sa.Integer(), nullable=False),
        sa.Column("price_fen", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("by", sa.String(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(
            ["material_id"],
            ["material.id"],
        ),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["workorder.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_stockmove_at"), "stockmove", ["at"], unique=False)
    op.create_index("ix_stockmove_material_at", "stockmove", ["material_id", "at"], unique=False)
    op.create_index(op.f("ix_stockmove_order_id"), "stockmove", ["order_id"], unique=False)
    op.create_table(
        "toolloan",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tool_id", sa.Integer(), nullable=False),
        sa.Column("holder", sa.String(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=True),
        sa.Column("issued_at", sa.DateTime(), nullable=False),
        sa.Column("issued_by", sa.String(), nullable=False),
        sa.Column("due_at", sa.DateTime(), nullable=True),
        sa.Column("returned_at", sa.DateTime(), nullable=True),
        sa.Column("returned_by", sa.String(), nullable=True),
        sa.Column("condition_back", sa.String(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["workorder.id"],
        ),
        sa.ForeignKeyConstraint(
            ["tool_id"],
            ["tool.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_toolloan_returned_at"), "toolloan", ["returned_at"], unique=False)
    op.create_index(op.f("ix_toolloan_tool_id"), "toolloan", ["tool_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_toolloan_tool_id"), table_name="toolloan")
    op.drop_index(op.f("ix_toolloan_returned_at"), table_name="toolloan")
    op.drop_table("toolloan")
    op.drop_index(op.f("ix_stockmove_order_id"), table_name="stockmove")
    op.drop_index("ix_stockmove_material_at", table_name="stockmove")
    op.drop_index(op.f("ix_stockmove_at"), table_name="stockmove")
    op.drop_table("stockmove")
    op.drop_index(op.f("ix_workorder_technician"), table_name="workorder")
    op.drop_index("ix_workorder_state_finish", table_name="workorder")
    op.drop_index("ix_workorder_state_arrive", table_name="workorder")
    op.drop_index(op.f("ix_workorder_state"), table_name="workorder")
    op.drop_index(op.f("ix_workorder_request_id"), table_name="workorder")
    op.drop_index(op.f("ix_workorder_number"), table_name="workorder")
    op.drop_index(op.f("ix_workorder_finished_at"), table_name="workorder")
    op.drop_index(op.f("ix_workorder_created_at"), table_name="workorder")
    op.drop_table("workorder")
    op.drop_index(op.f("ix_tool_holder"), table_name="tool")
    op.drop_index(op.f("ix_tool_code"), table_name="tool")
    op.drop_table("tool")
    op.drop_index(op.f("ix_material_code"), table_name="material")
    op.drop_table("material")

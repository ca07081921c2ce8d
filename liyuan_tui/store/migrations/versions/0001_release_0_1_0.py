"""The schema of release 0.1.0 (requests, steps, events, staff, residents, fees, charges).

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# The audit log is append-only, also for anyone who opens the file with another SQLite client
# (PostgreSQL refuses it by grants instead: see store/postgres.py).
SQLITE_TRIGGERS = (
    "CREATE TRIGGER IF NOT EXISTS event_append_only_update BEFORE UPDATE ON event "
    "BEGIN SELECT RAISE(ABORT, 'events are append-only'); END",
    "CREATE TRIGGER IF NOT EXISTS event_append_only_delete BEFORE DELETE ON event "
    "BEGIN SELECT RAISE(ABORT, 'events are append-only'); END",
)


def upgrade() -> None:
    op.create_table(
        "feeitem",
        sa.Column("code", sa.String(), nullable=False),
        sa.Column("name_zh", sa.String(), nullable=False),
        sa.Column("name_en", sa.String(), nullable=False),
        sa.Column("unit_zh", sa.String(), nullable=False),
        sa.Column("unit_en", sa.String(), nullable=False),
        sa.Column("price_cents", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("code"),
    )
    op.create_table(
        "request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ref", sa.String(), nullable=False),
        sa.Column("ref_month", sa.String(), nullable=False),
        sa.Column("ref_seq", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(), nullable=False),
        sa.Column("channel", sa.String(), nullable=False),
        sa.Column("requester_name", sa.String(), nullable=False),
        sa.Column("unit", sa.String(), nullable=False),
        sa.Column("phone", sa.String(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column("reply_due_at", sa.DateTime(), nullable=False),
        sa.Column("replied_at", sa.DateTime(), nullable=True),
        sa.Column("replied_by", sa.String(), nullable=True),
        sa.Column("escalated_at", sa.DateTime(), nullable=True),
        sa.Column("escalated_to", sa.String(), nullable=True),
        sa.Column("escalated_by", sa.String(), nullable=True),
        sa.Column("major", sa.Boolean(), nullable=False),
        sa.Column("major_at", sa.DateTime(), nullable=True),
        sa.Column("acknowledged_at", sa.DateTime(), nullable=True),
        sa.Column("acknowledged_by", sa.String(), nullable=True),
        sa.Column("major_ack_at", sa.DateTime(), nullable=True),
        sa.Column("major_ack_by", sa.String(), nullable=True),
        sa.Column("confidential", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("assignee", sa.String(), nullable=True),
        sa.Column("created_by", sa.String(), nullable=False),
        sa.Column("branches", sa.String(), nullable=False),
        sa.Column("outcome", sa.Text(), nullable=False),
        sa.Column("outcome_kind", sa.String(), nullable=False),
        sa.Column("handed_to", sa.String(), nullable=False),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.Column("closed_by", sa.String(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("ref_month", "ref_seq"),
    )
    op.create_index(op.f("ix_request_assignee"), "request", ["assignee"], unique=False)
    op.create_index(op.f("ix_request_category"), "request", ["category"], unique=False)
    op.create_index(op.f("ix_request_received_at"), "request", ["received_at"], unique=False)
    op.create_index(op.f("ix_request_ref"), "request", ["ref"], unique=True)
    op.create_index(op.f("ix_request_status"), "request", ["status"], unique=False)
    op.create_index("ix_request_status_due", "request", ["status", "reply_due_at"], unique=False)
    op.create_index(op.f("ix_request_unit"), "request", ["unit"], unique=False)
    op.create_table(
        "resident",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("phones", sa.String(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_resident_phones"), "resident", ["phones"], unique=False)
    op.create_index(op.f("ix_resident_unit"), "resident", ["unit"], unique=False)
    op.create_table(
        "staff",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("login", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("role", sa.String(), nullable=False),
        sa.Column("phone", sa.String(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_staff_login"), "staff", ["login"], unique=True)
    op.create_table(
        "charge",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("item_code", sa.String(), nullable=False),
        sa.Column("qty", sa.Float(), nullable=False),
        sa.Column("unit_price_cents", sa.Integer(), nullable=False),
        sa.Column("amount_cents", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("by", sa.String(), nullable=False),
        sa.Column("note", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_code"],
            ["feeitem.code"],
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["request.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_charge_request_id"), "charge", ["request_id"], unique=False)
    op.create_table(
        "event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("dedupe_key", sa.String(), nullable=True),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["request.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("dedupe_key"),
    )
    op.create_index(op.f("ix_event_at"), "event", ["at"], unique=False)
    op.create_index(op.f("ix_event_kind"), "event", ["kind"], unique=False)
    op.create_index(op.f("ix_event_request_id"), "event", ["request_id"], unique=False)
    op.create_table(
        "steprecord",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("step_key", sa.String(), nullable=False),
        sa.Column("done_at", sa.DateTime(), nullable=False),
        sa.Column("done_by", sa.String(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("value", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["request.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("request_id", "step_key"),
    )
    op.create_index(op.f("ix_steprecord_request_id"), "steprecord", ["request_id"], unique=False)
    if op.get_bind().dialect.name == "sqlite":
        for statement in SQLITE_TRIGGERS:
            op.execute(statement)


def downgrade() -> None:

    op.drop_index(op.f("ix_steprecord_request_id"), table_name="steprecord")
    op.drop_table("steprecord")
    op.drop_index(op.f("ix_event_request_id"), table_name="event")
    op.drop_index(op.f("ix_event_kind"), table_name="event")
    op.drop_index(op.f("ix_event_at"), table_name="event")
    op.drop_table("event")
    op.drop_index(op.f("ix_charge_request_id"), table_name="charge")
    op.drop_table("charge")
    op.drop_index(op.f("ix_staff_login"), table_name="staff")
    op.drop_table("staff")
    op.drop_index(op.f("ix_resident_unit"), table_name="resident")
    op.drop_index(op.f("ix_resident_phones"), table_name="resident")
    op.drop_table("resident")
    op.drop_index(op.f("ix_request_unit"), table_name="request")
    op.drop_index("ix_request_status_due", table_name="request")
    op.drop_index(op.f("ix_request_status"), table_name="request")
    op.drop_index(op.f("ix_request_ref"), table_name="request")
    op.drop_index(op.f("ix_request_received_at"), table_name="request")
    op.drop_index(op.f("ix_request_category"), table_name="request")
    op.drop_index(op.f("ix_request_assignee"), table_name="request")
    op.drop_table("request")
    op.drop_table("feeitem")

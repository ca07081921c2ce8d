"""The rules in force are the site's (issue 18): the procedures and fee schedule a supervisor
publishes into the database (`site_rules`, every version kept with who and when), the version each
request was logged under, and the login that really wrote each event (`event.db_user`; a
PostgreSQL site set up by an older release already has it, filled by the server).

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from liyuan_tui.domain.models import UTCDateTime

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "site_rules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("digest", sa.String(), nullable=False),
        sa.Column("published_by", sa.String(), nullable=False),
        sa.Column("published_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("kind", "version"),
    )
    # (plain ADD COLUMN on both engines: SQLite's triggers on event stay as they are)
    op.add_column("request", sa.Column("procedures_version", sa.Integer(), nullable=True))
    columns = {c["name"] for c in sa.inspect(op.get_bind()).get_columns("event")}
    if "db_user" not in columns:
        op.add_column("event", sa.Column("db_user", sa.String(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("request") as batch:
        batch.drop_column("procedures_version")
    op.drop_table("site_rules")

"""Alembic's environment: the desk always hands it an open connection (store/schema.py)."""

from alembic import context
from sqlmodel import SQLModel

from liyuan_tui.domain import models, paging, records, workshop  # noqa: F401  (the tables register themselves)

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=SQLModel.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=False,
)
with context.begin_transaction():
    context.run_migrations()

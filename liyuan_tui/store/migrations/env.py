"""Alembic's environment: the desk always hands it an open connection (store/schema.py)."""

from alembic import context

from liyuan_tui.store.schema import desk_tables

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=desk_tables(),
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=False,
)
with context.begin_transaction():
    context.run_migrations()

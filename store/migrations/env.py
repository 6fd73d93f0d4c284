"""Alembic environment: the SQLModel tables of store.models, the URL given by gkaudit (store.db.upgrade)."""
from alembic import context
from sqlmodel import SQLModel

import store.models  # noqa: F401  (registers the tables)
import store.users  # noqa: F401  (the web accounts' tables)

config = context.config
target_metadata = SQLModel.metadata


def run_migrations_online() -> None:
    connection = config.attributes["connection"]
    context.configure(connection=connection, target_metadata=target_metadata,
                      render_as_batch=connection.dialect.name == "sqlite")  # SQLite alters tables by copying
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()

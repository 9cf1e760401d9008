"""Alembic environment: runs on a connection handed over in `config.attributes["connection"]`
(tests, the app at start) or on an engine for `sqlalchemy.url` / `DATABASE_URL`."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

import trainer.db.models  # noqa: F401  (fills SQLModel.metadata)
from trainer.db.engine import make_engine
from trainer.settings import get_settings

config = context.config
target_metadata = SQLModel.metadata


def _configure(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copying
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        return
    url = config.get_main_option("sqlalchemy.url") or get_settings().DATABASE_URL
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            _configure(connection)
            connection.commit()
    finally:
        engine.dispose()


def run_offline() -> None:
    url = config.get_main_option("sqlalchemy.url") or get_settings().DATABASE_URL
    context.configure(url=url, target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_offline()
else:
    run_online()

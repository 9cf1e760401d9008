"""Database fixtures: every storage and service test runs on SQLite and on PostgreSQL.

PostgreSQL comes from `TEST_DATABASE_URL`, which `make test` sets after starting a local
server (`make postgres`). Without it the PostgreSQL cases fail, never skip: a missing database
is a broken setup, not a reason to test less. Each test gets a fresh schema.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, text
from sqlmodel import Session, SQLModel

import trainer.db.models  # noqa: F401  (fills the metadata)
from trainer.db.engine import make_engine

DATABASES = ["sqlite", "postgresql"]


def _postgres_url() -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        pytest.fail(
            "TEST_DATABASE_URL is not set: the PostgreSQL tests need a server. Run them with "
            "`make test` (which starts one), or `make postgres` and export the URL it prints."
        )
    return url


@pytest.fixture(scope="session")
def postgres_admin_engine() -> Iterator[Engine]:
    engine = make_engine(_postgres_url(), pool_size=2)
    yield engine
    engine.dispose()


def _postgres_schema_engine(admin: Engine, **kwargs) -> tuple[Engine, str]:
    schema = f"test_{uuid.uuid4().hex[:12]}"
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine = make_engine(
        _postgres_url(), connect_args={"options": f"-csearch_path={schema}"}, **kwargs
    )
    return engine, schema


def _drop_schema(admin: Engine, schema: str) -> None:
    with admin.begin() as connection:
        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))


@pytest.fixture(params=DATABASES)
def empty_engine(request, tmp_path) -> Iterator[Engine]:
    """An engine on an empty database: a SQLite file, or a fresh PostgreSQL schema.

    Real files and real connections, so several threads can use it at once."""
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'webcare.db'}")
        yield engine
        engine.dispose()
        return
    admin = request.getfixturevalue("postgres_admin_engine")
    engine, schema = _postgres_schema_engine(admin, pool_size=5, max_overflow=40)
    try:
        yield engine
    finally:
        engine.dispose()
        _drop_schema(admin, schema)


@pytest.fixture
def file_engine(empty_engine: Engine) -> Engine:
    """`empty_engine` with the models' tables."""
    SQLModel.metadata.create_all(empty_engine)
    return empty_engine


@pytest.fixture(params=DATABASES)
def engine(request) -> Iterator[Engine]:
    """A fresh database with the models' tables: in-memory SQLite or a fresh PostgreSQL schema."""
    if request.param == "sqlite":
        engine = make_engine("sqlite://")
        SQLModel.metadata.create_all(engine)
        yield engine
        engine.dispose()
        return
    admin = request.getfixturevalue("postgres_admin_engine")
    engine, schema = _postgres_schema_engine(admin)
    try:
        SQLModel.metadata.create_all(engine)
        yield engine
    finally:
        engine.dispose()
        _drop_schema(admin, schema)


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with Session(engine, expire_on_commit=False) as session:
        yield session

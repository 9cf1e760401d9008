"""Engines and sessions for any `DATABASE_URL`.

SQLite gets the settings that make it a good multi-user store: WAL (readers never block the
writer), synchronous=NORMAL (safe with WAL, much faster), foreign keys on, and a busy timeout
so a writer waits for another instead of failing. Write transactions on SQLite start with
`BEGIN IMMEDIATE` (see `write_session`): a transaction that reads first and writes later would
otherwise fail at once with "database is locked" when another writer got in between.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.pool import StaticPool
from sqlmodel import Session, create_engine

from trainer.settings import get_settings

SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=NORMAL",
    "PRAGMA foreign_keys=ON",
    "PRAGMA busy_timeout=5000",
)
IMMEDIATE = "webcare_begin_immediate"
# The database cannot be reached or answer now (server down, connection dropped, SQLite locked
# past WRITE_WAIT_SECONDS, no pooled connection free): nothing was changed, and the same request
# may simply be tried again. A screen that takes typed text keeps it and says so.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError, PoolTimeout)
T = TypeVar("T")


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for `url`; for SQLite with the pragmas above, creating the file's folder."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        kwargs.setdefault("pool_pre_ping", True)
        return create_engine(url, **kwargs)

    connect_args = kwargs.pop("connect_args", {})
    connect_args.setdefault("check_same_thread", False)
    in_memory = parsed.database in (None, "", ":memory:")
    if in_memory:
        # One shared connection, or every session would see its own empty database.
        kwargs.setdefault("poolclass", StaticPool)
    elif parsed.database:
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args=connect_args, **kwargs)

    @event.listens_for(engine, "connect")
    def _set_pragmas(dbapi_connection, _record) -> None:
        # Let SQLAlchemy, not the driver, issue BEGIN, so we can choose IMMEDIATE.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        for pragma in SQLITE_PRAGMAS:
            cursor.execute(pragma)
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection) -> None:
        immediate = connection.get_execution_options().get(IMMEDIATE, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


@lru_cache(maxsize=4)
def _engine_for(url: str) -> Engine:
    return make_engine(url)


def get_engine() -> Engine:
    """The app's engine for the configured `DATABASE_URL` (one per process)."""
    return _engine_for(get_settings().DATABASE_URL)


@contextmanager
def session_scope(engine: Engine | None = None) -> Iterator[Session]:
    """One short-lived session for one action. Services commit; anything left is rolled back."""
    with Session(engine or get_engine(), expire_on_commit=False) as session:
        yield session


# SQLite's busy timeout (5 s) bounds one wait for the write lock; a save keeps waiting this long
# in all before it gives up, rather than fail a trainee's reply when logins or drills crowd in.
WRITE_WAIT_SECONDS = 30.0


def begin_write(session: Session) -> None:
    """Start the session's transaction as a writer (SQLite: BEGIN IMMEDIATE; elsewhere a no-op).

    Call it first thing in a service that will write, before any read. On SQLite a BEGIN that
    found the lock taken past the busy timeout is tried again (nothing was done yet) until
    `WRITE_WAIT_SECONDS` have passed."""
    if session.in_transaction():
        return
    deadline = time.monotonic() + WRITE_WAIT_SECONDS
    while True:
        try:
            session.connection(execution_options={IMMEDIATE: True})
            return
        except OperationalError as exc:
            if "database is locked" not in str(exc.orig) or time.monotonic() >= deadline:
                raise
            session.rollback()
            time.sleep(0.05)


def writes(service: Callable[..., T] | None = None, *, own_transaction: bool = False) -> Any:
    """Decorator for a service that writes: it starts as a writer (`begin_write`) and, if it
    fails, rolls back, so the caller's session never holds half a change.

    `@writes(own_transaction=True)`: the service is a transaction of its own, so a transaction
    the caller's session left open (the reads of an earlier call) is ended first: on SQLite a
    deferred read upgraded to a write fails at once when another writer got in between. Not for
    a service called inside another one's write (that write would be dropped)."""

    def decorate(service: Callable[..., T]) -> Callable[..., T]:
        @functools.wraps(service)
        def wrapper(*, session: Session, **kwargs: Any) -> T:
            if own_transaction and session.in_transaction():
                session.rollback()
            begin_write(session)
            try:
                return service(session=session, **kwargs)
            except BaseException:
                session.rollback()
                raise

        return wrapper

    return decorate(service) if service is not None else decorate

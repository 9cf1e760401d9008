"""Apply the Alembic migrations: `webcare db upgrade`, and the app at start.

Alembic is imported only when there is something to do: importing it costs ~0.2 s, on every
start of the app, whose first page must answer within 3 s. `upgrade_at_start` first compares
the database's stored revision with the newest one the migration files declare."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, inspect, text

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).with_name("migrations")
VERSION_TABLE = "alembic_version"  # Alembic's default name, which alembic_config keeps


def alembic_config(url: str | None = None, connection: Connection | None = None) -> Config:
    """Alembic's configuration, built in code so no alembic.ini has to be found."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if url:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    from alembic import command

    with engine.begin() as connection:
        command.upgrade(alembic_config(connection=connection), revision)


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


_REVISION = re.compile(r"^revision\b[^=\n]*=\s*['\"]([^'\"]+)['\"]\s*$", re.MULTILINE)
_DOWN_REVISION = re.compile(r"^down_revision\b[^=\n]*=(.*)$", re.MULTILINE)


def declared_head() -> str | None:
    """The newest revision, read from the migration files' `revision` and `down_revision` lines.
    None when the files say anything this plain reading cannot follow (several heads, a revision
    that is not a string literal): then Alembic itself decides."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in sorted((MIGRATIONS / "versions").glob("[!_]*.py")):
        source = path.read_text(encoding="utf-8")
        revision, down_revision = _REVISION.findall(source), _DOWN_REVISION.findall(source)
        if len(revision) != 1 or len(down_revision) != 1:
            return None
        revisions.add(revision[0])
        parents.update(re.findall(r"['\"]([^'\"]+)['\"]", down_revision[0]))
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def stored_revision(engine: Engine) -> str | None:
    """The revision recorded in the database, without Alembic; None for a new database."""
    with engine.connect() as connection:
        if not inspect(connection).has_table(VERSION_TABLE):
            return None
        rows = connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalars().all()
    return rows[0] if len(rows) == 1 else None


def upgrade_at_start(engine: Engine) -> None:
    """What the app calls before serving: migrate unless already at head (cheap when it is)."""
    head = declared_head()
    if head is not None and stored_revision(engine) == head:
        return
    if current_revision(engine) != head_revision():
        upgrade(engine)

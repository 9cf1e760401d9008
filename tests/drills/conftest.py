"""Drill tests run on SQLite and PostgreSQL with the storage tests' fixtures and organisation:
team Reizen (manager Mila, trainees Tom and Tess), team Energie (manager Mark, trainee Eva)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from tests.trainer.conftest import (  # noqa: F401  (fixtures used by name)
    PASSWORD,
    World,
    cheap_argon2,
    empty_engine,
    engine,
    file_engine,
    postgres_admin_engine,
    session,
    world,
)

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)


def at(seconds: float) -> datetime:
    """A moment `seconds` after the tests' drill start."""
    return T0 + timedelta(seconds=seconds)


@pytest.fixture
def storm(session, world):
    """The Schiphol storm drill of team Reizen, started at T0."""
    from trainer.services import drills

    run = drills.create_drill(session=session, actor=world.mila, template_id="nl-storm-schiphol",
                              team_id=world.reizen.id, seed=5, now=T0)
    drills.start_drill(session=session, actor=world.mila, run_id=run.id, now=T0)
    return run

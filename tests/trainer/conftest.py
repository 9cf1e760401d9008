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


@pytest.fixture(autouse=True)
def cheap_argon2(monkeypatch):
    """Real Argon2, with the cost turned down so the suite stays fast (hashes stay verifiable)."""
    from argon2 import PasswordHasher

    from trainer.services import accounts

    monkeypatch.setattr(accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


PASSWORD = "correct horse battery"


class World:
    """A small organisation: an admin; team Reizen with manager Mila and trainees Tom and Tess;
    team Energie with manager Mark and trainee Eva."""

    def __init__(self, session: Session):
        from trainer.db.models import Role, TeamCreate, UserCreate
        from trainer.services.accounts import add_member, create_team, create_user
        from trainer.services.rights import SYSTEM

        def user(email: str, name: str, role: Role):
            return create_user(
                session=session, actor=SYSTEM,
                user_create=UserCreate(email=email, full_name=name, role=role, password=PASSWORD),
            )

        self.admin = user("admin@example.nl", "Ada Admin", Role.admin)
        self.mila = user("mila@example.nl", "Mila Manager", Role.manager)
        self.mark = user("mark@example.nl", "Mark Manager", Role.manager)
        self.tom = user("tom@example.nl", "Tom Trainee", Role.trainee)
        self.tess = user("tess@example.nl", "Tess Trainee", Role.trainee)
        self.eva = user("eva@example.nl", "Eva Trainee", Role.trainee)
        self.reizen = create_team(session=session, actor=SYSTEM, team_create=TeamCreate(name="Reizen"))
        self.energie = create_team(session=session, actor=SYSTEM, team_create=TeamCreate(name="Energie"))
        for team, member, manager in [
            (self.reizen, self.mila, True), (self.reizen, self.tom, False), (self.reizen, self.tess, False),
            (self.energie, self.mark, True), (self.energie, self.eva, False),
        ]:
            add_member(session=session, actor=SYSTEM, team_id=team.id, user_id=member.id, as_manager=manager)


@pytest.fixture
def world(session: Session) -> World:
    return World(session)


@pytest.fixture
def olga(session, world):
    """Olga observes team Reizen."""
    from trainer.db.models import Role, UserCreate
    from trainer.services import accounts
    from trainer.services.rights import SYSTEM

    user = accounts.create_user(session=session, actor=SYSTEM, user_create=UserCreate(
        email="olga@example.nl", full_name="Olga Observer", role=Role.observer, password=PASSWORD))
    accounts.add_member(session=session, actor=SYSTEM, team_id=world.reizen.id, user_id=user.id, as_manager=False)
    return user


def make_scorecard(
    dimensions: dict[str, float],
    *,
    medium: str = "twitter",
    critical: int = 0,
    pass_mark: float = 70.0,
    language: str = "nl",
):
    """A scorecard with the given dimension scores (equal weights), shaped like the pipeline's."""
    from scoring.model import DimensionResult, Finding, Scorecard, Severity

    results = {}
    findings = []
    for name, value in dimensions.items():
        dimension_findings = [
            Finding(dimension=name, severity=Severity.critical, rule=f"{name}.critical", span=(0, 4),
                    message="Kritiek punt.", points=0.0)
            for _ in range(critical if name == next(iter(dimensions)) else 0)
        ]
        if value < 100:
            dimension_findings.append(
                Finding(dimension=name, severity=Severity.minor, rule=f"{name}.minor", span=(0, 1),
                        message="Kan beter.", suggestion="Zo.", points=100 - value)
            )
        findings += dimension_findings
        results[name] = DimensionResult(name=name, version=f"{name}.v1", score=value, weight=1.0, findings=dimension_findings)
    total = sum(dimensions.values()) / len(dimensions)
    return Scorecard(
        total=round(total, 1), passed=total >= pass_mark and not critical, pass_mark=pass_mark,
        language=language, medium=medium, dimensions=results, findings=findings,
    )


def scored_reply(session: Session, trainee, *, text: str = "Hallo", dimensions: dict[str, float] | None = None):
    """One attempt of `trainee` with one stored reply; returns the SubmitResult (score_id, ...)."""
    import uuid

    from trainer.db.models import AttemptCreate
    from trainer.services import attempts

    attempt = attempts.start_attempt(session=session, actor=trainee, attempt_create=AttemptCreate(
        scenario_id="s", scenario_version="1", scenario_type="cancellation", medium="twitter"))
    return attempts.submit_reply(session=session, actor=trainee, scorecard=make_scorecard(dimensions or {"tone": 60}),
                                 submission=attempts.ReplySubmission(attempt_id=attempt.id, submission_id=uuid.uuid4(),
                                                                     text=text))


@pytest.fixture(autouse=True)
def fresh_login_throttle(monkeypatch):
    """Each test starts with no failed logins counted in this process."""
    from trainer.services import auth_throttle

    monkeypatch.setattr(auth_throttle, "_PROCESS", auth_throttle.Throttle())

"""Storage basics: settings, engine pragmas, migrations that produce the models' schema."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from pydantic import ValidationError
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError, StatementError
from sqlmodel import Session, SQLModel, select

from trainer.db.engine import make_engine
from trainer.db import migrate
from trainer.db.migrate import current_revision, head_revision, stored_revision, upgrade, upgrade_at_start
from trainer.db.models import Team
from trainer.settings import DEFAULT_DATABASE_URL, DEVELOPMENT_SECRET_KEY, Settings


def test_settings_default_database_is_a_sqlite_file_in_data(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    settings = Settings(_env_file=None)
    assert settings.DATABASE_URL == DEFAULT_DATABASE_URL
    assert settings.DATABASE_URL.startswith("sqlite:///") and "/data/" in settings.DATABASE_URL


def test_settings_any_postgresql_url_is_accepted():
    url = "postgresql+psycopg://u:p@db.internal:5432/webcare"
    assert Settings(_env_file=None, DATABASE_URL=url).DATABASE_URL == url


@pytest.mark.parametrize("environment", ["test", "production"])
def test_settings_default_secret_refused_outside_development(environment):
    with pytest.raises(ValidationError, match="SECRET_KEY"):
        Settings(_env_file=None, ENVIRONMENT=environment)
    with pytest.raises(ValidationError, match="at least 32"):
        Settings(_env_file=None, ENVIRONMENT=environment, SECRET_KEY="short")
    assert Settings(_env_file=None, ENVIRONMENT=environment, SECRET_KEY="x" * 40).SECRET_KEY == "x" * 40


def test_settings_default_secret_allowed_in_development():
    assert Settings(_env_file=None, ENVIRONMENT="development").SECRET_KEY == DEVELOPMENT_SECRET_KEY


def test_engine_sqlite_file_gets_wal_foreign_keys_and_busy_timeout(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'sub' / 'w.db'}")
    with engine.connect() as connection:
        pragma = lambda name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()  # noqa: E731
        assert pragma("journal_mode") == "wal"
        assert pragma("synchronous") == 1  # NORMAL
        assert pragma("foreign_keys") == 1
        assert pragma("busy_timeout") == 5000
    engine.dispose()


def test_engine_stores_aware_utc_datetimes(engine):
    moment = datetime(2026, 3, 1, 12, 30, tzinfo=timezone.utc)
    with Session(engine) as session:
        session.add(Team(name="Reizen", created_at=moment))
        session.commit()
    with Session(engine) as session:
        team = session.exec(select(Team)).one()
        assert team.created_at == moment and team.created_at.tzinfo is not None


def test_engine_refuses_naive_datetimes(engine):
    with Session(engine) as session:
        session.add(Team(name="Naief", created_at=datetime(2026, 3, 1, 12, 30)))
        with pytest.raises(StatementError, match="naive datetime"):
            session.commit()


def test_migrations_from_empty_database_produce_the_models_schema(empty_engine):
    assert current_revision(empty_engine) is None
    upgrade(empty_engine)
    assert current_revision(empty_engine) == head_revision()
    with empty_engine.connect() as connection:
        differences = compare_metadata(
            MigrationContext.configure(connection, opts={"compare_type": True}), SQLModel.metadata
        )
        tables = set(inspect(connection).get_table_names())
    assert differences == []
    assert set(SQLModel.metadata.tables) <= tables


def test_migrations_upgrade_at_start_is_idempotent(empty_engine):
    upgrade_at_start(empty_engine)
    upgrade_at_start(empty_engine)  # already at head: nothing to do, no error
    with empty_engine.connect() as connection:
        versions = connection.execute(text("SELECT version_num FROM alembic_version")).all()
    assert [v for (v,) in versions] == [head_revision()]


def test_migrations_upgrade_at_start_brings_an_older_database_to_head(empty_engine):
    upgrade(empty_engine, "0002")
    assert stored_revision(empty_engine) == "0002"
    upgrade_at_start(empty_engine)
    assert stored_revision(empty_engine) == current_revision(empty_engine) == head_revision()


def test_migrations_declared_head_is_alembics_head_without_importing_alembic():
    assert migrate.declared_head() == head_revision() is not None


def test_migrations_declared_head_leaves_what_it_cannot_read_to_alembic(tmp_path, monkeypatch):
    versions = tmp_path / "versions"
    versions.mkdir()
    (versions / "0001_a.py").write_text("revision = '0001'\ndown_revision = None\n")
    (versions / "0002_b.py").write_text("revision: str = '0002'\ndown_revision: str | None = '0001'\n")
    monkeypatch.setattr(migrate, "MIGRATIONS", tmp_path)
    assert migrate.declared_head() == "0002"
    (versions / "0003_c.py").write_text("revision = '0003'\ndown_revision = '0001'\n")  # a second head
    assert migrate.declared_head() is None
    (versions / "0003_c.py").write_text("revision = make_id()\ndown_revision = '0002'\n")
    assert migrate.declared_head() is None


def test_migrations_stored_revision_of_a_new_database_is_none(empty_engine):
    assert stored_revision(empty_engine) is None


def test_migrations_foreign_keys_are_enforced(empty_engine):
    upgrade(empty_engine)
    with empty_engine.connect() as connection:
        with pytest.raises(IntegrityError, match="(?i)foreign key"):
            connection.execute(
                text(
                    "INSERT INTO team_membership (team_id, user_id, is_manager, added_at) "
                    "VALUES (999, 999, false, CURRENT_TIMESTAMP)"
                )
            )
            connection.commit()


def test_migrations_0002_fills_dimension_score_owner_and_time_from_existing_scores(empty_engine):
    upgrade(empty_engine, "0001")
    with empty_engine.begin() as connection:
        for statement in [
            'INSERT INTO "user" (id, email, full_name, role, language, hashed_password, is_active, created_at, failed_logins) '
            "VALUES (7, 't@example.nl', 'T', 'trainee', 'nl', 'x', true, :at, 0)",
            "INSERT INTO attempt (id, user_id, scenario_id, scenario_version, scenario_type, medium, language, seed, started_at, outcome) "
            "VALUES (1, 7, 's', '1', 'cancellation', 'twitter', 'nl', 0, :at, 'resolved')",
            "INSERT INTO turn (id, attempt_id, speaker, text, created_at) VALUES (1, 1, 'trainee', 'Hoi', :at)",
            "INSERT INTO score (id, turn_id, attempt_id, user_id, total, passed, pass_mark, language, medium, critical_findings, scored_at, scorecard) "
            "VALUES (1, 1, 1, 7, 80, true, 70, 'nl', 'twitter', 0, :at, '{}')",
            "INSERT INTO dimension_score (id, score_id, name, version, score, weight, checked) VALUES (1, 1, 'tone', 'tone.v1', 80, 1, true)",
        ]:
            connection.execute(text(statement), {"at": datetime(2026, 10, 1, 10, tzinfo=timezone.utc)} if ":at" in statement else {})
    upgrade(empty_engine)
    with Session(empty_engine) as session:
        from trainer.db.models import DimensionScore

        row = session.get(DimensionScore, 1)
        assert row.user_id == 7 and row.scored_at == datetime(2026, 10, 1, 10, tzinfo=timezone.utc)


def test_migrations_0004_moves_typing_results_out_of_the_audit_log(empty_engine):
    upgrade(empty_engine, "0003")
    at = datetime(2026, 11, 20, 9, tzinfo=timezone.utc)
    details = ('{"language": "nl", "sentence_ids": ["a", "b"], "target_chars": 120, "typed_chars": 118, '
               '"seconds": 60.0, "chars_per_minute": 118.0, "char_errors": 3, "word_errors": 1, "accuracy": 0.975}')
    with empty_engine.begin() as connection:
        connection.execute(text(
            'INSERT INTO "user" (id, email, full_name, role, language, hashed_password, is_active, created_at, failed_logins) '
            "VALUES (7, 't@example.nl', 'T', 'trainee', 'nl', 'x', true, :at, 0)"), {"at": at})
        for id_, action, reason, body in [(1, "typing_test.result", "typing test", details),
                                          (2, "user.create", "demo", "{}")]:
            connection.execute(text(
                "INSERT INTO audit_log (id, at, actor_id, actor_label, action, target_type, target_id, reason, details) "
                "VALUES (:id, :at, 7, 't@example.nl', :action, 'user', '7', :reason, :details)"),
                {"id": id_, "at": at, "action": action, "reason": reason, "details": body})
    upgrade(empty_engine)
    with Session(empty_engine) as session:
        from trainer.db.models import AuditEntry, TypingResultRecord

        moved = session.exec(select(TypingResultRecord)).one()
        assert (moved.user_id, moved.at, moved.sentence_ids, moved.typed_chars, moved.accuracy) == (7, at, ["a", "b"], 118, 0.975)
        assert [e.action for e in session.exec(select(AuditEntry)).all()] == ["user.create"]
        # The typing service reads the moved result as one it stored itself.
        from trainer.services import typing_test
        from trainer.services.rights import SYSTEM

        [read] = typing_test.list_results(session=session, actor=SYSTEM, trainee_id=7)
        assert (read.at, read.sentence_ids, read.typed_chars, read.chars_per_minute) == (at, ("a", "b"), 118, 118.0)


def test_migrations_0009_gives_turns_a_mood_and_keeps_the_old_ones(empty_engine):
    upgrade(empty_engine, "0008")
    at = datetime(2026, 12, 1, 9, tzinfo=timezone.utc)
    with empty_engine.begin() as connection:
        connection.execute(text(
            'INSERT INTO "user" (id, email, full_name, role, language, hashed_password, is_active, created_at, failed_logins, '
            "must_change_password) VALUES (7, 't@example.nl', 'T', 'trainee', 'nl', 'x', true, :at, 0, false)"), {"at": at})
        connection.execute(text(
            "INSERT INTO attempt (id, user_id, scenario_id, scenario_version, scenario_type, medium, language, seed, "
            "started_at, outcome) VALUES (3, 7, 's', '1', 'angry_customer', 'twitter', 'nl', 0, :at, 'in_progress')"),
            {"at": at})
        connection.execute(text("INSERT INTO turn (attempt_id, speaker, text, created_at) "
                                "VALUES (3, 'customer', 'Schandalig!', :at)"), {"at": at})
    upgrade(empty_engine)
    with Session(empty_engine) as session:
        from trainer.db.models import Turn

        old = session.exec(select(Turn)).one()
        assert old.mood is None and old.text == "Schandalig!"
        session.add(Turn(attempt_id=3, speaker="customer", text="Dank je!", mood=0.625, created_at=at))
        session.commit()
        assert [t.mood for t in session.exec(select(Turn).order_by(Turn.id)).all()] == [None, 0.625]
    with empty_engine.begin() as connection:
        from alembic import command

        command.downgrade(migrate.alembic_config(connection=connection), "0008")
    with empty_engine.connect() as connection:
        assert "mood" not in {c["name"] for c in inspect(connection).get_columns("turn")}

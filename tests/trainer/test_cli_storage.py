"""The storage commands of `webcare`, the CSV export and the demo seed."""

from __future__ import annotations

import csv
import io
import uuid

import pytest

import scenarios
from sqlmodel import select

from scoring.registry import registered
from trainer.cli import main
from trainer.db.migrate import head_revision
from trainer.db.models import AttemptCreate, AuditEntry, User
from trainer.services import attempts, export, progress
from trainer.services.attempts import ReplySubmission
from trainer.services.demo import seed_demo
from trainer.services.rights import PermissionDenied
from trainer.settings import get_settings

from .conftest import make_scorecard


def _scored_reply(session, trainee, medium="twitter"):
    attempt = attempts.start_attempt(session=session, actor=trainee, attempt_create=AttemptCreate(
        scenario_id="s", scenario_version="2", scenario_type="cancellation", medium=medium))
    attempts.submit_reply(session=session, actor=trainee, scorecard=make_scorecard({"tone": 60, "privacy": 90}),
                          submission=ReplySubmission(attempt_id=attempt.id, submission_id=uuid.uuid4(), text="Hoi!"))
    return attempt


def test_export_one_row_per_reply_limited_to_what_the_actor_may_see(session, world):
    _scored_reply(session, world.tom)
    _scored_reply(session, world.eva, medium="email")
    everything = list(export.attempt_rows(session=session, actor=world.admin))
    assert [r["trainee_email"] for r in everything] == ["tom@example.nl", "eva@example.nl"]
    assert (everything[0]["tone_score"], everything[0]["privacy_score"], everything[0]["spelling_score"]) == (60, 90, "")
    assert everything[0]["tone_version"] == "tone.v1" and everything[1]["medium"] == "email"
    assert [r["trainee_email"] for r in export.attempt_rows(session=session, actor=world.mila)] == ["tom@example.nl"]
    assert list(export.attempt_rows(session=session, actor=world.mila, team_id=world.energie.id)) == []
    with pytest.raises(PermissionDenied):
        list(export.attempt_rows(session=session, actor=world.tom))
    stream = io.StringIO()
    assert export.write_csv(export.attempt_rows(session=session, actor=world.admin), stream) == 2
    rows = list(csv.DictReader(io.StringIO(stream.getvalue())))
    assert list(rows[0]) == export.COLUMNS and rows[1]["outcome"] == "in_progress"


def test_demo_seed_builds_a_team_with_weeks_of_history(session):
    result = seed_demo(session=session, trainees=3, weeks=2, seed=3)
    assert len(result.trainees) == 3 and result.attempts > 0 and result.replies >= result.attempts
    overview = progress.team_overview(session=session, actor=result.manager, team_id=result.team.id)
    assert len(overview.members) == 3 and all(m.replies > 0 for m in overview.members)
    star = progress.trainee_progress(session=session, actor=result.manager, trainee_id=result.trainees[0].id)
    assert star.over_time and star.skills and star.weakest_dimension
    assert result.manager.email == "manager@demo.example"
    assert result.trainees[0].email == "trainee@demo.example"
    # The history is played through the real scenarios and scorer, not invented.
    attempt = attempts.list_attempts(session=session, actor=result.manager, trainee_id=result.trainees[0].id)[0]
    detail = attempts.attempt_detail(session=session, actor=result.manager, attempt_id=attempt.id)
    assert scenarios.get_scenario(detail.attempt.scenario_id).language == "nl"
    scored = next(t for t in detail.turns if t.score is not None)
    current = registered()
    assert {d.version for d in scored.dimensions} >= {current[name].versioned_name for name in ("tone", "privacy", "substance")}
    again = seed_demo(session=session, trainees=1, weeks=1, seed=3)
    assert again.team.name != result.team.name  # seeding twice adds a second team, never clashes
    assert again.manager.email != "manager@demo.example"


@pytest.fixture
def cli_database(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    get_settings.cache_clear()
    yield tmp_path / "cli.db"
    get_settings.cache_clear()


def test_cli_db_upgrade_then_status(cli_database, capsys):
    assert main(["db", "status"]) == 1
    assert main(["db", "upgrade"]) == 0
    assert main(["db", "status"]) == 0
    out = capsys.readouterr().out
    head = head_revision()
    assert f"empty -> {head}" in out and f"at {head}, newest is {head}" in out


def test_cli_users_and_teams(cli_database, capsys, monkeypatch):
    assert main(["user", "add", "ada@example.nl", "--name", "Ada Admin", "--role", "admin"]) == 0
    assert "password (shown once): " in capsys.readouterr().out
    monkeypatch.setattr("sys.stdin", io.StringIO("een lang wachtwoord\n"))
    assert main(["user", "add", "mila@example.nl", "--name", "Mila Manager", "--role", "manager", "--password-stdin"]) == 0
    assert main(["user", "add", "tom@example.nl", "--name", "Tom Trainee"]) == 0
    assert main(["user", "add", "TOM@example.nl", "--name", "Tom Twee"]) == 2
    assert capsys.readouterr().err == "webcare user: error: A user with e-mail address tom@example.nl already exists.\n"
    assert main(["team", "add", "Reizen", "--manager", "mila@example.nl", "--member", "tom@example.nl"]) == 0
    assert main(["team", "add", "Energie", "--manager", "tom@example.nl"]) == 2  # tom is no manager
    assert "manager role first" in capsys.readouterr().err
    assert main(["user", "disable", "tom@example.nl", "--reason", "uit dienst"]) == 0
    assert main(["user", "role", "mila@example.nl", "admin", "--reason", "nieuwe functie"]) == 0
    capsys.readouterr()
    assert main(["user", "list"]) == 0
    listing = capsys.readouterr().out
    assert "mila@example.nl" in listing and "tom@example.nl" not in listing
    assert main(["user", "list", "--all"]) == 0
    assert "[disabled]" in capsys.readouterr().out

    # The same texts the screens show, in the command line's English and without Markdown escapes.
    assert main(["user", "disable", "no_one@example.nl", "--reason", "test"]) == 2
    assert capsys.readouterr().err == "webcare user: error: There is no user with e-mail address no_one@example.nl.\n"
    assert main(["user", "role", "mila@example.nl", "trainee", "--reason", " "]) == 2
    assert capsys.readouterr().err == "webcare user: error: Give a reason: this change goes into the audit log.\n"

    from trainer.db.engine import get_engine, session_scope

    with session_scope(get_engine()) as session:
        assert session.exec(select(User).where(User.email == "mila@example.nl")).one().hashed_password.startswith("$argon2")
        actions = session.exec(select(AuditEntry.action, AuditEntry.actor_label)).all()
    assert ("user.disable", "system:command-line") in actions and ("user.role_change", "system:command-line") in actions


def test_cli_demo_export_and_certificate(cli_database, capsys, tmp_path):
    assert main(["demo", "seed", "--trainees", "2", "--weeks", "2", "--seed", "5"]) == 0
    assert "every demo account has the password" in capsys.readouterr().out
    assert main(["export", "attempts", "--format", "csv", "--output", str(tmp_path / "out.csv")]) == 0
    rows = list(csv.DictReader((tmp_path / "out.csv").open(encoding="utf-8")))
    assert rows and set(rows[0]) == set(export.COLUMNS)
    assert main(["export", "attempts", "--team", "Bestaat Niet"]) == 2
    assert main(["certificate", "verify", "WT-AAAA-BBBB-CCCC"]) == 1
    assert "unknown code" in capsys.readouterr().out
    assert main(["certificate", "pdf", "999", "--output", str(tmp_path / "c.pdf")]) == 2


@pytest.mark.parametrize(("language", "granted", "expires"), [
    ("nl", "7 december 2026", "7 december 2027"), ("en", "7 December 2026", "7 December 2027")])
def test_cli_certificate_verify_prints_dates_as_the_certificate_does(cli_database, capsys, language, granted, expires):
    from datetime import datetime, timezone

    from trainer.db.engine import get_engine, session_scope
    from trainer.db.models import Certification, Role, UserCreate
    from trainer.services import accounts
    from trainer.services.rights import SYSTEM

    assert main(["db", "upgrade"]) == 0
    with session_scope(get_engine()) as session:
        people = [accounts.create_user(session=session, actor=SYSTEM, user_create=UserCreate(
            email=email, full_name=name, role=role, password="een-lang-wachtwoord"))
            for email, name, role in [("tess@example.nl", "Tess Trainee", Role.trainee),
                                      ("mila@example.nl", "Mila Manager", Role.manager)]]
        session.add(Certification(user_id=people[0].id, level="basic_webcare", granted_by_id=people[1].id, comment="goed",
                                  granted_at=datetime(2026, 12, 7, 10, tzinfo=timezone.utc),
                                  expires_at=datetime(2027, 12, 7, 10, tzinfo=timezone.utc),
                                  verification_code="WT-AAAA-BBBB-CCCC"))
        session.commit()
    capsys.readouterr()
    main(["certificate", "verify", "WT-AAAA-BBBB-CCCC", "--lang", language])
    out = capsys.readouterr().out
    assert f"granted:   {granted} by Mila Manager" in out and f"expires:   {expires}" in out


@pytest.mark.parametrize(("language", "expected"), [
    ("nl", ["Eén oefening zonder activiteit in de laatste 24 uur is gesloten als gestopt.",
            "0 oefeningen zonder activiteit in de laatste 24 uur zijn gesloten als gestopt."]),
    ("en", ["One attempt without activity in the last 24 hours was closed as abandoned.",
            "0 attempts without activity in the last 24 hours were closed as abandoned."])])
def test_cli_attempts_close_stale_says_how_many_in_the_users_language(cli_database, capsys, language, expected):
    from datetime import timedelta

    from sqlalchemy import update

    from trainer.db.engine import get_engine, session_scope
    from trainer.db.models import Attempt, AttemptOutcome, Role, UserCreate
    from trainer.db.types import utcnow
    from trainer.services import accounts
    from trainer.services.rights import SYSTEM

    assert main(["db", "upgrade"]) == 0
    with session_scope(get_engine()) as session:
        tess = accounts.create_user(session=session, actor=SYSTEM, user_create=UserCreate(
            email="tess@example.nl", full_name="Tess Trainee", role=Role.trainee, password="een-lang-wachtwoord"))
        left = _scored_reply(session, tess)
        session.execute(update(Attempt).where(Attempt.id == left.id).values(started_at=utcnow() - timedelta(days=3)))
        session.execute(update(attempts.Turn).where(attempts.Turn.attempt_id == left.id)
                        .values(created_at=utcnow() - timedelta(days=3)))
        session.commit()
    capsys.readouterr()
    assert main(["attempts", "close-stale", "--lang", language]) == 0
    assert main(["attempts", "close-stale", "--lang", language]) == 0  # nothing left to close
    assert capsys.readouterr().out.splitlines() == expected
    with session_scope(get_engine()) as session:
        assert session.get(Attempt, left.id).outcome == AttemptOutcome.abandoned

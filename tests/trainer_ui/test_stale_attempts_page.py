"""A conversation the trainee never came back to does not show as open for ever: the app's
sweep (at start, on the team page) closes it as abandoned, and the team page says so."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import update
from sqlmodel import select

from tests.trainer_ui.conftest import logged_in_app
from trainer.db.engine import session_scope
from trainer.db.models import Attempt, AttemptCreate, AttemptOutcome, AuditEntry, Turn, User
from trainer.db.types import utcnow
from trainer.services import attempts, stale_attempts
from tests.trainer.conftest import make_scorecard


def left_open(email: str, *, hours_ago: float) -> int:
    """A conversation with one scored reply, all of it stored `hours_ago`, never finished."""
    with session_scope() as session:
        trainee = session.exec(select(User).where(User.email == email)).one()
        attempt = attempts.start_attempt(session=session, actor=trainee, attempt_create=AttemptCreate(
            scenario_id="nl-vlucht-geannuleerd-schiphol", scenario_version="1", scenario_type="cancellation",
            medium="twitter"))
        attempts.record_customer_turn(session=session, actor=trainee, attempt_id=attempt.id, text="Mijn vlucht is weg!")
        attempts.submit_reply(session=session, actor=trainee, scorecard=make_scorecard({"tone": 80}),
                              submission=attempts.ReplySubmission(attempt_id=attempt.id, submission_id=uuid.uuid4(),
                                                                  text="Hoi, ik zoek het voor je uit."))
        then = utcnow() - timedelta(hours=hours_ago)
        session.execute(update(Attempt).where(Attempt.id == attempt.id).values(started_at=then))
        session.execute(update(Turn).where(Turn.attempt_id == attempt.id).values(created_at=then))
        session.commit()
        return attempt.id


def sweeps() -> list[tuple[str, str]]:
    with session_scope() as session:
        return [(e.target_id, e.details["trigger"]) for e in session.exec(
            select(AuditEntry).where(AuditEntry.action == stale_attempts.AUDIT_ACTION))]


def test_stale_attempts_page_the_team_page_shows_a_forgotten_conversation_closed(app_db, monkeypatch):
    stale = left_open(app_db.trainee, hours_ago=40)
    fresh = left_open(app_db.trainee, hours_ago=1)
    at = logged_in_app(app_db.manager)
    monkeypatch.setattr(stale_attempts, "_PROCESS", stale_attempts.Schedule())  # the sweep is due again
    at.switch_page("pages/team.py").run()
    assert not at.exception, at.exception
    assert at.header[0].value == "Tess Trainee"
    history = at.dataframe[1].value
    assert dict(zip(history["#"], history["Afloop"])) == {stale: "gestopt", fresh: "bezig"}
    assert sweeps() == [(str(stale), "team-page")]
    # Another manager opening the page at once finds nothing due: one sweep per interval per process.
    again = logged_in_app(app_db.manager, "pages/team.py")
    assert not again.exception, again.exception
    assert sweeps() == [(str(stale), "team-page")]


def test_stale_attempts_page_the_app_sweeps_when_it_starts(app_db, stale_sweep_due):
    stale = left_open(app_db.other_trainee, hours_ago=30)
    at = logged_in_app(app_db.trainee)
    assert not at.exception, at.exception
    with session_scope() as session:
        assert session.get(Attempt, stale).outcome == AttemptOutcome.abandoned
    assert sweeps() == [(str(stale), "app-start")]

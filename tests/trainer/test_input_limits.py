"""Size limits where text enters: a clear refusal naming the limit, nothing stored."""

from __future__ import annotations

import uuid

import pytest
from pydantic import ValidationError
from sqlalchemy import func
from sqlmodel import select

from scoring import ReplyRejected
from trainer.db.models import AttemptCreate, Review, Role, ScoreOverride, TeamCreate, Turn, UserCreate
from trainer.services import attempts, quick_score, reviews
from trainer.services.limits import InputTooLong, limits

from .conftest import make_scorecard, scored_reply


def test_input_limits_reply_over_the_limit_is_not_stored(session, world):
    attempt = attempts.start_attempt(session=session, actor=world.tom, attempt_create=AttemptCreate(
        scenario_id="s", scenario_version="1", scenario_type="cancellation", medium="email"))
    with pytest.raises(InputTooLong) as refused:
        attempts.submit_reply(session=session, actor=world.tom, scorecard=make_scorecard({"tone": 80}),
                              submission=attempts.ReplySubmission(attempt_id=attempt.id, submission_id=uuid.uuid4(),
                                                                  text="Beste klant, " * 1000))
    assert isinstance(refused.value, ReplyRejected)  # shown wherever a refused reply is shown
    assert "13,000" in str(refused.value) and f"{limits().reply_chars:,}" in str(refused.value)
    assert session.exec(select(func.count()).select_from(Turn)).one() == 0


@pytest.mark.parametrize("field, value", [
    ("customer", "Mijn pakket is nog steeds niet bezorgd!! " * 100),
    ("customer_name", "Jansen" * 50),
    ("reply", "Sorry to hear that. " * 400),
])
def test_input_limits_quick_score_refuses_before_scoring(field, value, offline_checker):
    entry = {"language": "en", "medium": "twitter", "customer": "Where is my parcel?", "customer_name": "Sam",
             "reply": "Sorry Sam, I'll check it for you now. ^Jo", "seconds": 30, field: value}
    with pytest.raises(InputTooLong):
        quick_score.score(**entry, checker=offline_checker)


def test_input_limits_quick_score_scores_what_fits(offline_checker):
    card = quick_score.score(language="nl", medium="twitter", customer="Waar blijft mijn bestelling?",
                             customer_name="Daan", reply="Hoi Daan, vervelend! Ik zoek het voor je uit. ^Joris",
                             seconds=40, checker=offline_checker)
    assert 0 <= card.total <= 100


def test_input_limits_manager_comments_and_overrides(session, world):
    stored = scored_reply(session, world.tom)
    long_comment = "Let op je toon. " * 500
    with pytest.raises(InputTooLong):
        reviews.add_review(session=session, actor=world.mila, score_id=stored.score_id, comment=long_comment)
    with pytest.raises(InputTooLong):
        reviews.override_score(session=session, actor=world.mila, score_id=stored.score_id, override=50, reason=long_comment)
    assert session.exec(select(func.count()).select_from(Review)).one() == 0
    assert session.exec(select(func.count()).select_from(ScoreOverride)).one() == 0


def test_input_limits_names():
    too_long = "Anna " * 50
    with pytest.raises(ValidationError):
        UserCreate(email="anna@example.nl", full_name=too_long, role=Role.trainee, password="correct horse battery")
    with pytest.raises(ValidationError):
        TeamCreate(name=too_long)

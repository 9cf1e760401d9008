"""Size limits where text enters: a clear refusal naming the limit, nothing stored."""

from __future__ import annotations

import uuid
from datetime import datetime, timezone

import pytest
from pydantic import ValidationError
from sqlalchemy import func
from sqlmodel import select

from scoring import ReplyRejected
from trainer.db.models import (
    AttemptCreate, AuditEntry, LoginSession, Review, Role, ScoreOverride, TeamCreate, TeamMembership, Turn, User, UserCreate,
)
from trainer.services import accounts, attempts, knowledge, quick_score, reviews, typing_test
from trainer.services.limits import InputTooLong, limits
from trainer.services.rights import SYSTEM

from .conftest import PASSWORD, make_scorecard, scored_reply


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


def _count(session, model) -> int:
    return session.exec(select(func.count()).select_from(model)).one()


def _over(what: str) -> str:
    return "x" * (limits().of(what) + 1)


@pytest.mark.parametrize("email, password, what", [
    (_over("email") + "@example.nl", PASSWORD, "email"),
    ("tom@example.nl", _over("password"), "password"),
])
def test_input_limits_login_refuses_before_counting_or_hashing(session, world, email, password, what):
    audited = _count(session, AuditEntry)
    with pytest.raises(InputTooLong) as refused:
        accounts.login(session=session, email=email, password=password, client="127.0.0.9")
    assert refused.value.what == what
    tom = session.get(User, world.tom.id)
    session.refresh(tom)
    assert tom.failed_logins == 0 and tom.locked_until is None
    assert _count(session, LoginSession) == 0 and _count(session, AuditEntry) == audited


def test_input_limits_change_password_keeps_the_old_one(session, world):
    before = session.get(User, world.tom.id).hashed_password
    for current, new in [(_over("password"), "a-much-better-passphrase"), (PASSWORD, _over("password"))]:
        with pytest.raises(InputTooLong):
            accounts.change_password(session=session, actor=world.tom, current_password=current, new_password=new)
    session.expire_all()
    assert session.get(User, world.tom.id).hashed_password == before
    assert accounts.login(session=session, email="tom@example.nl", password=PASSWORD).token


def test_input_limits_admin_reasons_store_nothing(session, world):
    reason = _over("comment")
    audited, members = _count(session, AuditEntry), _count(session, TeamMembership)
    calls = [
        lambda: accounts.set_role(session=session, actor=world.admin, user_id=world.tom.id, role=Role.manager,
                                  reason=reason),
        lambda: accounts.disable_user(session=session, actor=world.admin, user_id=world.tom.id, reason=reason),
        lambda: accounts.reset_password(session=session, actor=world.admin, user_id=world.tom.id, reason=reason),
        lambda: accounts.remove_member(session=session, actor=world.admin, team_id=world.reizen.id,
                                       user_id=world.tom.id, reason=reason),
        lambda: accounts.add_member(session=session, actor=world.admin, team_id=world.energie.id,
                                    user_id=world.tom.id, reason=reason),
    ]
    for call in calls:
        with pytest.raises(InputTooLong) as refused:
            call()
        assert refused.value.what == "comment"
    session.expire_all()
    tom = session.get(User, world.tom.id)
    assert tom.role == Role.trainee and tom.is_active and not tom.must_change_password
    assert _count(session, AuditEntry) == audited and _count(session, TeamMembership) == members


def test_input_limits_admin_names_store_nothing(session, world):
    users = _count(session, User)
    name = ("Anna " * 100)[:limits().name_chars + 5]  # over our limit, within what the model takes
    with pytest.raises(InputTooLong) as refused:
        accounts.create_user(session=session, actor=world.admin, user_create=UserCreate(
            email="anna@example.nl", full_name=name, role=Role.trainee, password=PASSWORD))
    assert refused.value.what == "name"
    assert _count(session, User) == users


def test_input_limits_typing_box_is_refused_before_it_is_measured():
    test = typing_test.new_test("nl", datetime(2026, 12, 1, 9, 0, tzinfo=timezone.utc))
    with pytest.raises(InputTooLong) as refused:
        typing_test.measure(test, _over("typed"), datetime(2026, 12, 1, 9, 1, tzinfo=timezone.utc))
    assert refused.value.what == "typed"


def test_input_limits_knowledge_search():
    with pytest.raises(InputTooLong) as refused:
        knowledge.search(_over("search"), "nl")
    assert refused.value.what == "search"
    assert knowledge.search("geannuleerde vlucht", "nl")

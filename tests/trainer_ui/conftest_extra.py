"""Extra app fixtures for the progress, team, admin and typing pages: real scored history
(replies scored by the real pipeline, grammar checking off) and a second team, so a manager's
reach can be tested. Import the fixtures into a test module to use them."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path
from datetime import timedelta

import pytest
from sqlmodel import select

from scoring.model import ReplyContext
from scoring.pipeline import score_reply
from trainer.db.engine import session_scope
from trainer.db.models import AttemptCreate, AttemptOutcome, Role, TeamCreate, User, UserCreate
from trainer.db.types import utcnow
from trainer.services import accounts, attempts
from trainer.services.attempts import ReplySubmission
from trainer.services.rights import SYSTEM
from tests.trainer_ui.conftest import PASSWORD

CUSTOMER = "@SkyNL Mijn vlucht naar Rome is geannuleerd en niemand neemt op. Schandalig!"
GOOD = "Hoi Sanne, wat vervelend dat je vlucht is geannuleerd! Ik zoek het direct voor je uit. Stuur je me een DM met je boekingscode? ^Lisa"
POOR = "Stuur je adres en je IBAN hier maar, dan kijken we ernaar."

# (medium, scenario type, reply, outcome): three conversations of the trainee's history.
HISTORY = [
    ("twitter", "cancellation", GOOD, AttemptOutcome.resolved),
    ("whatsapp", "angry_customer", GOOD, AttemptOutcome.moved_private),
    ("facebook_comment", "angry_customer", POOR, AttemptOutcome.lost),
]


def user_id(email: str) -> int:
    with session_scope() as session:
        return session.exec(select(User.id).where(User.email == email)).one()


def play_history(email: str, checker, history=HISTORY) -> list[int]:
    """Store conversations for `email` through the services the practise page uses; returns
    the attempt ids."""
    ids = []
    with session_scope() as session:
        trainee = session.exec(select(User).where(User.email == email)).one()
        for number, (medium, scenario_type, reply, outcome) in enumerate(history):
            started = utcnow() - timedelta(days=2 * (len(history) - number))
            attempt = attempts.start_attempt(session=session, actor=trainee, started_at=started, attempt_create=AttemptCreate(
                scenario_id=f"test-{scenario_type}", scenario_version="1", scenario_type=scenario_type, medium=medium))
            shown = started + timedelta(seconds=5)
            attempts.record_customer_turn(session=session, actor=trainee, attempt_id=attempt.id, text=CUSTOMER, shown_at=shown)
            context = ReplyContext(language="nl", medium=medium, customer_messages=[CUSTOMER], customer_name="Sanne",
                                   seconds_to_reply=60)
            card = score_reply(reply, context, checker=checker)
            attempts.submit_reply(session=session, actor=trainee, scorecard=card, submission=ReplySubmission(
                attempt_id=attempt.id, submission_id=uuid.uuid4(), text=reply, shown_at=shown,
                sent_at=shown + timedelta(seconds=60)))
            attempts.finish_attempt(session=session, actor=trainee, attempt_id=attempt.id, outcome=outcome,
                                    finished_at=shown + timedelta(seconds=90))
            ids.append(attempt.id)
    return ids


@pytest.fixture
def scored_history(app_db, offline_checker) -> list[int]:
    """The fixture trainee's three scored conversations (attempt ids, oldest first)."""
    return play_history(app_db.trainee, offline_checker)


@dataclass
class OtherTeam:
    team_id: int
    manager: str = "manager.noord@example.nl"
    trainee: str = "trainee.noord@example.nl"
    name: str = "Webcare Noord"


@pytest.fixture
def second_team(app_db, offline_checker) -> OtherTeam:
    """A second team with its own manager and a trainee who has one scored conversation."""
    other = OtherTeam(team_id=0)
    with session_scope() as session:
        team = accounts.create_team(session=session, actor=SYSTEM, team_create=TeamCreate(name=other.name))
        other.team_id = team.id
        for email, role, name in [(other.manager, Role.manager, "Noor Noord"), (other.trainee, Role.trainee, "Nina Noord")]:
            user = accounts.create_user(session=session, actor=SYSTEM, user_create=UserCreate(
                email=email, full_name=name, role=role, password=PASSWORD))
            accounts.add_member(session=session, actor=SYSTEM, team_id=team.id, user_id=user.id,
                                as_manager=role is Role.manager)
    play_history(other.trainee, offline_checker, HISTORY[:1])
    return other


# Three good conversations on every medium and type basic_webcare asks for.
ELIGIBLE_HISTORY = [
    ("twitter", "cancellation", GOOD, AttemptOutcome.resolved),
    ("whatsapp", "angry_customer", GOOD, AttemptOutcome.moved_private),
    ("facebook_comment", "angry_customer", GOOD, AttemptOutcome.resolved),
]


@pytest.fixture
def eligible_history(app_db, grammar_checker) -> list[int]:
    """The fixture trainee's history that meets basic_webcare (spelling checked by LanguageTool)."""
    return play_history(app_db.trainee, grammar_checker, ELIGIBLE_HISTORY)


def opened_directly(email: str, page: str):
    """A logged-in browser session that runs a page file directly, bypassing the menu (as a
    user typing the page's address would): the page and its services must refuse on their own."""
    from streamlit.testing.v1 import AppTest

    from tests.trainer_ui.conftest import APP

    with session_scope() as session:
        token = accounts.login(session=session, email=email, password=PASSWORD).token
    at = AppTest.from_file(str(Path(APP).parent / page), default_timeout=90)
    at.session_state["login_token"] = token
    return at.run()


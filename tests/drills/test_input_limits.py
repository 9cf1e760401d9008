"""Size limits where drill input enters: a clear refusal, nothing stored."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import func
from sqlmodel import select

from tests.drills.conftest import at
from trainer.db.drill_models import DrillMessage
from trainer.db.models import Attempt, Turn
from trainer.services import drills
from trainer.services.limits import InputTooLong, limits


def _stored(session) -> tuple[int, int, int]:
    count = lambda model: session.exec(select(func.count()).select_from(model)).one()  # noqa: E731
    return count(DrillMessage), count(Turn), count(Attempt)


@pytest.mark.parametrize("length", [limits().reply_chars + 1, 20_001, 50_000])
def test_drill_reply_over_the_limit_is_refused_and_nothing_stored(session, world, storm, offline_checker, length):
    drills.advance(session=session, actor=world.mila, run_id=storm.id, now=at(60))
    target = drills.inbox(session=session, actor=world.tom, run_id=storm.id, now=at(60))[0]
    drills.claim(session=session, actor=world.tom, conversation_id=target.id, now=at(61))
    before = _stored(session)
    with pytest.raises(InputTooLong) as refused:
        drills.send_reply(session=session, actor=world.tom, conversation_id=target.id, text="Sorry! " * (length // 7 + 1),
                          submission_id=uuid.uuid4(), checker=offline_checker, now=at(70))
    assert refused.value.limit == limits().reply_chars and refused.value.what == "reply"
    assert _stored(session) == before


def test_drill_manager_customer_message_and_inject_title_over_the_limit(session, world, storm):
    drills.advance(session=session, actor=world.mila, run_id=storm.id, now=at(60))
    target = drills.inbox(session=session, actor=world.mila, run_id=storm.id, now=at(60))[0]
    before = _stored(session)
    with pytest.raises(InputTooLong):
        drills.speak_as_customer(session=session, actor=world.mila, conversation_id=target.id,
                                 text="Waar blijft mijn antwoord? " * 1000, now=at(65))
    with pytest.raises(InputTooLong):
        drills.inject(session=session, actor=world.mila, run_id=storm.id, scenario_id="nl-air-bagage-kwijt",
                      medium="twitter", title="Kop " * 200, now=at(66))
    assert _stored(session) == before

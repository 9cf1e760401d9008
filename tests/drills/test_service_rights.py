"""Drill services check rights first and compute what they store: no reading another trainee's
stored reply by its submission id, no playing a drill one may not see, no drill credit from a
caller-supplied drill id or scorecard."""

from __future__ import annotations

import inspect
import uuid

import pytest

from tests.drills.conftest import at
from trainer.db.models import AttemptCreate
from trainer.services import attempts, drills
from trainer.services.certification import _group_drills
from trainer.services.rights import PermissionDenied

REPLY = "Wat vervelend dat je koffer zoek is! Ik zoek het direct voor je uit. Stuur je je bagagenummer via DM? ^Tom"


def _tom_replies(session, world, storm, offline_checker) -> tuple[uuid.UUID, int]:
    drills.advance(session=session, actor=world.tom, run_id=storm.id, now=at(60))
    target = drills.inbox(session=session, actor=world.tom, run_id=storm.id, now=at(60))[0]
    drills.claim(session=session, actor=world.tom, conversation_id=target.id, now=at(61))
    submission = uuid.uuid4()
    drills.send_reply(session=session, actor=world.tom, conversation_id=target.id, text=REPLY,
                      submission_id=submission, checker=offline_checker, now=at(70))
    return submission, target.id


@pytest.mark.parametrize("who", ["tess", "eva", "mila"])
def test_drill_stored_reply_is_not_returned_to_anyone_else(session, world, storm, offline_checker, who):
    submission, conversation_id = _tom_replies(session, world, storm, offline_checker)
    with pytest.raises((PermissionDenied, drills.NotYours)):
        drills.send_reply(session=session, actor=getattr(world, who), conversation_id=conversation_id, text=REPLY,
                          submission_id=submission, checker=offline_checker, now=at(71))


def test_drill_advance_checks_the_user(session, world, storm):
    for outsider in (world.eva, world.mark):
        with pytest.raises(PermissionDenied):
            drills.advance(session=session, actor=outsider, run_id=storm.id, now=at(60))
    assert drills.advance(session=session, actor=world.tom, run_id=storm.id, now=at(60)) > 0
    drills.advance(session=session, actor=world.mila, run_id=storm.id, now=at(90))
    drills.advance(session=session, actor=world.admin, run_id=storm.id, now=at(120))


def test_drill_credit_cannot_be_forged_with_a_drill_id(session, world, storm):
    for run_id in (storm.id, "made-up-run"):
        with pytest.raises((PermissionDenied, attempts.AttemptError)):
            attempts.start_attempt(session=session, actor=world.tom, attempt_create=AttemptCreate(
                scenario_id="nl-air-bagage-kwijt", scenario_version="1", scenario_type="angry_customer",
                medium="twitter", drill_run_id=run_id))
    assert _group_drills(session, world.tom.id) == 0


def test_drill_reply_takes_no_scorecard_from_the_caller():
    assert "scorecard" not in inspect.signature(drills.send_reply).parameters

"""Running a drill: rights, the clock, pause/resume, arrivals, nudges, claims, replies."""

from __future__ import annotations

import uuid

import pytest
from sqlmodel import select

from scenarios.drills import get_template, timeline
from tests.drills.conftest import T0, at
from trainer.db.drill_models import DrillConversation, DrillEvent, DrillMessage
from trainer.db.models import Attempt
from trainer.services import drills
from trainer.services.certification import _group_drills
from trainer.services.rights import PermissionDenied


def _conversations(session, run_id):
    return session.exec(select(DrillConversation).where(DrillConversation.run_id == run_id)
                         .order_by(DrillConversation.arrival)).all()


def test_drills_only_a_manager_of_the_team_runs_a_drill(session, world):
    for outsider in (world.tom, world.mark, world.admin):
        with pytest.raises(PermissionDenied):
            drills.create_drill(session=session, actor=outsider, template_id="nl-storm-schiphol", team_id=world.reizen.id)
    run = drills.create_drill(session=session, actor=world.mila, template_id="nl-storm-schiphol", team_id=world.reizen.id, now=T0)
    for outsider in (world.tom, world.mark, world.admin):
        with pytest.raises(PermissionDenied):
            drills.start_drill(session=session, actor=outsider, run_id=run.id, now=T0)
    # Watchers: the team's managers and admins; workers: the team's trainees. Others see nothing.
    drills.inbox(session=session, actor=world.admin, run_id=run.id, now=T0)
    drills.inbox(session=session, actor=world.tom, run_id=run.id, now=T0)
    with pytest.raises(PermissionDenied):
        drills.inbox(session=session, actor=world.eva, run_id=run.id, now=T0)


def test_drills_timeline_plays_on_the_server_clock(session, world, storm):
    expected = timeline(get_template("nl-storm-schiphol"), storm.seed)
    assert drills.advance(session=session, actor=world.mila, run_id=storm.id, now=at(0)) == 0
    arrived = drills.advance(session=session, actor=world.mila, run_id=storm.id, now=at(90))
    assert arrived == sum(1 for a in expected if a.offset <= 90) > 0
    stored = _conversations(session, storm.id)
    assert [(c.scenario_id, c.medium, c.arrived_offset) for c in stored] == [
        (a.scenario_id, a.medium, a.offset) for a in expected if a.offset <= 90]
    # A customer who arrived while nobody looked waits from their own arrival, not from the tick.
    first = drills.inbox(session=session, actor=world.tom, run_id=storm.id, now=at(90))
    assert max(i.waiting_seconds for i in first) == pytest.approx(90 - expected[0].offset)
    # Calling again within a second does nothing; the whole drill arrives by its end.
    assert drills.advance(session=session, actor=world.mila, run_id=storm.id, now=at(90.5)) == 0
    drills.advance(session=session, actor=world.mila, run_id=storm.id, now=at(15 * 60 + 1))
    assert len(_conversations(session, storm.id)) == 120
    injects = [c for c in _conversations(session, storm.id) if c.inject_title]
    assert {c.label for c in injects} == {"pers", "klacht"} and max(c.followers for c in injects) == 40000


def test_drills_pause_freezes_clock_arrivals_and_sla_timers(session, world, storm):
    drills.advance(session=session, actor=world.mila, run_id=storm.id, now=at(60))
    before = {i.id: i.waiting_seconds for i in drills.inbox(session=session, actor=world.tom, run_id=storm.id, now=at(60))}
    drills.pause_drill(session=session, actor=world.mila, run_id=storm.id, now=at(60))
    assert drills.advance(session=session, actor=world.mila, run_id=storm.id, now=at(600)) == 0
    paused = drills.inbox(session=session, actor=world.tom, run_id=storm.id, now=at(600))
    assert {i.id: i.waiting_seconds for i in paused} == before
    assert drills.run_summary(session=session, actor=world.mila, run_id=storm.id, now=at(600)).seconds == 60
    with pytest.raises(drills.DrillError):
        drills.pause_drill(session=session, actor=world.mila, run_id=storm.id, now=at(600))
    drills.resume_drill(session=session, actor=world.mila, run_id=storm.id, now=at(600))
    assert drills.run_summary(session=session, actor=world.mila, run_id=storm.id, now=at(630)).seconds == 90
    resumed = {i.id: i.waiting_seconds for i in drills.inbox(session=session, actor=world.tom, run_id=storm.id, now=at(630))}
    assert all(resumed[k] == pytest.approx(v + 30) for k, v in before.items())
    kinds = session.exec(select(DrillEvent.kind).where(DrillEvent.run_id == storm.id)).all()
    assert ["created", "started", "paused", "resumed"] == [k for k in kinds if k != "inject"]


def test_drills_claim_is_exclusive_and_release_hand_over_label_work(session, world, storm):
    drills.advance(session=session, actor=world.mila, run_id=storm.id, now=at(120))
    first = drills.inbox(session=session, actor=world.tom, run_id=storm.id, now=at(120))[0].id
    assert drills.claim(session=session, actor=world.tom, conversation_id=first, now=at(121))
    assert drills.claim(session=session, actor=world.tom, conversation_id=first, now=at(121))  # already his
    assert not drills.claim(session=session, actor=world.tess, conversation_id=first, now=at(122))
    with pytest.raises(drills.NotYours):
        drills.release(session=session, actor=world.tess, conversation_id=first, now=at(122))
    with pytest.raises(PermissionDenied):
        drills.claim(session=session, actor=world.mila, conversation_id=first, now=at(122))  # managers watch
    drills.set_label(session=session, actor=world.tom, conversation_id=first, label="omboeken", now=at(123))
    with pytest.raises(drills.DrillError):
        drills.set_label(session=session, actor=world.tom, conversation_id=first, label="roddel", now=at(123))
    drills.hand_over(session=session, actor=world.tom, conversation_id=first, to_user_id=world.tess.id, now=at(124))
    item = next(i for i in drills.inbox(session=session, actor=world.tom, run_id=storm.id, now=at(124)) if i.id == first)
    assert item.claimed_by == "Tess Trainee" and item.label == "omboeken"
    drills.release(session=session, actor=world.tess, conversation_id=first, now=at(125))
    assert drills.claim_next(session=session, actor=world.tom, run_id=storm.id, now=at(126)) == first


def test_drills_idle_claim_is_released_after_the_set_time(session, world, storm):
    drills.advance(session=session, actor=world.mila, run_id=storm.id, now=at(60))
    target = drills.inbox(session=session, actor=world.tom, run_id=storm.id, now=at(60))[0].id
    idle = get_template("nl-storm-schiphol").idle_release_seconds
    assert drills.claim(session=session, actor=world.tom, conversation_id=target, now=at(60))
    assert not drills.claim(session=session, actor=world.tess, conversation_id=target, now=at(60 + idle - 1))
    drills.advance(session=session, actor=world.mila, run_id=storm.id, now=at(60 + idle + 1))
    assert session.get(DrillConversation, target).claimed_by_id is None
    events = session.exec(select(DrillEvent).where(DrillEvent.kind == "idle_release")).all()
    assert [(e.conversation_id, e.user_id) for e in events] == [(target, world.tom.id)]
    assert drills.claim(session=session, actor=world.tess, conversation_id=target, now=at(60 + idle + 2))


def test_drills_neglected_customer_writes_again_and_gets_louder(session, world, storm):
    drills.advance(session=session, actor=world.mila, run_id=storm.id, now=at(30))
    conversation = _conversations(session, storm.id)[0]
    sla, since, retweets = conversation.sla_seconds, conversation.waiting_since, conversation.retweets
    drills.advance(session=session, actor=world.mila, run_id=storm.id, now=at(since + 0.5 * sla + 1))
    session.refresh(conversation)
    assert conversation.nudges == 1 and conversation.retweets > retweets
    nudge = session.exec(select(DrillMessage).where(DrillMessage.conversation_id == conversation.id,
                                                    DrillMessage.source == "nudge")).one()
    assert nudge.offset == pytest.approx(since + 0.5 * sla) and nudge.mood is not None
    # The scorer sees the nudge: it is part of what the customer said.
    from scenarios.engine import Conversation

    assert nudge.text in Conversation.from_json(conversation.conversation).context_for_reply().customer_messages
    drills.advance(session=session, actor=world.mila, run_id=storm.id, now=at(since + 3 * sla))
    session.refresh(conversation)
    assert conversation.nudges == get_template("nl-storm-schiphol").neglect.max_nudges
    nudges = session.exec(select(DrillMessage.text).where(DrillMessage.conversation_id == conversation.id,
                                                          DrillMessage.source == "nudge")).all()
    assert len(set(nudges)) == len(nudges)  # never the same line twice


def test_drills_reply_is_scored_with_queue_time_and_stored_as_a_drill_attempt(session, world, storm, offline_checker):
    drills.advance(session=session, actor=world.mila, run_id=storm.id, now=at(60))
    target = drills.inbox(session=session, actor=world.tom, run_id=storm.id, now=at(60))[0]
    reply = "Wat vervelend dat je vlucht is geannuleerd! Ik kijk direct met je mee. Stuur je je boekingscode via DM? ^Tom"
    with pytest.raises(drills.NotYours):
        drills.send_reply(session=session, actor=world.tom, conversation_id=target.id, text=reply,
                          submission_id=uuid.uuid4(), checker=offline_checker, now=at(70))
    drills.claim(session=session, actor=world.tom, conversation_id=target.id, now=at(65))
    submission = uuid.uuid4()
    result = drills.send_reply(session=session, actor=world.tom, conversation_id=target.id, text=reply,
                               submission_id=submission, checker=offline_checker, now=at(70))
    assert result.created and result.queue_seconds == pytest.approx(target.waiting_seconds + 10)
    assert "speed" in result.scorecard["dimensions"]
    again = drills.send_reply(session=session, actor=world.tom, conversation_id=target.id, text=reply,
                              submission_id=submission, checker=offline_checker, now=at(71))
    assert not again.created and again.message_id == result.message_id
    stored = session.exec(select(DrillMessage).where(DrillMessage.role == "agent")).all()
    assert len(stored) == 1 and stored[0].user_id == world.tom.id and stored[0].score_id == result.score_id
    attempt = session.exec(select(Attempt).where(Attempt.user_id == world.tom.id)).one()
    assert attempt.drill_run_id == storm.id
    assert _group_drills(session, world.tom.id) == 1 and _group_drills(session, world.tess.id) == 0


def test_drills_late_reply_breaches_the_sla_in_the_scorecard(session, world, storm, offline_checker):
    drills.advance(session=session, actor=world.mila, run_id=storm.id, now=at(30))
    target = _conversations(session, storm.id)[0]
    late = target.waiting_since + target.sla_seconds + 5
    drills.claim(session=session, actor=world.tom, conversation_id=target.id, now=at(late - 1))
    state = next(i.state for i in drills.inbox(session=session, actor=world.tom, run_id=storm.id, now=at(late)) if i.id == target.id)
    assert state == "late"
    result = drills.send_reply(session=session, actor=world.tom, conversation_id=target.id,
                               text="Sorry voor het lange wachten! Ik zoek het nu voor je uit. ^Tom",
                               submission_id=uuid.uuid4(), checker=offline_checker, now=at(late))
    rules = {f["rule"] for f in result.scorecard["findings"]}
    assert "speed.sla_breached" in rules


def test_drills_manager_speaks_as_customer_and_injects_live(session, world, storm):
    drills.advance(session=session, actor=world.mila, run_id=storm.id, now=at(60))
    target = _conversations(session, storm.id)[0]
    with pytest.raises(PermissionDenied):
        drills.speak_as_customer(session=session, actor=world.tom, conversation_id=target.id, text="Hallo?", now=at(61))
    drills.speak_as_customer(session=session, actor=world.mila, conversation_id=target.id,
                             text="Ik sta hier nu al twee uur!", now=at(61))
    view = drills.conversation_view(session=session, actor=world.tom, conversation_id=target.id, now=at(61))
    assert view.messages[-1]["text"] == "Ik sta hier nu al twee uur!" and view.messages[-1]["source"] == "manager"
    new_id = drills.inject(session=session, actor=world.mila, run_id=storm.id, scenario_id="nl-air-overboeking-journalist",
                           medium="twitter", title="NOS belt", label="pers", followers=90000, now=at(62))
    injected = session.get(DrillConversation, new_id)
    assert injected.followers == 90000 and injected.label == "pers" and injected.arrival >= drills.LIVE_INJECT_FROM
    with pytest.raises(drills.DrillError):
        drills.inject(session=session, actor=world.mila, run_id=storm.id, scenario_id="en-bank-double-charge",
                      medium="webchat", title="x", now=at(63))


def test_drills_stop_releases_claims_and_refuses_work(session, world, storm):
    drills.advance(session=session, actor=world.mila, run_id=storm.id, now=at(60))
    target = _conversations(session, storm.id)[0]
    drills.claim(session=session, actor=world.tom, conversation_id=target.id, now=at(61))
    drills.stop_drill(session=session, actor=world.mila, run_id=storm.id, now=at(62))
    session.refresh(target)
    assert target.claimed_by_id is None
    with pytest.raises(drills.DrillError):
        drills.claim(session=session, actor=world.tom, conversation_id=target.id, now=at(63))
    assert drills.advance(session=session, actor=world.mila, run_id=storm.id, now=at(900)) == 0


def test_drills_participation_counts_toward_certification(session, world, storm, offline_checker):
    from trainer.services.certification import check_eligibility

    def drill_unmet(trainee):
        found = check_eligibility(session=session, actor=world.mila, trainee_id=trainee.id, level="escalations")
        return [u for u in found.unmet if u.code == "group_drills"]

    assert drill_unmet(world.tom)  # escalations needs one group drill
    drills.advance(session=session, actor=world.mila, run_id=storm.id, now=at(60))
    target = drills.inbox(session=session, actor=world.tom, run_id=storm.id, now=at(60))[0].id
    drills.claim(session=session, actor=world.tom, conversation_id=target, now=at(61))
    drills.send_reply(session=session, actor=world.tom, conversation_id=target, submission_id=uuid.uuid4(),
                      text="Wat vervelend! Ik zoek het direct voor je uit. ^Tom", checker=offline_checker, now=at(62))
    assert drill_unmet(world.tom) == [] and drill_unmet(world.tess)

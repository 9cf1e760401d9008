"""The manager's live figures, computed from what the services stored."""

from __future__ import annotations

import uuid

import pytest
from sqlmodel import select

from tests.drills.conftest import at
from trainer.db.drill_models import DrillConversation, DrillMessage
from trainer.services import drills
from trainer.services.drills import dashboard as drill_dashboard
from trainer.services.rights import PermissionDenied

GOOD = "Wat vervelend dat je vlucht is geannuleerd! Ik boek je direct om. Stuur je je boekingscode via DM? ^Tom"


def _reply(session, actor, conversation_id, seconds, checker, text=GOOD):
    drills.claim(session=session, actor=actor, conversation_id=conversation_id, now=at(seconds - 1))
    return drills.send_reply(session=session, actor=actor, conversation_id=conversation_id, text=text,
                             submission_id=uuid.uuid4(), checker=checker, now=at(seconds))


@pytest.fixture
def worked(session, world, storm, offline_checker):
    """Two minutes into the storm: Tom answered two customers (one of them past the SLA), Tess
    holds one without answering."""
    drills.advance(session=session, actor=world.mila, run_id=storm.id, now=at(120))
    first, second, third = session.exec(select(DrillConversation).where(DrillConversation.run_id == storm.id)
                                        .order_by(DrillConversation.arrival)).all()[:3]
    _reply(session, world.tom, second.id, 125, offline_checker)
    late = first.waiting_since + first.sla_seconds + 10
    drills.advance(session=session, actor=world.mila, run_id=storm.id, now=at(late - 5))
    _reply(session, world.tom, first.id, late, offline_checker)
    drills.claim(session=session, actor=world.tess, conversation_id=third.id, now=at(late))
    return storm, (first, second, third), late


def test_drill_dashboard_queue_breaches_and_who_holds_what(session, world, worked):
    storm, (first, second, third), now = worked
    board = drill_dashboard.dashboard(session=session, actor=world.mila, run_id=storm.id, now=at(now))
    inbox = drills.inbox(session=session, actor=world.mila, run_id=storm.id, now=at(now))
    waiting = [i for i in inbox if i.waiting_seconds is not None]
    assert sum(q.waiting for q in board.queue) == len(waiting)
    for q in board.queue:
        mine = [i.waiting_seconds for i in waiting if i.medium == q.medium]
        assert q.oldest_seconds == (pytest.approx(max(mine)) if mine else None)
        assert q.breaching == sum(1 for w in mine if w >= q.sla_seconds)
    assert board.breaching_now == sum(1 for i in waiting if i.state == "late")
    assert board.late_replies == 1 and board.replies == 2
    tom = next(t for t in board.trainees if t.user_id == world.tom.id)
    tess = next(t for t in board.trainees if t.user_id == world.tess.id)
    assert tom.replies == 2 and tom.late_replies == 1 and tom.mean_score is not None
    assert tom.replies_per_minute == pytest.approx(2 / (board.seconds / 60), abs=0.01)
    assert tess.replies == 0 and tess.holding == [third.id]
    assert board.never_answered == board.arrived - board.noise - 2  # noise posts are judged apart
    assert board.evenness == 0.5  # two trainees, one did everything


def test_drill_dashboard_webcaremeter_compares_mood_before_and_after_replies(session, world, worked):
    storm, (first, second, _), now = worked
    board = drill_dashboard.dashboard(session=session, actor=world.mila, run_id=storm.id, now=at(now))
    shifts = {m.conversation_id: m for m in board.moods}
    assert len(shifts) == board.arrived  # every customer said something
    for conversation in (first, second):
        thread = session.exec(select(DrillMessage).where(DrillMessage.conversation_id == conversation.id)
                              .order_by(DrillMessage.offset, DrillMessage.id)).all()
        reply_at = next(i for i, m in enumerate(thread) if m.role == "agent")
        before = [m.mood for m in thread[:reply_at] if m.role == "customer"]
        assert shifts[conversation.id].before == pytest.approx(sum(before) / len(before), abs=1e-3)
    answered = [m for m in board.moods if m.after is not None]
    if answered:
        assert board.mood_before == pytest.approx(sum(m.before for m in answered) / len(answered), abs=1e-3)
    # Angry customers of a cancelled flight sound negative before anyone answered.
    assert sum(m.before for m in board.moods) / len(board.moods) < 0


def test_drill_dashboard_burn_down_and_double_answers(session, world, worked):
    storm, (first, second, _), now = worked
    board = drill_dashboard.dashboard(session=session, actor=world.mila, run_id=storm.id, now=at(now))
    assert sum(p.arrived for p in board.burn_down) == board.arrived
    assert sum(p.replies for p in board.burn_down) == 2
    assert board.burn_down[0].backlog == board.burn_down[0].arrived  # nobody answered in minute one
    assert board.burn_down[-1].backlog == sum(q.waiting for q in board.queue)
    assert board.double_answers == 0
    # A second answer to the same message (two replies with no customer message between).
    thread = session.exec(select(DrillMessage).where(DrillMessage.conversation_id == second.id, DrillMessage.role == "agent")).one()
    for extra in (1, 2):
        session.add(DrillMessage(run_id=storm.id, conversation_id=second.id, role="agent", source="reply", text="Nog een antwoord",
                                 medium=thread.medium, offset=thread.offset + extra, user_id=world.tess.id))
    session.commit()
    board = drill_dashboard.dashboard(session=session, actor=world.mila, run_id=storm.id, now=at(now))
    assert board.double_answers == 1


def test_drill_dashboard_is_for_watchers_only(session, world, worked):
    storm, _, now = worked
    drill_dashboard.dashboard(session=session, actor=world.admin, run_id=storm.id, now=at(now))
    for outsider in (world.tom, world.mark):
        with pytest.raises(PermissionDenied):
            drill_dashboard.dashboard(session=session, actor=outsider, run_id=storm.id, now=at(now))


@pytest.mark.parametrize(("counts", "expected"), [([5, 5, 5], 1.0), ([10, 0], 0.5), ([0, 0, 0, 12], 0.25), ([], None), ([0, 0], None)])
def test_drill_dashboard_evenness(counts, expected):
    assert drill_dashboard.evenness(counts) == expected

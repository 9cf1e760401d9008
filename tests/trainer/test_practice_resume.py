"""Issue 11 #20: an attempt left "in progress" by a logout, an idle timeout or an app restart
does not stay stuck. The trainee's next visit resumes it, rebuilt from what was stored; one too
old, or one that cannot be rebuilt, is closed as abandoned."""

from __future__ import annotations

import uuid
from datetime import timedelta

from trainer.db.models import Attempt, AttemptOutcome
from trainer.db.types import utcnow
from trainer.services import attempts, practice

SCENARIO = "nl-vlucht-geannuleerd-schiphol"
REPLY = "Hoi {first_name}, wat balen dat je vlucht niet gaat. Stuur ons een DM met je boekingscode, dan kijk ik mee. ^Sam"


def played(session, actor, checker, replies: int = 1, seed: int = 4, started=None):
    """A conversation with `replies` replies sent; the page's state is then lost."""
    started = started or utcnow() - timedelta(minutes=10)
    state = practice.begin(session=session, actor=actor, scenario_id=SCENARIO, medium="twitter", seed=seed, now=started)
    for number in range(replies):
        text = REPLY.format(first_name=state.restore().persona["first_name"])
        state = practice.send(session=session, actor=actor, state=state, text=text, action=None,
                              submission_id=uuid.uuid4(), checker=checker,
                              now=started + timedelta(seconds=40 * (number + 1))).state
    return state


def test_practice_resume_brings_back_the_conversation_as_it_was(session, world, offline_checker):
    left = played(session, world.tom, offline_checker)
    now = utcnow()
    back = practice.resume(session=session, actor=world.tom, now=now)
    assert back is not None and back.attempt_id == left.attempt_id
    assert back.restore().to_json() == left.restore().to_json()
    # Each turn as it was; its scorecard as stored (the public JSON, figures rounded to 0.1).
    same = {"scorecard"}
    assert [t.model_dump(exclude=same) for t in back.turns] == [t.model_dump(exclude=same) for t in left.turns]
    assert [round(t.scorecard["total"], 1) for t in back.turns] == [round(t.scorecard["total"], 1) for t in left.turns]
    assert back.shown_at == now, "time away is not reply time"
    # The trainee carries on from there.
    nxt = practice.send(session=session, actor=world.tom, state=back, text="Fijn, ik zie je DM tegemoet! ^Sam",
                        action=None, submission_id=uuid.uuid4(), checker=offline_checker,
                        now=now + timedelta(seconds=30))
    assert len(nxt.state.turns) == 2 and nxt.state.turns[-1].seconds == 30.0


def test_practice_resume_with_nothing_unfinished_returns_none(session, world, offline_checker):
    state = played(session, world.tom, offline_checker)
    practice.abandon(session=session, actor=world.tom, state=state)
    assert practice.resume(session=session, actor=world.tom) is None
    assert practice.resume(session=session, actor=world.tess) is None


def test_practice_resume_closes_old_and_unrebuildable_attempts_as_abandoned(session, world, offline_checker):
    old = played(session, world.tom, offline_checker, started=utcnow() - timedelta(days=3), seed=1)
    changed = played(session, world.tom, offline_checker, seed=2, started=utcnow() - timedelta(hours=2))
    row = session.get(Attempt, changed.attempt_id)
    row.scenario_version = "0-older"  # the scenario was edited since: the replay would not be the same story
    session.add(row)
    session.commit()
    newest = played(session, world.tom, offline_checker, seed=3)
    back = practice.resume(session=session, actor=world.tom)
    assert back is not None and back.attempt_id == newest.attempt_id
    session.expire_all()
    for gone in (old, changed):
        attempt = session.get(Attempt, gone.attempt_id)
        assert attempt.outcome == AttemptOutcome.abandoned and attempt.finished_at is not None
    # Only the newest was unfinished; the next visit finds the same one and nothing else.
    assert [a.id for a in attempts.unfinished_attempts(session=session, actor=world.tom)] == [newest.attempt_id]


def test_practice_resume_finishes_the_customer_answer_a_stopped_send_never_stored(session, world, offline_checker):
    from scoring import score_reply

    started = utcnow() - timedelta(minutes=5)
    state = practice.begin(session=session, actor=world.tom, scenario_id=SCENARIO, medium="twitter", seed=9,
                           now=started)
    text = REPLY.format(first_name=state.restore().persona["first_name"])
    card = score_reply(text, state.restore().context_for_reply(seconds_to_reply=30.0), checker=offline_checker)
    attempts.submit_reply(session=session, actor=world.tom, scorecard=card, submission=attempts.ReplySubmission(
        attempt_id=state.attempt_id, submission_id=uuid.uuid4(), text=text, shown_at=started,
        sent_at=started + timedelta(seconds=30)))  # the run stopped here, before the customer answered
    back = practice.resume(session=session, actor=world.tom)
    assert back is not None and len(back.turns) == 1 and back.turns[0].customer_after
    detail = attempts.attempt_detail(session=session, actor=world.tom, attempt_id=state.attempt_id)
    assert [t.turn.text for t in detail.turns][-len(back.turns[0].customer_after):] == back.turns[0].customer_after

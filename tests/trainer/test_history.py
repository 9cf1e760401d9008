"""Issue 13 #1: any past practice conversation can be reopened and replayed beside the model
answers, by the trainee whose it is (and their dialogue manager), by nobody else."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from trainer.db.models import Attempt, AttemptCreate, AttemptOutcome
from trainer.db.types import utcnow
from trainer.services import attempts, history, practice, reviews
from trainer.services.announcements import SCENARIO_TYPE as ANNOUNCEMENT
from trainer.services.rights import PermissionDenied
from trainer.views import history as history_view

SCENARIO = "nl-vlucht-geannuleerd-schiphol"
# The scenario's own test path "begrip, omboeken, DM en opvang": it ends resolved.
RESOLVING = [
    "Hoi {first_name}, wat vervelend, zeker met de kinderen erbij. Sorry dat je zo lang moet wachten. Ik boek jullie "
    "graag om naar de eerstvolgende vlucht: stuur ons een DM met je boekingscode, dan regel ik het meteen. ^Lisa",
    "Dank je, {first_name}! Ik heb jullie omgeboekt naar de vlucht van 17.40 uur vandaag; de nieuwe tickets staan in "
    "de app. Bij de servicebalie in Vertrekhal 2 krijgen jullie maaltijdvouchers voor het wachten. Goede reis! ^Lisa",
]


def played(session, actor, checker, replies: list[str], *, days_ago: int = 1, seed: int = 4):
    started = utcnow() - timedelta(days=days_ago)
    state = practice.begin(session=session, actor=actor, scenario_id=SCENARIO, medium="twitter", seed=seed, now=started)
    for number, reply in enumerate(replies):
        state = practice.send(session=session, actor=actor, state=state, action=None, submission_id=uuid.uuid4(),
                              text=reply.format(first_name=state.restore().persona["first_name"]), checker=checker,
                              now=started + timedelta(seconds=40 * (number + 1))).state
    if session.get(Attempt, state.attempt_id).outcome == AttemptOutcome.in_progress:
        practice.abandon(session=session, actor=actor, state=state)
    return state


def test_history_lists_only_the_trainees_own_past_conversations_newest_first(session, world, offline_checker):
    older = played(session, world.tom, offline_checker, RESOLVING, days_ago=3)
    newer = played(session, world.tom, offline_checker, RESOLVING[:1], days_ago=1, seed=5)
    played(session, world.tess, offline_checker, RESOLVING[:1])
    practice.begin(session=session, actor=world.tom, scenario_id=SCENARIO, medium="twitter", seed=6)  # still open
    announced = attempts.start_attempt(session=session, actor=world.tom, attempt_create=AttemptCreate(  # its own screen
        scenario_id="storing-app", scenario_version="1", scenario_type=ANNOUNCEMENT, medium="twitter"))
    attempts.finish_attempt(session=session, actor=world.tom, attempt_id=announced.id, outcome=AttemptOutcome.resolved)

    listed = history.past_conversations(session=session, actor=world.tom, trainee_id=world.tom.id)

    assert [c.attempt_id for c in listed] == [newer.attempt_id, older.attempt_id]
    assert [(c.outcome, c.replies) for c in listed] == [("abandoned", 1), ("resolved", 2)]
    assert listed[1].mean_total == pytest.approx(sum(t.scorecard["total"] for t in older.turns) / 2, abs=0.1)
    assert len(history.past_conversations(session=session, actor=world.tom, trainee_id=world.tom.id, limit=1)) == 1
    for reader in (world.tess, world.eva, world.mark):
        with pytest.raises(PermissionDenied):
            history.past_conversations(session=session, actor=reader, trainee_id=world.tom.id)


def test_history_reopens_the_turns_in_order_with_the_model_answers(session, world, offline_checker):
    state = played(session, world.tom, offline_checker, RESOLVING)
    stored = _turn_count(session, state.attempt_id)

    replay = history.reopened(session=session, actor=world.tom, attempt_id=state.attempt_id)

    assert replay.model_answers and replay.conversation.outcome == "resolved"
    conversation = state.restore()
    assert [(m.from_customer, m.text) for m in replay.messages] == [
        (message.role == "customer", message.text) for message in conversation.transcript]
    replies = [m.reply for m in replay.messages if m.reply]
    assert [r.turn.model_answer for r in replies] == [t.model_answer for t in state.turns]
    assert [round(r.turn.scorecard["total"]) for r in replies] == [round(t.scorecard["total"]) for t in state.turns]
    assert history.reopened(session=session, actor=world.mila, attempt_id=state.attempt_id).model_answers  # the manager
    assert _turn_count(session, state.attempt_id) == stored, "reading writes nothing"


def test_history_reopening_someone_elses_conversation_is_refused(session, world, offline_checker):
    state = played(session, world.tess, offline_checker, RESOLVING[:1])
    for reader in (world.tom, world.eva, world.mark):
        with pytest.raises(PermissionDenied):
            history.reopened(session=session, actor=reader, attempt_id=state.attempt_id)
        with pytest.raises(PermissionDenied):
            history_view.replay_screen(session=session, actor=reader, attempt_id=state.attempt_id, language="nl")


def test_history_replay_screen_shows_the_managers_figure_and_words(session, world, offline_checker):
    state = played(session, world.tom, offline_checker, RESOLVING)
    replay = history.reopened(session=session, actor=world.tom, attempt_id=state.attempt_id)
    score_id = _score_id(session, state.attempt_id, 0)
    reviews.override_score(session=session, actor=world.mila, score_id=score_id, override=95, reason="Heel *goed*.")

    screen = history_view.replay_screen(session=session, actor=world.tom, attempt_id=state.attempt_id, language="nl")

    assert screen.outcome.startswith("Opgelost") and screen.good
    replies = [step for step in screen.steps if step.row]
    assert [step.row.model for step in replies] == [t.model_answer for t in state.turns]
    assert replies[0].row.yours_caption.startswith("Jouw antwoord 1")
    assert replies[0].override == "Score van je dialoogmanager: 95 (deze telt)" and replies[1].override is None
    assert any(r"Heel \*goed\*." in line and "Mila Manager" in line for line in replies[0].remarks)
    assert [step.text for step in screen.steps if not step.row] == [
        m.text for m in replay.messages if m.from_customer]
    listing = history_view.history_list(session=session, actor=world.tom, language="en")
    assert len(listing.items) == 1 and "Resolved" in listing.items[0].label and SCENARIO not in listing.items[0].label


def test_history_without_the_same_story_shows_the_transcript_without_model_answers(session, world, offline_checker):
    state = played(session, world.tom, offline_checker, RESOLVING[:1])
    row = session.get(Attempt, state.attempt_id)
    row.scenario_version = "0-older"
    session.add(row)
    session.commit()

    screen = history_view.replay_screen(session=session, actor=world.tom, attempt_id=state.attempt_id, language="nl")

    assert screen.note and [step.row.yours for step in screen.steps if step.row] == [state.turns[0].reply]
    assert [step.row.model for step in screen.steps if step.row] == ["—"]


def _score_id(session, attempt_id: int, index: int) -> int:
    from sqlmodel import select

    from trainer.db.models import Score

    return session.exec(select(Score.id).where(Score.attempt_id == attempt_id).order_by(Score.id)).all()[index]


def _turn_count(session, attempt_id: int) -> int:
    from sqlmodel import func, select

    from trainer.db.models import Turn

    return session.exec(select(func.count()).select_from(Turn).where(Turn.attempt_id == attempt_id)).one()

"""Practising an announcement (trainer.services.announcements): the post and its update are
scored with the real pipeline on their own briefs and stored as an attempt, once per send;
an exercise left halfway comes back; rights are the attempts service's."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from scenarios.announcements import get_exercise
from trainer.db.models import Attempt, AttemptOutcome, Speaker
from trainer.db.types import utcnow
from trainer.services import announcements, attempts, practice
from trainer.services.rights import PermissionDenied

EXERCISE = "nl-aankondiging-storm-spoor"


def test_announcements_post_and_update_are_scored_and_stored(session, world, grammar_checker):
    exercise = get_exercise(EXERCISE)
    state = announcements.begin(session=session, actor=world.tom, exercise_id=EXERCISE, medium="twitter")
    first = announcements.post(session=session, actor=world.tom, state=state, text=exercise.first.model_answers["twitter"],
                               submission_id=uuid.uuid4(), checker=grammar_checker)
    assert first.scorecard.passed and first.scorecard.findings == [] and first.state.stage == "update"
    weak = ("Door de storm rijden er nog steeds geen treinen tussen Utrecht en Amersfoort, en daar kunnen wij niets "
            "aan doen. Neem de bus. Sorry voor het ongemak.")
    second = announcements.post(session=session, actor=world.tom, state=first.state, text=weak,
                                submission_id=uuid.uuid4(), checker=grammar_checker)
    assert {"substance.announcement.no_next_update", "tone.announcement.blames"} <= {f.rule for f in second.scorecard.findings}
    assert not second.scorecard.passed
    assert second.state.stage == "done" and [p.stage for p in second.state.posts] == ["first", "update"]

    detail = attempts.attempt_detail(session=session, actor=world.tom, attempt_id=state.attempt_id)
    assert detail.attempt.scenario_type == "announcement" and detail.attempt.outcome == AttemptOutcome.escalated
    assert [t.turn.speaker for t in detail.turns] == [Speaker.system, Speaker.trainee, Speaker.system, Speaker.trainee]
    assert detail.turns[2].turn.text.startswith(exercise.update.situation.strip()[:30])
    assert [t.turn.action for t in detail.turns if t.score] == ["first", "update"]
    assert detail.turns[3].score.scorecard["rubric"] == "announcement.v1"


def test_announcements_a_repeated_post_is_stored_once(session, world, offline_checker):
    state = announcements.begin(session=session, actor=world.tom, exercise_id=EXERCISE, medium="twitter")
    text, submission = get_exercise(EXERCISE).first.model_answers["twitter"], uuid.uuid4()
    once = announcements.post(session=session, actor=world.tom, state=state, text=text, submission_id=submission,
                              checker=offline_checker)
    again = announcements.post(session=session, actor=world.tom, state=state, text=text + " (bewerkt)",
                               submission_id=submission, checker=offline_checker)
    assert again.sent_earlier and again.state.posts[-1].text == text
    detail = attempts.attempt_detail(session=session, actor=world.tom, attempt_id=once.state.attempt_id)
    assert sum(1 for t in detail.turns if t.turn.speaker == Speaker.trainee) == 1
    assert sum(1 for t in detail.turns if t.turn.speaker == Speaker.system) == 2


def test_announcements_both_passing_posts_resolve_the_attempt(session, world, offline_checker):
    exercise = get_exercise(EXERCISE)
    state = announcements.begin(session=session, actor=world.tom, exercise_id=EXERCISE, medium="facebook_comment")
    for stage in ("first", "update"):
        state = announcements.post(session=session, actor=world.tom, state=state, submission_id=uuid.uuid4(),
                                   text=exercise.brief(stage).model_answers["facebook_comment"], checker=offline_checker).state
    assert session.get(Attempt, state.attempt_id).outcome == AttemptOutcome.resolved
    with pytest.raises(attempts.AttemptError):
        announcements.post(session=session, actor=world.tom, state=state, text="x", submission_id=uuid.uuid4(),
                           checker=offline_checker)


def test_announcements_resume_after_the_first_post_and_practice_leaves_it_alone(session, world, offline_checker):
    started = utcnow() - timedelta(minutes=5)
    state = announcements.begin(session=session, actor=world.tom, exercise_id=EXERCISE, medium="twitter", now=started)
    state = announcements.post(session=session, actor=world.tom, state=state, submission_id=uuid.uuid4(),
                               text=get_exercise(EXERCISE).first.model_answers["twitter"], checker=offline_checker,
                               now=started + timedelta(minutes=2)).state
    assert practice.resume(session=session, actor=world.tom) is None
    assert session.get(Attempt, state.attempt_id).outcome == AttemptOutcome.in_progress
    back = announcements.resume(session=session, actor=world.tom)
    assert back is not None and back.attempt_id == state.attempt_id and back.stage == "update"
    assert [p.text for p in back.posts] == [p.text for p in state.posts]


def test_announcements_an_observer_may_not_practise(session, olga):
    with pytest.raises(PermissionDenied):
        announcements.begin(session=session, actor=olga, exercise_id=EXERCISE, medium="twitter")


def test_announcements_an_unknown_exercise_or_medium_is_refused(session, world):
    with pytest.raises(announcements.NotAnExercise):
        announcements.begin(session=session, actor=world.tom, exercise_id="nl-bestaat-niet", medium="twitter")
    with pytest.raises(announcements.NotAnExercise):
        announcements.begin(session=session, actor=world.tom, exercise_id=EXERCISE, medium="whatsapp")


def test_announcements_are_named_by_their_title_in_feedback_and_team_views():
    from trainer.views.feedback import scenario_title

    title = get_exercise(EXERCISE).title
    assert scenario_title(EXERCISE) == title and scenario_title(f"announcement:{EXERCISE}") == title
    assert scenario_title("nl-bestaat-niet") == "nl-bestaat-niet"

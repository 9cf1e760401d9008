"""Practising a public announcement (scenarios.announcements): the trainee reads the brief,
writes the post, sees its scorecard, then gets the brief "an hour later" and writes the update,
scored against that second brief. Stored as an attempt like a conversation (`scenario_type`
"announcement", the briefs as system turns, each post a scored trainee turn), so progress,
feedback and reviews read it like any other; rights are checked by the attempts service.

The attempt ends `resolved` when both posts passed, else `escalated` (a public post that falls
short is read by everyone). Time is not judged in practice (the speed dimension is left out);
in a drill the queue time is (trainer.services.drills.announcements).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from pydantic import BaseModel, Field
from sqlmodel import Session

from scenarios.announcements import Exercise, Stage, get_exercise
from scoring import ReplyContext, Scorecard, score_reply
from scoring.contentfile import ContentInvalid
from scoring.languagetool import GrammarChecker
from trainer.db.models import AttemptCreate, AttemptOutcome, Speaker
from trainer.db.types import utcnow
from trainer.services import attempts
from trainer.services.rights import Actor
from trainer.settings import Settings, get_settings

SCENARIO_TYPE = "announcement"  # Attempt.scenario_type of an announcement exercise


class NotAnExercise(LookupError):
    """No such exercise, or not on that medium."""


class AnnouncementPost(BaseModel):
    stage: Stage
    text: str
    scorecard: dict
    model_answer: str


class AnnouncementState(BaseModel):
    """Everything the page keeps between reruns; JSON-serialisable."""

    attempt_id: int
    exercise_id: str
    medium: str
    stage: Literal["first", "update", "done"] = "first"
    shown_at: datetime
    posts: list[AnnouncementPost] = Field(default_factory=list)

    @property
    def exercise(self) -> Exercise:
        return get_exercise(self.exercise_id)


def brief_text(exercise: Exercise, stage: Stage) -> str:
    """A brief as it is stored with the attempt: the situation, then the facts."""
    brief = exercise.brief(stage)
    return "\n".join([brief.situation.strip(), *(f"- {fact}" for fact in brief.facts.values())])


def context_for(exercise: Exercise, stage: Stage, medium: str, *, feedback_language: str | None = None,
                queue_seconds: float | None = None, agent_name: str | None = None) -> ReplyContext:
    """What the scorer gets for one post: the brief of its stage, no customer message."""
    return ReplyContext(language=exercise.language, feedback_language=feedback_language, medium=medium,
                        announcement=exercise.scoring_brief(stage), brand_terms=exercise.brand_terms(),
                        queue_seconds=queue_seconds, agent_name=agent_name)


def _exercise(exercise_id: str, medium: str) -> Exercise:
    try:
        exercise = get_exercise(exercise_id)
    except KeyError as missing:
        raise NotAnExercise(str(missing)) from None
    if medium not in exercise.media:
        raise NotAnExercise(f"exercise '{exercise_id}' is not written for '{medium}'")
    return exercise


def begin(*, session: Session, actor: Actor, exercise_id: str, medium: str, now: datetime | None = None) -> AnnouncementState:
    """Start an attempt: store it with the first brief."""
    now = now or utcnow()
    exercise = _exercise(exercise_id, medium)
    attempt = attempts.start_attempt(session=session, actor=actor, started_at=now, attempt_create=AttemptCreate(
        scenario_id=exercise.id, scenario_version=str(exercise.version), scenario_type=SCENARIO_TYPE, medium=medium,
        language=exercise.language, seed=0))
    attempts.record_customer_turn(session=session, actor=actor, attempt_id=attempt.id, text=brief_text(exercise, "first"),
                                  shown_at=now, speaker=Speaker.system)
    return AnnouncementState(attempt_id=attempt.id, exercise_id=exercise.id, medium=medium, shown_at=now)


@dataclass(frozen=True)
class PostResult:
    state: AnnouncementState
    scorecard: Scorecard
    sent_earlier: bool = False  # a repeated send with edited text: this is the post that went out


def post(*, session: Session, actor: Actor, state: AnnouncementState, text: str, submission_id: uuid.UUID,
         checker: GrammarChecker | None = None, feedback_language: str | None = None,
         now: datetime | None = None) -> PostResult:
    """Score and store the post of the current stage, then hand out the next brief (or finish).
    Idempotent per `submission_id`, like a practice reply: a repeat stores nothing twice."""
    if state.stage == "done":
        raise attempts.AttemptError("both_posts", attempt=state.attempt_id)
    stage: Stage = state.stage
    stored = attempts.stored_reply(session=session, actor=actor, submission_id=submission_id)
    sent_earlier = stored is not None and stored.text != text
    if stored is not None:
        text, now = stored.text, stored.sent_at
    now = now or utcnow()
    exercise = state.exercise
    card = score_reply(text, context_for(exercise, stage, state.medium, feedback_language=feedback_language),
                       checker=checker)
    if stored is None:
        attempts.submit_reply(session=session, actor=actor, scorecard=card, submission=attempts.ReplySubmission(
            attempt_id=state.attempt_id, submission_id=submission_id, text=text, shown_at=state.shown_at, sent_at=now,
            action=stage))
    posts = [*state.posts, AnnouncementPost(stage=stage, text=text, scorecard=card.model_dump(mode="json"),
                                            model_answer=exercise.brief(stage).model_answers[state.medium])]
    if stage == "first":
        if stored is None:
            attempts.record_customer_turn(session=session, actor=actor, attempt_id=state.attempt_id,
                                          text=brief_text(exercise, "update"), shown_at=now, speaker=Speaker.system)
        following = "update"
    else:
        passed = all(p.scorecard["passed"] for p in posts)
        attempts.finish_attempt(session=session, actor=actor, attempt_id=state.attempt_id, finished_at=now,
                                outcome=AttemptOutcome.resolved if passed else AttemptOutcome.escalated)
        following = "done"
    new_state = state.model_copy(update={"stage": following, "shown_at": now, "posts": posts})
    return PostResult(state=new_state, scorecard=card, sent_earlier=sent_earlier)


def resume(*, session: Session, actor: Actor, now: datetime | None = None,
           settings: Settings | None = None) -> AnnouncementState | None:
    """The announcement exercise the trainee left unfinished within `PRACTICE_RESUME_HOURS`,
    rebuilt from its stored posts; older ones (and ones whose exercise changed) are abandoned."""
    settings = settings or get_settings()
    now = now or utcnow()
    resumed = None
    for attempt in attempts.unfinished_attempts(session=session, actor=actor):
        if attempt.scenario_type != SCENARIO_TYPE:
            continue
        detail = attempts.attempt_detail(session=session, actor=actor, attempt_id=attempt.id)
        last = max((t.turn.sent_at or t.turn.shown_at or attempt.started_at for t in detail.turns), default=attempt.started_at)
        if resumed is None and now - last <= timedelta(hours=settings.PRACTICE_RESUME_HOURS):
            resumed = _rebuild(detail, now)
        if resumed is None or resumed.attempt_id != attempt.id:
            attempts.finish_attempt(session=session, actor=actor, attempt_id=attempt.id,
                                    outcome=AttemptOutcome.abandoned, finished_at=last)
    return resumed


def _rebuild(detail: attempts.AttemptDetail, now: datetime) -> AnnouncementState | None:
    attempt = detail.attempt
    try:
        exercise = _exercise(attempt.scenario_id, attempt.medium)
    except (NotAnExercise, ContentInvalid):
        return None
    if str(exercise.version) != attempt.scenario_version:
        return None
    posts = [AnnouncementPost(stage=t.turn.action, text=t.turn.text, scorecard=Scorecard.from_public_dict(
                 t.score.scorecard).model_dump(mode="json"), model_answer=exercise.brief(t.turn.action).model_answers[attempt.medium])
             for t in detail.turns if t.turn.speaker == Speaker.trainee and t.score is not None]
    if len(posts) > 1 or [p.stage for p in posts] not in ([], ["first"]):
        return None
    return AnnouncementState(attempt_id=attempt.id, exercise_id=exercise.id, medium=attempt.medium,
                             stage="update" if posts else "first", shown_at=now, posts=posts)


def abandon(*, session: Session, actor: Actor, state: AnnouncementState) -> None:
    attempts.finish_attempt(session=session, actor=actor, attempt_id=state.attempt_id, outcome=AttemptOutcome.abandoned)


__all__ = ["AnnouncementPost", "AnnouncementState", "NotAnExercise", "PostResult", "SCENARIO_TYPE", "abandon", "begin",
           "brief_text", "context_for", "post", "resume"]

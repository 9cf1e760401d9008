"""A practice conversation from first message to outcome: the scenario engine plays the
customer, the scorer judges each reply, and everything is stored as it happens.

Plain Python: the practise page calls these functions and keeps only the returned
`PracticeState` (JSON-serialisable) between reruns. Rights are checked by the attempts service
underneath, whatever calls this.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
import random
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field
from sqlmodel import Session

import scenarios
from scenarios.engine import Conversation, ConversationOver
from scenarios.schema import ScenarioType
from scoring.config import DimensionName, media_catalogue
from scoring.contentfile import ContentError, ContentInvalid, content_dir, display_path, line_of, load_model, read_yaml
from scoring import Scorecard, score_reply
from scoring.languagetool import GrammarChecker
from trainer.db.types import utcnow
from trainer.db.models import AttemptCreate, AttemptOutcome, Speaker
from trainer.services import attempts, progress
from trainer.services.announcements import SCENARIO_TYPE as ANNOUNCEMENT
from trainer.services.rights import Actor
from trainer.settings import Settings, get_settings


class NoScenario(LookupError):
    """No scenario fits the choice (language, medium, type)."""


class WeakPoint(BaseModel):
    model_config = ConfigDict(extra="forbid")

    types: list[ScenarioType] = Field(min_length=1)
    media: list[str] = Field(min_length=1)


class WeakPoints(BaseModel):
    model_config = ConfigDict(extra="forbid")

    weak_points: dict[DimensionName, WeakPoint]


@lru_cache(maxsize=None)
def weak_points(root: Path | None = None) -> WeakPoints:
    """content/practice/weak_points.yaml, validated (errors name the file and line)."""
    path = (root or content_dir()) / "practice" / "weak_points.yaml"
    loaded = load_model(path, WeakPoints)
    known = set(media_catalogue(root).media)
    _, node = read_yaml(path)
    errors = [
        ContentError(display_path(path), line_of(node, ("weak_points", dimension, "media", index)),
                     f"weak_points -> {dimension} -> media -> {index}", f"'{medium}' is not a medium in content/media.yaml",
                     "E200")
        for dimension, point in loaded.weak_points.items()
        for index, medium in enumerate(point.media) if medium not in known
    ]
    if errors:
        raise ContentInvalid(errors)
    return loaded


@dataclass(frozen=True)
class WeakestChoice:
    dimension: str | None  # None: no history yet, so any scenario is as good as another
    scenario_id: str
    medium: str


def weakest_point(*, session: Session, actor: Actor, language: str, seed: int) -> WeakestChoice:
    """A scenario and medium that train the trainee's weakest dimension (progress service)."""
    progress_now = progress.trainee_progress(session=session, actor=actor, trainee_id=actor.id)
    dimension = progress_now.weakest_dimension
    rng = random.Random(seed)
    point = weak_points().weak_points.get(dimension) if dimension else None
    if point is not None:
        fitting = [
            (c.id, medium) for c in choices(language) if c.type in point.types
            for medium in c.media if medium in point.media
        ]
        if fitting:
            scenario_id, medium = rng.choice(fitting)
            return WeakestChoice(dimension, scenario_id, medium)
    scenario_id = pick(language, None, None, seed)
    medium = rng.choice(next(c for c in choices(language) if c.id == scenario_id).media)
    return WeakestChoice(None, scenario_id, medium)


class PracticeTurn(BaseModel):
    """One reply as the trainee will see it again in the replay."""

    reply: str
    action: str | None = None
    medium: str
    scorecard: dict
    model_answer: str
    model_action: str | None = None
    customer_after: list[str] = Field(default_factory=list)
    seconds: float


class PracticeState(BaseModel):
    """Everything the page keeps between reruns. `conversation` is the engine's own JSON."""

    attempt_id: int
    conversation: str
    shown_at: datetime
    turns: list[PracticeTurn] = Field(default_factory=list)

    def restore(self) -> Conversation:
        return Conversation.from_json(self.conversation)


@dataclass(frozen=True)
class ScenarioChoice:
    id: str
    title: str
    type: str
    sector: str
    difficulty: int
    media: tuple[str, ...]


def choices(language: str, medium: str | None = None, scenario_type: str | None = None) -> list[ScenarioChoice]:
    """Scenarios a trainee can pick, filtered by medium and type."""
    found = []
    for s in scenarios.catalogue(language):
        if medium and medium not in s.media:
            continue
        if scenario_type and s.type != scenario_type:
            continue
        found.append(ScenarioChoice(s.id, s.title, s.type, s.sector, s.difficulty, tuple(s.media)))
    return found


def pick(language: str, medium: str | None, scenario_type: str | None, seed: int) -> str:
    """One scenario id for this choice, varied by the seed."""
    found = choices(language, medium, scenario_type)
    if not found:
        raise NoScenario(f"no {scenario_type or ''} scenario in {language} for {medium or 'any medium'}".replace("  ", " "))
    return random.Random(seed).choice(found).id


def begin(*, session: Session, actor: Actor, scenario_id: str, medium: str, seed: int,
          now: datetime | None = None) -> PracticeState:
    """Start an attempt: store it and the customer's opening messages."""
    now = now or utcnow()
    conversation = scenarios.start(scenario_id, medium, seed)
    scenario = conversation.scenario
    attempt = attempts.start_attempt(session=session, actor=actor, started_at=now, attempt_create=AttemptCreate(
        scenario_id=scenario.id, scenario_version=str(scenario.version), scenario_type=scenario.type,
        medium=medium, language=scenario.language, seed=seed,
    ))
    for text in conversation.pending_customer_messages:
        attempts.record_customer_turn(session=session, actor=actor, attempt_id=attempt.id, text=text, shown_at=now)
    return PracticeState(attempt_id=attempt.id, conversation=conversation.to_json(), shown_at=now)


@dataclass
class SendResult:
    state: PracticeState
    scorecard: Scorecard
    ended: bool
    outcome: str | None
    note: str | None = None
    stored_once: bool = field(default=True)
    # The reply box was edited after this submission had already gone through: the result is
    # that of the reply actually sent (`state.turns[-1].reply`), not of the edited text.
    sent_earlier: bool = False


def send(*, session: Session, actor: Actor, state: PracticeState, text: str, action: str | None,
         submission_id: uuid.UUID, checker: GrammarChecker | None = None, agent_name: str | None = None,
         feedback_language: str | None = None, now: datetime | None = None) -> SendResult:
    """Score and store one reply, then let the customer answer.

    Idempotent per `submission_id`: a repeat (a second click on Send, a retry after a run whose
    result the page never saw) stores nothing twice and returns the same advanced state as the
    first send, finishing what that send left undone (the customer's answer, the outcome).
    A repeat with edited text (the trainee changed the box after a send whose result the page
    never showed) gets the result of the reply the customer actually received, `sent_earlier`
    set: what was sent cannot be taken back."""
    stored = attempts.stored_reply(session=session, actor=actor, submission_id=submission_id)
    sent_earlier = False
    if stored is not None:
        sent_earlier = stored.text != text
        # Replay the first send exactly: its text and time, hence the same score and customer answer.
        text, now, action = stored.text, stored.sent_at, (None if stored.action == "reply" else stored.action)
    now = now or utcnow()
    conversation = state.restore()
    seconds = max(0.0, (now - state.shown_at).total_seconds())
    context = conversation.context_for_reply(seconds_to_reply=seconds, agent_name=agent_name,
                                             feedback_language=feedback_language)
    card = score_reply(text, context, checker=checker)
    model_answer, model_action = conversation.model_answer()
    medium = conversation.medium
    if stored is None:
        attempts.submit_reply(session=session, actor=actor, scorecard=card, submission=attempts.ReplySubmission(
            attempt_id=state.attempt_id, submission_id=submission_id, text=text, shown_at=state.shown_at, sent_at=now,
            action=action or "reply",
        ))
    turn = conversation.reply(text, card, action=action)
    already = len(stored.customer_after) if stored else 0
    for customer_text in turn.customer_messages[already:]:
        attempts.record_customer_turn(session=session, actor=actor, attempt_id=state.attempt_id, text=customer_text,
                                      shown_at=now)
    if turn.ended:  # finishing twice changes nothing
        attempts.finish_attempt(session=session, actor=actor, attempt_id=state.attempt_id,
                                outcome=AttemptOutcome(turn.outcome), finished_at=now)
    new_state = state.model_copy(update={
        "conversation": conversation.to_json(),
        "shown_at": now,
        "turns": [*state.turns, PracticeTurn(
            reply=text, action=action, medium=medium, scorecard=card.model_dump(mode="json"),
            model_answer=model_answer, model_action=model_action, customer_after=turn.customer_messages,
            seconds=round(seconds, 1),
        )],
    })
    return SendResult(state=new_state, scorecard=card, ended=turn.ended, outcome=turn.outcome, note=turn.note,
                      stored_once=stored is None, sent_earlier=sent_earlier)


def resume(*, session: Session, actor: Actor, now: datetime | None = None,
           settings: Settings | None = None) -> PracticeState | None:
    """The conversation the trainee left unfinished (a logout, an idle timeout, an app restart
    lose the page's state, never the stored replies), rebuilt from what was stored, or None.

    The engine is replayed from the attempt's scenario and seed with each stored reply and its
    stored scorecard; every customer message it produces must match the stored one. The newest
    unfinished attempt whose last message is at most `PRACTICE_RESUME_HOURS` old comes back, with
    the reply clock starting now (time away is not reply time). Every other unfinished attempt,
    and one that cannot be rebuilt (its scenario changed or is gone), is closed as abandoned; one
    whose stored replies already ended the story gets that outcome."""
    settings = settings or get_settings()
    now = now or utcnow()
    resumed = None
    for attempt in attempts.unfinished_attempts(session=session, actor=actor):
        if attempt.scenario_type == ANNOUNCEMENT:  # trainer.services.announcements resumes those
            continue
        detail = attempts.attempt_detail(session=session, actor=actor, attempt_id=attempt.id)
        last = max((t.turn.sent_at or t.turn.shown_at or attempt.started_at for t in detail.turns),
                   default=attempt.started_at)
        fresh = resumed is None and now - last <= timedelta(hours=settings.PRACTICE_RESUME_HOURS)
        rebuilt = _rebuild(session=session, actor=actor, detail=detail, now=now) if fresh else None
        if isinstance(rebuilt, PracticeState):
            resumed = rebuilt
        elif rebuilt is None:
            attempts.finish_attempt(session=session, actor=actor, attempt_id=attempt.id,
                                    outcome=AttemptOutcome.abandoned, finished_at=last)
    return resumed


def _rebuild(*, session: Session, actor: Actor, detail: attempts.AttemptDetail,
             now: datetime) -> PracticeState | bool | None:
    """The attempt's PracticeState; False when its stored replies ended it (now finished with
    that outcome); None when it cannot be rebuilt as it was."""
    attempt = detail.attempt

    def record(text: str, shown_at: datetime) -> None:  # a send stopped before the customer answered
        attempts.record_customer_turn(session=session, actor=actor, attempt_id=attempt.id, text=text, shown_at=shown_at)

    story = replayed(detail, now=now, record=record)
    if story is None:
        return None
    if story.outcome is not None:
        attempts.finish_attempt(session=session, actor=actor, attempt_id=attempt.id,
                                outcome=AttemptOutcome(story.outcome), finished_at=story.ended_at)
        return False
    return PracticeState(attempt_id=attempt.id, conversation=story.conversation.to_json(), shown_at=now,
                         turns=story.turns)


@dataclass
class Replayed:
    """An attempt's story played again through the engine: each stored reply with its model answer."""

    conversation: Conversation
    turns: list[PracticeTurn]
    outcome: str | None = None  # the end the stored replies reached; None: the story is still open
    ended_at: datetime | None = None


def replayed(detail: attempts.AttemptDetail, *, now: datetime,
             record: Callable[[str, datetime], None] | None = None) -> Replayed | None:
    """The engine replayed from the attempt's scenario and seed with each stored reply and its
    stored scorecard; None when that is not the same story (the scenario changed or is gone, a
    customer message differs). `record` gets each customer message the engine gives that was
    never stored (a send stopped before the customer answered); without it nothing is written."""
    attempt = detail.attempt
    try:
        conversation = scenarios.start(attempt.scenario_id, attempt.medium, attempt.seed)
    except (KeyError, ValueError, ContentInvalid):
        return None
    if str(conversation.scenario.version) != attempt.scenario_version:
        return None
    stored = [t for t in detail.turns if t.turn.speaker in (Speaker.customer, Speaker.trainee)]
    opening = [t.turn.text for t in itertools.takewhile(lambda t: t.turn.speaker == Speaker.customer, stored)]
    if opening != conversation.pending_customer_messages:
        return None
    position, story = len(opening), Replayed(conversation=conversation, turns=[])
    while position < len(stored):
        mine = stored[position]
        if mine.turn.speaker != Speaker.trainee or mine.score is None:
            return None
        after = [t.turn.text for t in itertools.takewhile(lambda t: t.turn.speaker == Speaker.customer,
                                                          stored[position + 1:])]
        card = Scorecard.from_public_dict(mine.score.scorecard)
        model_answer, model_action = conversation.model_answer()
        medium, action = conversation.medium, (None if mine.turn.action in (None, "reply") else mine.turn.action)
        try:
            turn = conversation.reply(mine.turn.text, card, action=action)
        except (ValueError, ConversationOver):
            return None
        if turn.customer_messages[:len(after)] != after:
            return None
        sent_at = mine.turn.sent_at or now
        for text in turn.customer_messages[len(after):]:
            if record is not None:
                record(text, sent_at)
        seconds = (sent_at - mine.turn.shown_at).total_seconds() if mine.turn.shown_at else 0.0
        story.turns.append(PracticeTurn(
            reply=mine.turn.text, action=action, medium=medium, scorecard=card.model_dump(mode="json"),
            model_answer=model_answer, model_action=model_action, customer_after=turn.customer_messages,
            seconds=round(max(0.0, seconds), 1),
        ))
        if turn.ended:
            story.outcome, story.ended_at = turn.outcome, sent_at
            return story
        position += 1 + len(after)
    return story


def abandon(*, session: Session, actor: Actor, state: PracticeState) -> None:
    attempts.finish_attempt(session=session, actor=actor, attempt_id=state.attempt_id,
                            outcome=AttemptOutcome.abandoned)


def summary(state: PracticeState) -> dict[str, float]:
    """Average score per dimension over the attempt's replies (checked dimensions only)."""
    sums: dict[str, list[float]] = {}
    for turn in state.turns:
        for name, dim in turn.scorecard["dimensions"].items():
            if dim["checked"]:
                sums.setdefault(name, []).append(dim["score"])
    return {name: round(sum(values) / len(values), 1) for name, values in sums.items()}


__all__ = ["NoScenario", "PracticeState", "PracticeTurn", "Replayed", "ScenarioChoice", "SendResult", "WeakestChoice",
           "abandon", "begin", "choices", "pick", "replayed", "resume", "send", "summary", "weak_points", "weakest_point"]

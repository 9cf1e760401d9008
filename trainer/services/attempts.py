"""Attempts, their turns, and the scores of trainee replies.

`submit_reply` writes the reply and its whole scorecard (total, per-dimension scores, findings)
in one transaction, keyed by a submission id the client makes before its first send: a double
click or a retry after a dropped connection finds the stored reply instead of adding another.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime

from pydantic import BaseModel, ConfigDict, field_validator
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from scoring.model import Scorecard
from trainer.db.drill_models import DrillConversation
from trainer.db.engine import writes
from trainer.db.models import (
    Attempt,
    AttemptCreate,
    AttemptOutcome,
    DimensionScore,
    FindingRecord,
    Review,
    Score,
    ScoreOverride,
    Speaker,
    Turn,
    User,
)
from trainer.db.types import utcnow
from trainer.services import limits
from trainer.services.accounts import load_actor, load_for
from trainer.services.errors import Refused, get_or_not_found
from trainer.services.rights import Action, Actor, PermissionDenied, require


class AttemptError(Refused):
    """The attempt cannot take this (e.g. a reply to a finished attempt); an unknown one is NotFound."""

    area = "attempt"


class SubmissionConflict(ValueError):
    """The same submission id came back with a different reply: a client bug, never merged."""


class ReplySubmission(BaseModel):
    model_config = ConfigDict(extra="forbid")

    attempt_id: int
    submission_id: uuid.UUID
    text: str
    shown_at: datetime | None = None
    sent_at: datetime | None = None
    action: str = "reply"

    @field_validator("shown_at", "sent_at")
    @classmethod
    def _aware(cls, value: datetime | None) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("must be an aware datetime (UTC)")
        return value


@dataclass(frozen=True)
class SubmitResult:
    turn_id: int
    score_id: int
    created: bool  # False: this submission was already stored; nothing was added


@dataclass
class ScoredTurn:
    turn: Turn
    score: Score | None = None
    dimensions: list[DimensionScore] = field(default_factory=list)
    findings: list[FindingRecord] = field(default_factory=list)
    reviews: list[Review] = field(default_factory=list)
    overrides: list[ScoreOverride] = field(default_factory=list)


@dataclass
class AttemptDetail:
    attempt: Attempt
    trainee: User
    turns: list[ScoredTurn]


def _require_drill_conversation(session: Session, actor: User, attempt_create: AttemptCreate) -> None:
    """A drill attempt counts toward certification, so its drill id is never taken on trust:
    the actor must hold that drill's conversation with this scenario, medium and seed."""
    held = session.exec(select(DrillConversation.id).where(
        DrillConversation.run_id == attempt_create.drill_run_id, DrillConversation.claimed_by_id == actor.id,
        DrillConversation.scenario_id == attempt_create.scenario_id, DrillConversation.medium == attempt_create.medium,
        DrillConversation.seed == attempt_create.seed)).first()
    if held is None:
        raise PermissionDenied(f"{actor.email} holds no conversation of drill {attempt_create.drill_run_id} for this attempt")


@writes
def start_attempt(
    *, session: Session, actor: Actor, attempt_create: AttemptCreate, started_at: datetime | None = None
) -> Attempt:
    actor = load_actor(session, actor)
    require(actor, Action.practise, session=session)
    if attempt_create.drill_run_id is not None:
        _require_drill_conversation(session, actor, attempt_create)
    attempt = Attempt.model_validate(attempt_create, update={"user_id": actor.id, "started_at": started_at or utcnow()})
    session.add(attempt)
    session.commit()
    session.refresh(attempt)
    return attempt


@writes
def record_customer_turn(
    *, session: Session, actor: Actor, attempt_id: int, text: str, shown_at: datetime | None = None,
    speaker: Speaker = Speaker.customer,
) -> Turn:
    """A customer message the trainee was shown (the scenario engine speaks for the customer),
    or with `speaker` system a brief (an announcement exercise's facts); a customer's turn
    carries the customer's mood in it."""
    actor, attempt = load_for(session, actor, Attempt, attempt_id, Action.practise)
    if speaker is Speaker.trainee:
        raise AttemptError("reply_unscored")
    # spaCy loads on the first customer turn, not with the login page that imports this module
    from scoring.sentiment import mood_of

    mood = mood_of(text, attempt.language) if speaker is Speaker.customer else None
    turn = Turn(attempt_id=attempt.id, speaker=speaker, text=text, shown_at=shown_at or utcnow(), mood=mood)
    session.add(turn)
    session.commit()
    session.refresh(turn)
    return turn


def _stored(session: Session, submission_id: uuid.UUID) -> tuple[Turn, Score | None] | None:
    row = session.exec(
        select(Turn, Score).join(Score, Score.turn_id == Turn.id, isouter=True).where(Turn.submission_id == submission_id)
    ).first()
    return (row[0], row[1]) if row else None


def _replay(actor: Actor, submission: ReplySubmission, stored: tuple[Turn, Score | None], session: Session) -> SubmitResult:
    turn, score = stored
    attempt = get_or_not_found(session, Attempt, turn.attempt_id)
    require(actor, Action.practise, attempt, session=session)
    if turn.attempt_id != submission.attempt_id or turn.text != submission.text:
        raise SubmissionConflict(f"submission {submission.submission_id} was already stored with another reply")
    return SubmitResult(turn_id=turn.id, score_id=score.id if score else 0, created=False)


def _insert_scored_reply(
    session: Session, attempt: Attempt, submission: ReplySubmission, scorecard: Scorecard
) -> tuple[Turn, Score]:
    now = utcnow()
    turn = Turn(
        attempt_id=attempt.id,
        speaker=Speaker.trainee,
        text=submission.text,
        shown_at=submission.shown_at,
        sent_at=submission.sent_at or now,
        action=submission.action,
        submission_id=submission.submission_id,
    )
    session.add(turn)
    session.flush()
    score = Score(
        turn_id=turn.id,
        attempt_id=attempt.id,
        user_id=attempt.user_id,
        total=scorecard.total,
        passed=scorecard.passed,
        pass_mark=scorecard.pass_mark,
        language=scorecard.language,
        medium=scorecard.medium,
        critical_findings=len(scorecard.critical),
        scored_at=turn.sent_at,
        scorecard=scorecard.to_public_dict(),
    )
    session.add(score)
    session.flush()
    for result in scorecard.dimensions.values():
        session.add(
            DimensionScore(
                score_id=score.id,
                user_id=score.user_id,
                scored_at=score.scored_at,
                name=result.name,
                version=result.version,
                score=result.score if result.checked else None,
                weight=result.weight,
                checked=result.checked,
                note=result.note,
            )
        )
    for finding in scorecard.findings:
        session.add(
            FindingRecord(
                score_id=score.id,
                dimension=finding.dimension,
                severity=finding.severity.value,
                rule=finding.rule,
                span_start=finding.span[0],
                span_end=finding.span[1],
                message=finding.message,
                suggestion=finding.suggestion,
                points=finding.points,
            )
        )
    return turn, score


@dataclass(frozen=True)
class StoredReply:
    """A reply already stored under a submission id, and what the customer said after it."""

    text: str
    action: str
    sent_at: datetime
    customer_after: list[str]


def stored_reply(*, session: Session, actor: Actor, submission_id: uuid.UUID) -> StoredReply | None:
    """The reply stored under `submission_id`, or None: lets a repeated send finish the first one."""
    actor = load_actor(session, actor)
    stored = _stored(session, submission_id)
    if stored is None:
        return None
    turn = stored[0]
    require(actor, Action.practise, get_or_not_found(session, Attempt, turn.attempt_id), session=session)
    later = session.exec(
        select(Turn).where(Turn.attempt_id == turn.attempt_id, Turn.id > turn.id).order_by(Turn.id)  # type: ignore[arg-type]
    ).all()
    after = []
    for other in later:
        if other.speaker != Speaker.customer:
            break
        after.append(other.text)
    return StoredReply(text=turn.text, action=turn.action or "reply", sent_at=turn.sent_at, customer_after=after)


@writes
def submit_reply(*, session: Session, actor: Actor, submission: ReplySubmission, scorecard: Scorecard) -> SubmitResult:
    """Store a trainee's reply with its scorecard, once."""
    limits.check(submission.text, "reply")
    actor = load_actor(session, actor)
    stored = _stored(session, submission.submission_id)
    if stored is not None:
        return _replay(actor, submission, stored, session)
    attempt = get_or_not_found(session, Attempt, submission.attempt_id)
    require(actor, Action.practise, attempt, session=session)
    if attempt.outcome != AttemptOutcome.in_progress:
        raise AttemptError("finished", attempt=attempt.id)

    try:
        turn, score = _insert_scored_reply(session, attempt, submission, scorecard)
        session.commit()
    except IntegrityError:
        # Another request stored the same submission between our look and our write.
        session.rollback()
        stored = _stored(session, submission.submission_id)
        if stored is None:
            raise
        return _replay(actor, submission, stored, session)
    return SubmitResult(turn_id=turn.id, score_id=score.id, created=True)


@writes
def finish_attempt(
    *, session: Session, actor: Actor, attempt_id: int, outcome: AttemptOutcome, finished_at: datetime | None = None
) -> Attempt:
    actor, attempt = load_for(session, actor, Attempt, attempt_id, Action.practise)
    outcome = AttemptOutcome(outcome)
    if outcome is AttemptOutcome.in_progress:
        raise AttemptError("finish_in_progress")
    if attempt.outcome != AttemptOutcome.in_progress:
        return attempt  # finishing twice (a retry) changes nothing
    attempt.outcome = outcome
    attempt.finished_at = finished_at or utcnow()
    session.add(attempt)
    session.commit()
    session.refresh(attempt)
    return attempt


def list_attempts(*, session: Session, actor: Actor, trainee_id: int, limit: int = 100, offset: int = 0) -> list[Attempt]:
    """A trainee's attempts, newest first (the trainee, their managers, admins)."""
    actor, trainee = load_for(session, actor, User, trainee_id, Action.read_attempts)
    query = (
        select(Attempt)
        .where(Attempt.user_id == trainee_id)
        .order_by(Attempt.started_at.desc(), Attempt.id.desc())  # type: ignore[attr-defined]
        .offset(offset)
        .limit(limit)
    )
    return list(session.exec(query).all())


def unfinished_attempts(*, session: Session, actor: Actor) -> list[Attempt]:
    """The actor's own practice attempts still in progress, newest first (a drill's attempts
    end with the drill)."""
    actor = load_actor(session, actor)
    require(actor, Action.practise, session=session)
    return list(session.exec(
        select(Attempt).where(Attempt.user_id == actor.id, Attempt.outcome == AttemptOutcome.in_progress,
                              Attempt.drill_run_id == None)  # noqa: E711
        .order_by(Attempt.started_at.desc(), Attempt.id.desc())  # type: ignore[attr-defined]
    ).all())


def attempt_detail(*, session: Session, actor: Actor, attempt_id: int) -> AttemptDetail:
    """An attempt with every turn and, for replies, the score, findings, reviews and overrides."""
    actor, attempt = load_for(session, actor, Attempt, attempt_id, Action.read_attempts)
    turns = session.exec(
        select(Turn).where(Turn.attempt_id == attempt.id).order_by(Turn.created_at, Turn.id)  # type: ignore[arg-type]
    ).all()
    scores = {s.turn_id: s for s in session.exec(select(Score).where(Score.attempt_id == attempt.id)).all()}
    score_ids = [s.id for s in scores.values()]
    by_score: dict[int, ScoredTurn] = {}
    result: list[ScoredTurn] = []
    for turn in turns:
        scored = ScoredTurn(turn=turn, score=scores.get(turn.id))
        if scored.score is not None:
            by_score[scored.score.id] = scored
        result.append(scored)
    if score_ids:
        for row in session.exec(select(DimensionScore).where(DimensionScore.score_id.in_(score_ids)).order_by(DimensionScore.id)):  # type: ignore[attr-defined]
            by_score[row.score_id].dimensions.append(row)
        for row in session.exec(select(FindingRecord).where(FindingRecord.score_id.in_(score_ids)).order_by(FindingRecord.span_start, FindingRecord.id)):  # type: ignore[attr-defined]
            by_score[row.score_id].findings.append(row)
        for row in session.exec(select(Review).where(Review.score_id.in_(score_ids)).order_by(Review.created_at)):  # type: ignore[attr-defined]
            by_score[row.score_id].reviews.append(row)
        for row in session.exec(select(ScoreOverride).where(ScoreOverride.score_id.in_(score_ids)).order_by(ScoreOverride.created_at)):  # type: ignore[attr-defined]
            by_score[row.score_id].overrides.append(row)
    return AttemptDetail(attempt=attempt, trainee=session.get(User, attempt.user_id), turns=result)

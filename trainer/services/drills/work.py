"""The trainees' work in the shared inbox: claim, release, hand over, label, reply and close
without a reply (`dismiss`: spam, a troll, a post that asks nothing).

- A claim is atomic: on PostgreSQL the row is locked with `FOR UPDATE SKIP LOCKED` before the
  conditional update; on SQLite a conditional `UPDATE ... WHERE claimed_by_id IS NULL` whose
  row count says who won. Two trainees never hold (and so never answer) the same customer.
- A reply is scored as in practice, with the queue time against the SLA, outside any lock;
  the write then checks the claim again and stores the reply with the attempts service (one
  attempt per trainee and customer, `drill_run_id` set), so drills count toward certification.
- A noise post (trainer.services.drills.noise) has no scenario: a reply to it is stored
  unscored and ends it; what counts is the choice (answer, label, close), judged in the debrief.
- An injected announcement (trainer.services.drills.announcements) is written, not answered:
  its post is scored on the announcement rubric, then its update on the brief an hour later.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import and_, or_, update
from sqlmodel import Session, col, select

import scenarios
from scenarios.engine import Conversation, Turn
from scoring import Scorecard, score_reply
from scoring.config import media_catalogue
from scoring.languagetool import GrammarChecker
from scoring.sentiment import mood_of
from trainer.db.drill_models import DrillConversation, DrillMessage, DrillRun, DrillStatus
from trainer.db.engine import writes
from trainer.db.models import Attempt, AttemptCreate, Score, User
from trainer.db.types import utcnow
from trainer.services import attempts, limits
from trainer.services.drills.clock import drill_seconds
from trainer.services.drills.core import (
    DrillError,
    NotYours,
    get_conversation,
    get_run,
    participant,
    record_event,
    require_drill,
    template_of,
    worker,
)
from trainer.services.drills import announcements, reach
from trainer.services.drills.noise import ANSWERED, DISMISSED, is_noise, item_of
from trainer.services.drills.views import inbox
from trainer.services.rights import Action, Actor, PermissionDenied, is_plain_member


def _claimable(template_idle_release_seconds: float, elapsed: float):
    cutoff = elapsed - template_idle_release_seconds
    return and_(
        DrillConversation.ended == False,  # noqa: E712
        or_(DrillConversation.claimed_by_id == None, DrillConversation.claim_active_offset < cutoff),  # noqa: E711
    )


def _take(session: Session, run: DrillRun, conversation_id: int, user: User, elapsed: float, now: datetime) -> bool:
    """The atomic claim. PostgreSQL: lock the row first, skipping it if someone else is at it;
    both databases: a conditional update whose row count says who won."""
    claimable = _claimable(template_of(run).idle_release_seconds, elapsed)
    if session.get_bind().dialect.name == "postgresql":
        locked = session.exec(select(DrillConversation.id).where(DrillConversation.id == conversation_id, claimable)
                              .with_for_update(skip_locked=True)).first()
        if locked is None:
            return False
    result = session.execute(update(DrillConversation).where(DrillConversation.id == conversation_id, claimable).values(
        claimed_by_id=user.id, claimed_at=now, claim_active_offset=elapsed, version=DrillConversation.version + 1))
    return result.rowcount == 1


def _at_work(session: Session, actor: Actor, conversation_id: int) -> tuple[DrillConversation, DrillRun, User]:
    """The conversation, its drill and the acting trainee, who may work in it now."""
    conversation = get_conversation(session, conversation_id)
    run = get_run(session, conversation.run_id)
    return conversation, run, worker(session, actor, run)


@writes(own_transaction=True)
def claim(*, session: Session, actor: Actor, conversation_id: int, now: datetime | None = None) -> bool:
    """Take a conversation. True when the actor holds it now (also when they already did)."""
    now = now or utcnow()
    conversation, run, user = _at_work(session, actor, conversation_id)
    if conversation.claimed_by_id == user.id:
        return True
    elapsed = drill_seconds(run, now)
    previous = conversation.claimed_by_id  # set: an idle claim, taken over only if it expired
    won = _take(session, run, conversation_id, user, elapsed, now)
    if won:
        details = {"took_over_idle": previous} if previous is not None else {}
        record_event(session, run, "claimed", now, user_id=user.id, conversation_id=conversation_id, **details)
        session.commit()
    else:
        session.rollback()
    return won


def claim_next(*, session: Session, actor: Actor, run_id: str, now: datetime | None = None) -> int | None:
    """Take the most urgent free conversation (the longest share of its SLA waited)."""
    now = now or utcnow()
    for item in inbox(session=session, actor=actor, run_id=run_id, now=now):
        if item.claimed_by_id is None and item.waiting_seconds is not None:
            if claim(session=session, actor=actor, conversation_id=item.id, now=now):
                return item.id
    return None


def _pass_on(session: Session, run: DrillRun, user: User, conversation_id: int, **values) -> None:
    """Set the holder of a conversation `user` holds (None: back to the queue), or NotYours."""
    result = session.execute(update(DrillConversation).where(
        DrillConversation.id == conversation_id, DrillConversation.claimed_by_id == user.id,
    ).values(**values, version=DrillConversation.version + 1))
    if result.rowcount != 1:
        raise NotYours("not_held", conversation=conversation_id)


@writes(own_transaction=True)
def release(*, session: Session, actor: Actor, conversation_id: int, now: datetime | None = None) -> None:
    """Give a conversation back to the queue."""
    now = now or utcnow()
    conversation, run, user = _at_work(session, actor, conversation_id)
    _pass_on(session, run, user, conversation_id, claimed_by_id=None, claimed_at=None, claim_active_offset=None)
    record_event(session, run, "released", now, user_id=user.id, conversation_id=conversation_id)
    session.commit()


@writes(own_transaction=True)
def hand_over(*, session: Session, actor: Actor, conversation_id: int, to_user_id: int,
              now: datetime | None = None) -> None:
    """Pass a held conversation to a colleague in the same team."""
    now = now or utcnow()
    conversation, run, user = _at_work(session, actor, conversation_id)
    if not is_plain_member(session, to_user_id, run.team_id) or to_user_id == user.id:
        raise DrillError("hand_over_to_trainee")
    elapsed = drill_seconds(run, now)
    _pass_on(session, run, user, conversation_id, claimed_by_id=to_user_id, claimed_at=now, claim_active_offset=elapsed)
    record_event(session, run, "handed_over", now, user_id=user.id, conversation_id=conversation_id, to=to_user_id)
    session.commit()


@writes(own_transaction=True)
def set_label(*, session: Session, actor: Actor, conversation_id: int, label: str | None,
              now: datetime | None = None) -> None:
    """Label a conversation with one of the template's labels (None clears it)."""
    now = now or utcnow()
    conversation = get_conversation(session, conversation_id, lock=True)
    run = get_run(session, conversation.run_id)
    user = participant(session, actor)
    require_drill(session, user, run, Action.work_drill, Action.run_drill, what="label in")
    if label is not None and label not in template_of(run).labels:
        raise DrillError("unknown_label", label=label)
    conversation.label = label
    conversation.version += 1
    session.add(conversation)
    record_event(session, run, "labelled", now, user_id=user.id, conversation_id=conversation_id, label=label)
    session.commit()


@writes(own_transaction=True)
def dismiss(*, session: Session, actor: Actor, conversation_id: int, now: datetime | None = None) -> None:
    """Close a conversation the actor holds without a reply (outcome `dismissed`): for posts
    that need no answer. A customer who did need one counts as never answered."""
    now = now or utcnow()
    conversation, run, user = _at_work(session, actor, conversation_id)
    if conversation.ended:
        raise DrillError("ended")
    _pass_on(session, run, user, conversation_id, claimed_by_id=None, claimed_at=None, claim_active_offset=None,
             ended=True, outcome=DISMISSED, waiting_since=None)
    record_event(session, run, "dismissed", now, user_id=user.id, conversation_id=conversation_id)
    session.commit()


# ---------------------------------------------------------------------------------- replies


@dataclass(frozen=True)
class ReplyResult:
    message_id: int
    score_id: int
    scorecard: dict
    queue_seconds: float
    sla_seconds: int
    customer_after: list[str] = field(default_factory=list)
    ended: bool = False
    outcome: str | None = None
    created: bool = True


@dataclass(frozen=True)
class _Scored:
    """A reply scored outside any transaction, and what it was scored against."""

    text: str
    action: str | None
    submission_id: uuid.UUID
    scorecard: Scorecard
    engine: Conversation  # the conversation as seen, with the reply played on it
    turn: Turn  # the customer's answer to it
    medium: str  # the medium the reply went out on
    seen_version: int
    elapsed: float
    queue: float


def _scaled_queue(queue: float, sla: int, medium: str) -> float:
    # The speed dimension judges queue time against content/media.yaml's SLA; a drill has its
    # own (shorter) SLA, so the queue time is scaled to keep the share of the SLA used.
    return queue / sla * media_catalogue().media[medium].sla_seconds


@writes(own_transaction=True)  # scoring ran outside any transaction; now write as one
def _attempt_for(*, session: Session, user: User, run: DrillRun, conversation: DrillConversation,
                 engine: Conversation, now: datetime) -> int:
    found = session.exec(select(Attempt.id).where(
        Attempt.user_id == user.id, Attempt.drill_run_id == run.id, Attempt.seed == conversation.seed,
        Attempt.scenario_id == conversation.scenario_id)).first()
    if found is not None:
        return found
    scenario = engine.scenario
    attempt = attempts.start_attempt(session=session, actor=user, started_at=now, attempt_create=AttemptCreate(
        scenario_id=scenario.id, scenario_version=str(scenario.version), scenario_type=scenario.type,
        medium=conversation.medium, language=scenario.language, seed=conversation.seed, drill_run_id=run.id))
    return attempt.id


def send_reply(*, session: Session, actor: Actor, conversation_id: int, text: str, submission_id: uuid.UUID,
               action: str | None = None, checker: GrammarChecker | None = None, now: datetime | None = None) -> ReplyResult:
    """Score and store a reply to a conversation the actor holds. A retry with the same
    `submission_id` stores nothing twice and gives the stored result, to its author only. The
    scorecard is always made here, from the text: callers cannot hand one in."""
    limits.check(text, "reply")  # before anything is read, scored or stored
    now = now or utcnow()
    conversation, run, user = _at_work(session, actor, conversation_id)  # rights first, then whatever is stored
    stored = session.exec(select(DrillMessage).where(DrillMessage.submission_id == str(submission_id))).first()
    if stored is not None:
        if stored.user_id != user.id or stored.conversation_id != conversation.id:
            raise PermissionDenied(f"submission {submission_id} is not {user.email}'s reply in conversation {conversation.id}")
        return _stored_result(session, stored)
    if run.status != DrillStatus.running:
        raise DrillError("paused")
    if conversation.claimed_by_id != user.id:
        raise NotYours("not_held", conversation=conversation_id)
    if conversation.ended:
        raise DrillError("ended")
    elapsed = drill_seconds(run, now)
    queue = max(0.0, elapsed - conversation.waiting_since) if conversation.waiting_since is not None else 0.0
    if is_noise(conversation):
        return _answer_noise(session=session, user=user, run=run, conversation_id=conversation_id, text=text,
                             submission_id=submission_id, elapsed=elapsed, queue=queue, now=now)
    if announcements.is_announcement(conversation):
        return _post_announcement(session=session, user=user, run=run, conversation=conversation, text=text,
                                  submission_id=submission_id, checker=checker, elapsed=elapsed, queue=queue, now=now)
    engine = Conversation.from_json(conversation.conversation)
    seen_version = conversation.version
    scenarios.warm_up(run.language)
    context = engine.context_for_reply(queue_seconds=_scaled_queue(queue, conversation.sla_seconds, conversation.medium),
                                       agent_name=(user.full_name.split() or [None])[0], feedback_language=user.language)
    scorecard = score_reply(text, context, checker=checker)  # ReplyRejected says why it cannot be scored
    # The customer's answer is worked out before the lock too (signals, sentiment).
    medium = engine.medium
    turn = engine.reply(text, scorecard, action)
    for said in turn.customer_messages:
        mood_of(said, run.language)
    scored = _Scored(text=text, action=action, submission_id=submission_id, scorecard=scorecard, engine=engine,
                     turn=turn, medium=medium, seen_version=seen_version, elapsed=elapsed, queue=queue)
    attempt_id = _attempt_for(session=session, user=user, run=run, conversation=conversation, engine=engine, now=now)
    reply, score_id, turn, engine = _store_reply(session=session, user=user, run=run, conversation_id=conversation_id,
                                                 attempt_id=attempt_id, scored=scored, now=now)
    # submit_reply committed; the link to the score is a second, small write.
    _link_score(session=session, user=user, reply=reply, score_id=score_id, attempt_id=attempt_id,
                ended=engine.ended, outcome=engine.outcome, now=now)
    return ReplyResult(message_id=reply.id, score_id=score_id, scorecard=scorecard.to_public_dict(),
                       queue_seconds=queue, sla_seconds=reply.sla_seconds, customer_after=list(turn.customer_messages),
                       ended=engine.ended, outcome=engine.outcome)


@writes(own_transaction=True)  # the attempt may just have been stored (committed, then read back)
def _store_reply(*, session: Session, user: User, run: DrillRun, conversation_id: int, attempt_id: int,
                 scored: _Scored, now: datetime) -> tuple[DrillMessage, int, Turn, Conversation]:
    """The reply, the customer's answer and the conversation's new state, if the trainee still
    holds it; then the score (attempts.submit_reply, which commits it all)."""
    conversation = get_conversation(session, conversation_id, lock=True)
    if conversation.claimed_by_id != user.id:
        raise NotYours("released", conversation=conversation_id)
    if conversation.ended:
        raise DrillError("ended")
    engine, medium, turn = scored.engine, scored.medium, scored.turn
    if conversation.version != scored.seen_version:  # a nudge or the manager spoke meanwhile
        engine = Conversation.from_json(conversation.conversation)
        medium = engine.medium
        turn = engine.reply(scored.text, scored.scorecard, scored.action)
    elapsed = scored.elapsed
    mood_before = _mean(_waiting_moods(session, conversation.id))  # before the reply joins the thread
    reply = DrillMessage(run_id=run.id, conversation_id=conversation.id, role="agent", source="reply", text=scored.text,
                         medium=medium, at=now, offset=elapsed, user_id=user.id, queue_seconds=round(scored.queue, 3),
                         sla_seconds=conversation.sla_seconds, score_total=scored.scorecard.total,
                         passed=scored.scorecard.passed, submission_id=str(scored.submission_id))
    session.add(reply)
    for said in turn.customer_messages:
        session.add(DrillMessage(run_id=run.id, conversation_id=conversation.id, role="customer", source="scenario",
                                 text=said, medium=engine.medium, at=now, offset=elapsed, mood=mood_of(said, run.language)))
    conversation.conversation = engine.to_json()
    conversation.replies += 1
    conversation.version += 1
    conversation.waiting_since = elapsed if turn.customer_messages and not engine.ended else None
    conversation.claim_active_offset = elapsed
    if engine.ended:
        conversation.ended, conversation.outcome = True, engine.outcome
        conversation.claimed_by_id, conversation.claimed_at, conversation.claim_active_offset = None, None, None
    reach.apply(session, run, conversation, reach.judge(
        medium=medium, followers=conversation.followers, first=reach.first_reach(conversation),
        passed=scored.scorecard.passed, total=scored.scorecard.total, mood_before=mood_before,
        mood_after=_mean([mood_of(said, run.language) for said in turn.customer_messages]),
        queue_seconds=scored.queue, sla_seconds=conversation.sla_seconds), now, user_id=user.id)
    session.flush()
    result = attempts.submit_reply(session=session, actor=user, scorecard=scored.scorecard, submission=attempts.ReplySubmission(
        attempt_id=attempt_id, submission_id=scored.submission_id, text=scored.text, sent_at=now,
        action=scored.action or "reply"))
    return reply, result.score_id, turn, engine


# As a writer again: a deferred transaction upgraded to a write fails at once on a busy SQLite.
@writes(own_transaction=True)
def _link_score(*, session: Session, user: User, reply: DrillMessage, score_id: int, attempt_id: int,
                ended: bool, outcome: str | None, now: datetime) -> None:
    """The reply's link to its score, and the attempt's end when the conversation ended."""
    reply.score_id = score_id
    session.add(reply)
    if ended:
        attempts.finish_attempt(session=session, actor=user, attempt_id=attempt_id, outcome=outcome, finished_at=now)
    session.commit()


@writes(own_transaction=True)
def _answer_noise(*, session: Session, user: User, run: DrillRun, conversation_id: int, text: str,
                  submission_id: uuid.UUID, elapsed: float, queue: float, now: datetime) -> ReplyResult:
    """A reply to a noise post: stored unscored (no scenario to score against); it ends the post."""
    conversation = get_conversation(session, conversation_id, lock=True)
    if conversation.claimed_by_id != user.id:
        raise NotYours("not_held", conversation=conversation_id)
    if conversation.ended:
        raise DrillError("ended")
    reply = DrillMessage(run_id=run.id, conversation_id=conversation.id, role="agent", source="reply", text=text,
                         medium=conversation.medium, at=now, offset=elapsed, user_id=user.id,
                         queue_seconds=round(queue, 3), sla_seconds=conversation.sla_seconds,
                         submission_id=str(submission_id))
    session.add(reply)
    conversation.replies += 1
    conversation.version += 1
    conversation.ended, conversation.outcome, conversation.waiting_since = True, ANSWERED, None
    conversation.claimed_by_id, conversation.claimed_at, conversation.claim_active_offset = None, None, None
    # No score: judged on its timing, and on whether the post needed an answer at all.
    reach.apply(session, run, conversation, reach.judge(
        medium=conversation.medium, followers=conversation.followers, first=reach.first_reach(conversation),
        passed=None, total=None, mood_before=None, mood_after=None, queue_seconds=queue,
        sla_seconds=conversation.sla_seconds, needless=not item_of(conversation, run.language).needs_answer),
        now, user_id=user.id)
    session.commit()
    return ReplyResult(message_id=reply.id, score_id=0, scorecard={}, queue_seconds=queue,
                       sla_seconds=reply.sla_seconds or 0, ended=True, outcome=ANSWERED)


def _post_announcement(*, session: Session, user: User, run: DrillRun, conversation: DrillConversation, text: str,
                       submission_id: uuid.UUID, checker: GrammarChecker | None, elapsed: float, queue: float,
                       now: datetime) -> ReplyResult:
    """A post for an injected announcement: scored on its stage's brief outside any lock, then
    stored (trainer.services.drills.announcements)."""
    conversation_id, sla, stage = conversation.id, conversation.sla_seconds, announcements.stage_of(conversation)
    scenarios.warm_up(run.language)
    scorecard = announcements.score_post(conversation=conversation, user=user, text=text, checker=checker,
                                         queue_seconds=_scaled_queue(queue, sla, conversation.medium))
    attempt_id = announcements.attempt_for(session=session, user=user, run=run, conversation=conversation, now=now)
    posted = announcements.store_post(session=session, user=user, run=run, conversation_id=conversation_id,
                                      attempt_id=attempt_id, text=text, submission_id=submission_id, scorecard=scorecard,
                                      stage=stage, elapsed=elapsed, queue=queue, now=now)
    return ReplyResult(message_id=posted.message_id, score_id=posted.score_id, scorecard=scorecard.to_public_dict(),
                       queue_seconds=queue, sla_seconds=sla, ended=posted.ended, outcome=posted.outcome)


def _waiting_moods(session: Session, conversation_id: int) -> list[float]:
    """The moods of the customer's messages since the team last replied (what a reply answers)."""
    moods: list[float] = []
    for role, mood in session.exec(select(DrillMessage.role, DrillMessage.mood).where(
            DrillMessage.conversation_id == conversation_id).order_by(col(DrillMessage.id))).all():
        if role == "agent":
            moods = []
        elif mood is not None:
            moods.append(mood)
    return moods


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _stored_result(session: Session, stored: DrillMessage) -> ReplyResult:
    score = session.get(Score, stored.score_id) if stored.score_id else None
    return ReplyResult(message_id=stored.id, score_id=stored.score_id or 0, scorecard=score.scorecard if score else {},
                       queue_seconds=stored.queue_seconds or 0.0, sla_seconds=stored.sla_seconds or 0, created=False)

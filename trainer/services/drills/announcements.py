""""Announcement needed": the manager injects an announcement exercise (scenarios.announcements)
into a running drill. It arrives in the shared inbox as a task like a customer (scenario_id
"announcement:<exercise id>", its brief as the first message, source `brief`): a trainee claims
it and writes the public post, scored on the announcement rubric with the queue time against
the drill's SLA, like a reply. Then the brief an hour later comes in and waits again; the update
is scored against it and ends the task (outcome `resolved` when both posts passed, else
`escalated`). The posts are stored as an attempt with the drill's id, like any drill reply.

It has no scenario engine: no nudges, no actions, no reach (nobody asked, so nobody shares it).
The debrief lists each announcement with its posts and their scores.
"""

from __future__ import annotations

import json
import random
import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from scenarios.announcements import PREFIX, Exercise, Stage, get_exercise
from scoring import Scorecard, score_reply
from scoring.languagetool import GrammarChecker
from trainer.db.drill_models import DrillConversation, DrillMessage, DrillRun
from trainer.db.engine import writes
from trainer.db.models import Attempt, AttemptCreate, AttemptOutcome, User
from trainer.services import attempts
from trainer.services.announcements import SCENARIO_TYPE, brief_text, context_for
from trainer.services.drills.core import DrillError, NotYours, get_conversation, template_of

SOURCE = "brief"  # the DrillMessage source of an announcement's brief


def is_announcement(conversation: DrillConversation) -> bool:
    return conversation.scenario_id.startswith(PREFIX)


def exercise_of(conversation: DrillConversation) -> Exercise:
    return get_exercise(conversation.scenario_id[len(PREFIX):])


def stage_of(conversation: DrillConversation) -> Stage:
    return json.loads(conversation.conversation)["stage"]


def _brief_message(run: DrillRun, conversation: DrillConversation, exercise: Exercise, stage: Stage, offset: float,
                   now: datetime) -> DrillMessage:
    return DrillMessage(run_id=run.id, conversation_id=conversation.id, role="customer", source=SOURCE,
                        text=brief_text(exercise, stage), medium=conversation.medium, at=now, offset=offset)


def arrive(session: Session, run: DrillRun, *, exercise_id: str, medium: str, arrival: int, offset: float,
           now: datetime, title: str) -> DrillConversation:
    """The task in the inbox, its first brief waiting for a post (in the caller's transaction)."""
    exercise = get_exercise(exercise_id)
    if exercise.language != run.language or medium not in exercise.media:
        raise DrillError("exercise_not_here", exercise=exercise_id, medium=medium)
    conversation = DrillConversation(
        run_id=run.id, arrival=arrival, scenario_id=f"{PREFIX}{exercise.id}", medium=medium,
        seed=random.Random(f"announcement:{run.seed}:{arrival}").randrange(1, 2**31), customer_name=exercise.brand,
        handle=exercise.brand, sla_seconds=template_of(run).sla_for(medium), arrived_at=now, arrived_offset=offset,
        waiting_since=offset, inject_title=title, conversation=json.dumps({"announcement": exercise.id, "stage": "first"}),
    )
    session.add(conversation)
    session.flush()
    session.add(_brief_message(run, conversation, exercise, "first", offset, now))
    return conversation


@dataclass(frozen=True)
class Posted:
    message_id: int
    score_id: int
    scorecard: Scorecard
    ended: bool
    outcome: str | None


def score_post(*, conversation: DrillConversation, user: User, text: str, queue_seconds: float,
               checker: GrammarChecker | None) -> Scorecard:
    """The post scored on its stage's brief, outside any lock (queue time already scaled)."""
    exercise = exercise_of(conversation)
    context = context_for(exercise, stage_of(conversation), conversation.medium, feedback_language=user.language,
                          queue_seconds=queue_seconds, agent_name=(user.full_name.split() or [None])[0])
    return score_reply(text, context, checker=checker)  # ReplyRejected says why it cannot be scored


@writes(own_transaction=True)
def attempt_for(*, session: Session, user: User, run: DrillRun, conversation: DrillConversation, now: datetime) -> int:
    found = session.exec(select(Attempt.id).where(
        Attempt.user_id == user.id, Attempt.drill_run_id == run.id, Attempt.seed == conversation.seed,
        Attempt.scenario_id == conversation.scenario_id)).first()
    if found is not None:
        return found
    exercise = exercise_of(conversation)
    return attempts.start_attempt(session=session, actor=user, started_at=now, attempt_create=AttemptCreate(
        scenario_id=conversation.scenario_id, scenario_version=str(exercise.version), scenario_type=SCENARIO_TYPE,
        medium=conversation.medium, language=exercise.language, seed=conversation.seed, drill_run_id=run.id)).id


@writes(own_transaction=True)
def store_post(*, session: Session, user: User, run: DrillRun, conversation_id: int, attempt_id: int, text: str,
               submission_id: uuid.UUID, scorecard: Scorecard, stage: Stage, elapsed: float, queue: float,
               now: datetime) -> Posted:
    """The post, and the next brief or the task's end, if the trainee still holds it at that stage."""
    conversation = get_conversation(session, conversation_id, lock=True)
    if conversation.claimed_by_id != user.id:
        raise NotYours("released", conversation=conversation_id)
    if conversation.ended or stage_of(conversation) != stage:
        raise DrillError("moved_on")
    post = DrillMessage(run_id=run.id, conversation_id=conversation.id, role="agent", source="reply", text=text,
                        medium=conversation.medium, at=now, offset=elapsed, user_id=user.id,
                        queue_seconds=round(queue, 3), sla_seconds=conversation.sla_seconds,
                        score_total=scorecard.total, passed=scorecard.passed, submission_id=str(submission_id))
    session.add(post)
    conversation.replies += 1
    conversation.version += 1
    conversation.claim_active_offset = elapsed
    outcome = None
    if stage == "first":
        exercise = exercise_of(conversation)
        conversation.conversation = json.dumps({"announcement": exercise.id, "stage": "update"})
        session.add(_brief_message(run, conversation, exercise, "update", elapsed, now))
        conversation.waiting_since = elapsed
    else:
        earlier = session.exec(select(DrillMessage.passed).where(
            DrillMessage.conversation_id == conversation.id, DrillMessage.role == "agent")).all()
        passed = scorecard.passed and all(p for p in earlier if p is not None)
        outcome = (AttemptOutcome.resolved if passed else AttemptOutcome.escalated).value
        conversation.ended, conversation.outcome, conversation.waiting_since = True, outcome, None
        conversation.claimed_by_id, conversation.claimed_at, conversation.claim_active_offset = None, None, None
    session.flush()
    result = attempts.submit_reply(session=session, actor=user, scorecard=scorecard, submission=attempts.ReplySubmission(
        attempt_id=attempt_id, submission_id=submission_id, text=text, sent_at=now, action=stage))
    post.score_id = result.score_id
    session.add(post)
    if outcome is not None:
        attempts.finish_attempt(session=session, actor=user, attempt_id=attempt_id, outcome=outcome, finished_at=now)
    session.commit()
    return Posted(message_id=post.id, score_id=result.score_id, scorecard=scorecard, ended=outcome is not None,
                  outcome=outcome)

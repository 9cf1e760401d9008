"""A trainee's past practice conversations, and one of them reopened: the stored transcript, each
reply's stored total with the manager's figure and words, and the model answers beside the replies.

The model answers are not stored: the engine plays the attempt again from its scenario and seed
with the stored replies (`practice.replayed`, the same replay that resumes a conversation), and
writes nothing. When that is not the same story any more (the scenario changed or is gone), the
transcript is shown without them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from trainer.db.models import Attempt, AttemptOutcome, Score, Speaker, User
from trainer.db.types import utcnow
from trainer.services import attempts, practice
from trainer.services.accounts import load_for
from trainer.services.announcements import SCENARIO_TYPE as ANNOUNCEMENT
from trainer.services.feedback import Remark, effective_totals
from trainer.services.rights import Action, Actor

PAST_LIMIT = 50  # the newest conversations listed; older ones stay in the team's transcripts and the exports


@dataclass(frozen=True)
class PastConversation:
    attempt_id: int
    scenario_id: str
    medium: str
    started_at: datetime
    outcome: str  # an AttemptOutcome value: an end state or "abandoned"
    replies: int
    mean_total: float | None  # over the figures that count (a manager's override, else the automatic total)


@dataclass(frozen=True)
class PastReply:
    turn: practice.PracticeTurn  # as the practise page's replay shows it: the stored scorecard, the model answer
    automatic_total: float
    effective_total: float  # the latest override of the total, else the automatic total
    pass_mark: float
    remarks: list[Remark]  # comments and overrides, oldest first

    @property
    def overridden(self) -> bool:
        return self.effective_total != self.automatic_total


@dataclass(frozen=True)
class PastMessage:
    from_customer: bool
    text: str
    at: datetime | None
    reply: PastReply | None = None  # for the trainee's scored replies


@dataclass(frozen=True)
class PastReplay:
    conversation: PastConversation
    messages: list[PastMessage]  # customer and trainee messages in the order they were written
    actions: dict[str, str]  # the scenario's action labels
    model_answers: bool  # False: the story could not be played again, so no model answers


def _summaries(session: Session, rows: list[Attempt]) -> list[PastConversation]:
    ids = [a.id for a in rows]
    scores = session.exec(select(Score.id, Score.attempt_id, Score.total)
                          .where(Score.attempt_id.in_(ids))).all() if ids else []  # type: ignore[attr-defined]
    effective = effective_totals(session, [score_id for score_id, _, _ in scores])
    totals: dict[int, list[float]] = defaultdict(list)
    for score_id, attempt_id, total in scores:
        totals[attempt_id].append(effective.get(score_id, total))
    return [
        PastConversation(attempt_id=a.id, scenario_id=a.scenario_id, medium=a.medium, started_at=a.started_at,
                         outcome=AttemptOutcome(a.outcome).value, replies=len(totals[a.id]),
                         mean_total=sum(totals[a.id]) / len(totals[a.id]) if totals[a.id] else None)
        for a in rows
    ]


def past_conversations(*, session: Session, actor: Actor, trainee_id: int,
                       limit: int = PAST_LIMIT) -> list[PastConversation]:
    """The trainee's finished and abandoned practice conversations, newest first, at most `limit`
    (group drills and announcements have their own screens)."""
    load_for(session, actor, User, trainee_id, Action.read_attempts)
    rows = list(session.exec(
        select(Attempt).where(Attempt.user_id == trainee_id, Attempt.outcome != AttemptOutcome.in_progress,
                              Attempt.drill_run_id == None, Attempt.scenario_type != ANNOUNCEMENT)  # noqa: E711
        .order_by(Attempt.started_at.desc(), Attempt.id.desc())  # type: ignore[attr-defined]
        .limit(limit)
    ).all())
    return _summaries(session, rows)


def _remarks(session: Session, scored: attempts.ScoredTurn) -> list[Remark]:
    ids = {r.reviewer_id for r in scored.reviews} | {o.reviewer_id for o in scored.overrides}
    names = dict(session.exec(select(User.id, User.full_name).where(User.id.in_(ids))).all()) if ids else {}  # type: ignore[attr-defined]
    remarks = [Remark(reviewer=names.get(r.reviewer_id, ""), at=r.created_at, text=r.comment) for r in scored.reviews]
    remarks += [Remark(reviewer=names.get(o.reviewer_id, ""), at=o.created_at, text=o.reason, dimension=o.dimension,
                       automatic=o.automatic_score, override=o.override_score) for o in scored.overrides]
    return sorted(remarks, key=lambda r: r.at)


def _stored_turn(scored: attempts.ScoredTurn, medium: str) -> practice.PracticeTurn:
    """A reply as stored, without a model answer (the story could not be played again)."""
    turn, action = scored.turn, None if scored.turn.action in (None, "reply") else scored.turn.action
    seconds = (turn.sent_at - turn.shown_at).total_seconds() if turn.sent_at and turn.shown_at else 0.0
    return practice.PracticeTurn(reply=turn.text, action=action, medium=medium, scorecard=scored.score.scorecard,
                                 model_answer="", seconds=round(max(0.0, seconds), 1))


def reopened(*, session: Session, actor: Actor, attempt_id: int) -> PastReplay:
    """One past practice conversation, played again. The trainee opens their own, their
    dialogue managers and admins theirs; anyone else is refused (PermissionDenied)."""
    detail = attempts.attempt_detail(session=session, actor=actor, attempt_id=attempt_id)
    story = practice.replayed(detail, now=utcnow())  # no `record`: reading writes nothing
    replayed_turns = iter(story.turns if story else [])
    scored = [s for s in detail.turns if s.score is not None]
    effective = effective_totals(session, [s.score.id for s in scored])
    messages = []
    for item in detail.turns:
        turn = item.turn
        if turn.speaker == Speaker.customer:
            messages.append(PastMessage(from_customer=True, text=turn.text, at=turn.shown_at))
        elif turn.speaker == Speaker.trainee:
            reply = None
            if item.score is not None:
                shown = next(replayed_turns, None) or _stored_turn(item, detail.attempt.medium)
                reply = PastReply(turn=shown, automatic_total=item.score.total, effective_total=effective.get(item.score.id, item.score.total),
                                  pass_mark=item.score.pass_mark, remarks=_remarks(session, item))
            messages.append(PastMessage(from_customer=False, text=turn.text, at=turn.sent_at, reply=reply))
    return PastReplay(conversation=_summaries(session, [detail.attempt])[0], messages=messages,
                      actions=dict(story.conversation.actions) if story else {}, model_answers=story is not None)

"""What reached the trainee: their reviewed conversations, and the figure that counts per reply.

A manager's comment (`Review`) and override (`ScoreOverride`) sit beside the automatic score,
never over it. For progress figures and certification the latest override of a reply's total is
the figure that counts (`effective_totals`); the automatic score stays stored and shown beside it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session, select

from trainer.db.models import Attempt, Review, Score, ScoreOverride, Turn, User
from trainer.services.accounts import load_for
from trainer.services.rights import Action, Actor


@dataclass(frozen=True)
class Remark:
    """One comment or override by a manager on one reply."""

    reviewer: str
    at: datetime
    text: str
    dimension: str | None = None  # an override of one dimension; None: the total or a plain comment
    automatic: float | None = None  # set for overrides only
    override: float | None = None


@dataclass
class ReviewedReply:
    score_id: int
    scored_at: datetime
    automatic_total: float
    effective_total: float  # the latest override of the total, else the automatic total
    pass_mark: float
    text: str  # what the trainee wrote
    remarks: list[Remark] = field(default_factory=list)

    @property
    def overridden(self) -> bool:
        return self.effective_total != self.automatic_total


@dataclass
class ReviewedConversation:
    attempt_id: int
    scenario_id: str
    medium: str
    language: str
    started_at: datetime
    last_reviewed_at: datetime
    replies: list[ReviewedReply]


def effective_totals(session: Session, score_ids: Iterable[int]) -> dict[int, float]:
    """The latest override of each score's total, for the scores that have one."""
    ids = list(score_ids)
    if not ids:
        return {}
    rows = session.exec(
        select(ScoreOverride.score_id, ScoreOverride.override_score)
        .where(ScoreOverride.score_id.in_(ids), ScoreOverride.dimension == None)  # type: ignore[attr-defined]  # noqa: E711
        .order_by(ScoreOverride.created_at, ScoreOverride.id)
    ).all()
    return {score_id: value for score_id, value in rows}  # later rows win


def reviewed_conversations(*, session: Session, actor: Actor, trainee_id: int) -> list[ReviewedConversation]:
    """Every conversation of the trainee a manager commented on or overrode, the most recently
    reviewed first; within one, replies in the order they were written."""
    actor, _ = load_for(session, actor, User, trainee_id, Action.read_attempts)
    reviews = session.exec(
        select(Review, Score, User.full_name).join(Score, Score.id == Review.score_id)
        .join(User, User.id == Review.reviewer_id).where(Score.user_id == trainee_id)
    ).all()
    overrides = session.exec(
        select(ScoreOverride, Score, User.full_name).join(Score, Score.id == ScoreOverride.score_id)
        .join(User, User.id == ScoreOverride.reviewer_id).where(Score.user_id == trainee_id)
    ).all()
    remarks: dict[int, list[Remark]] = defaultdict(list)
    scores: dict[int, Score] = {}
    for review, score, name in reviews:
        scores[score.id] = score
        remarks[score.id].append(Remark(reviewer=name, at=review.created_at, text=review.comment))
    for entry, score, name in overrides:
        scores[score.id] = score
        remarks[score.id].append(Remark(reviewer=name, at=entry.created_at, text=entry.reason, dimension=entry.dimension,
                                        automatic=entry.automatic_score, override=entry.override_score))
    if not scores:
        return []
    effective = effective_totals(session, scores)
    attempts = {a.id: a for a in session.exec(
        select(Attempt).where(Attempt.id.in_({s.attempt_id for s in scores.values()}))  # type: ignore[attr-defined]
    ).all()}
    texts = dict(session.exec(
        select(Turn.id, Turn.text).where(Turn.id.in_({s.turn_id for s in scores.values()}))  # type: ignore[attr-defined]
    ).all())
    replies_of: dict[int, list[ReviewedReply]] = defaultdict(list)
    for score_id, score in sorted(scores.items(), key=lambda item: (item[1].scored_at, item[0])):
        replies_of[score.attempt_id].append(ReviewedReply(
            score_id=score_id, scored_at=score.scored_at, automatic_total=score.total,
            effective_total=effective.get(score_id, score.total), pass_mark=score.pass_mark,
            text=texts.get(score.turn_id, ""),
            remarks=sorted(remarks[score_id], key=lambda r: r.at),
        ))
    conversations = [
        ReviewedConversation(
            attempt_id=attempt_id, scenario_id=attempts[attempt_id].scenario_id, medium=attempts[attempt_id].medium,
            language=attempts[attempt_id].language, started_at=attempts[attempt_id].started_at,
            last_reviewed_at=max(r.at for reply in replies for r in reply.remarks), replies=replies,
        )
        for attempt_id, replies in replies_of.items()
    ]
    return sorted(conversations, key=lambda c: (c.last_reviewed_at, c.attempt_id), reverse=True)


def reviewed_count(*, session: Session, actor: Actor, trainee_id: int) -> int:
    """How many of the trainee's conversations carry a manager's comment or override (the menu's count)."""
    actor, _ = load_for(session, actor, User, trainee_id, Action.read_attempts)
    reviewed = set(session.exec(
        select(Score.attempt_id).join(Review, Review.score_id == Score.id).where(Score.user_id == trainee_id)
    ).all())
    reviewed |= set(session.exec(
        select(Score.attempt_id).join(ScoreOverride, ScoreOverride.score_id == Score.id).where(Score.user_id == trainee_id)
    ).all())
    return len(reviewed)

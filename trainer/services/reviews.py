"""A dialogue manager's reviews and score overrides.

An override is stored beside the automatic score, never over it: the scorecard stays exactly as
the scorer made it, so how often people and the scorer agree can be measured later
(`override_agreement`). Every override lands in the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from trainer.db.engine import writes
from trainer.db.models import DimensionScore, Review, Score, ScoreOverride
from trainer.services import audit, limits
from trainer.services.accounts import load_actor, load_for
from trainer.services.errors import Refused
from trainer.services.rights import Action, Actor, require


class ReviewError(Refused):
    """A review or an override that cannot be stored as asked (no comment, a figure out of range)."""

    area = "review"


@writes
def add_review(*, session: Session, actor: Actor, score_id: int, comment: str) -> Review:
    actor, score = load_for(session, actor, Score, score_id, Action.review)
    limits.check(comment, "comment")
    if not comment.strip():
        raise ReviewError("comment_needed")
    review = Review(score_id=score.id, reviewer_id=actor.id, comment=comment.strip())
    session.add(review)
    session.commit()
    session.refresh(review)
    return review


@writes
def override_score(
    *, session: Session, actor: Actor, score_id: int, override: float, reason: str, dimension: str | None = None
) -> ScoreOverride:
    """Record the manager's own figure for the total (`dimension` None) or one dimension."""
    actor, score = load_for(session, actor, Score, score_id, Action.review)
    limits.check(reason, "comment")
    if not 0 <= override <= 100:
        raise ReviewError("override_out_of_range")
    if dimension is None:
        automatic: float | None = score.total
    else:
        row = session.exec(
            select(DimensionScore).where(DimensionScore.score_id == score.id, DimensionScore.name == dimension)
        ).first()
        if row is None:
            raise ReviewError("no_dimension", dimension=dimension)
        automatic = row.score
    entry = ScoreOverride(
        score_id=score.id, reviewer_id=actor.id, dimension=dimension,
        automatic_score=automatic, override_score=override, reason=reason.strip(),
    )
    session.add(entry)
    session.flush()
    audit.record(
        session, actor=actor, action="score.override", target_type="score", target_id=score.id, reason=reason,
        details={"dimension": dimension, "automatic": automatic, "override": override, "override_id": entry.id},
    )
    session.commit()
    session.refresh(entry)
    return entry


@dataclass(frozen=True)
class Agreement:
    overrides: int
    mean_absolute_difference: float | None  # points between the manager and the scorer


def override_agreement(*, session: Session, actor: Actor, dimension: str | None = None) -> Agreement:
    """How far managers' overrides are from the automatic scores (admins: the scorer's quality)."""
    actor = load_actor(session, actor)
    require(actor, Action.read_audit, session=session)
    query = select(ScoreOverride).where(ScoreOverride.automatic_score != None)  # noqa: E711
    query = query.where(ScoreOverride.dimension == dimension) if dimension else query.where(ScoreOverride.dimension == None)  # noqa: E711
    rows = session.exec(query).all()
    if not rows:
        return Agreement(0, None)
    return Agreement(len(rows), sum(abs(r.override_score - r.automatic_score) for r in rows) / len(rows))

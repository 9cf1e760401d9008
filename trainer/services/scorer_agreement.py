"""Where the scorer and a team's managers disagree.

Every override is stored beside the automatic score (trainer/services/reviews.py), so the
difference can be measured per dimension, and the rules that fired on replies a manager then
marked *up* are the rules the team disagrees with most. The team page shows this to the dialogue
manager; `webcare calibrate` is the same comparison on a file of judgements.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from sqlmodel import Session, select

from trainer.db.models import FindingRecord, Score, ScoreOverride, Team, TeamMembership
from trainer.services.accounts import load_for
from trainer.services.rights import Action, Actor

TOTAL = "total"  # the key for overrides of the total rather than one dimension
MOST_OVERRULED = 5
# Less than this between the two figures is a rounding remark, not a disagreement.
DISAGREEMENT_POINTS = 5.0


@dataclass(frozen=True)
class DimensionDifference:
    dimension: str  # a dimension name or TOTAL
    overrides: int
    mean_difference: float  # manager minus scorer: positive means managers score higher
    mean_absolute_difference: float
    raised: int  # overrides more than DISAGREEMENT_POINTS above the scorer
    lowered: int  # ... and below it


@dataclass(frozen=True)
class OverruledRule:
    rule: str
    dimension: str
    overrides: int  # overrides that raised a score on which this rule had fired
    example: str  # the rule's message on the latest of them


@dataclass(frozen=True)
class ScorerAgreement:
    overrides: int
    by_dimension: list[DimensionDifference]
    most_overruled: list[OverruledRule]


def _team_members_and_managers(session: Session, team_id: int) -> tuple[set[int], set[int]]:
    rows = session.exec(select(TeamMembership.user_id, TeamMembership.is_manager)
                        .where(TeamMembership.team_id == team_id)).all()
    return {user for user, manager in rows if not manager}, {user for user, manager in rows if manager}


def scorer_vs_managers(*, session: Session, actor: Actor, team_id: int) -> ScorerAgreement:
    """The overrides this team's managers made on this team's trainees, against the scorer.

    Only this team's managers count: a trainee in two teams is reviewed by both, and one team's
    judgement is not the other's to read."""
    actor, team = load_for(session, actor, Team, team_id, Action.read_team)
    trainees, managers = _team_members_and_managers(session, team_id)
    if not trainees or not managers:
        return ScorerAgreement(0, [], [])
    overrides = session.exec(
        select(ScoreOverride)
        .join(Score, Score.id == ScoreOverride.score_id)
        .where(Score.user_id.in_(trainees), ScoreOverride.reviewer_id.in_(managers),  # type: ignore[attr-defined]
               ScoreOverride.automatic_score != None)  # noqa: E711
        .order_by(ScoreOverride.created_at)
    ).all()
    return ScorerAgreement(len(overrides), _differences(overrides), _most_overruled(session, overrides))


def _differences(overrides: list[ScoreOverride]) -> list[DimensionDifference]:
    by_dimension: dict[str, list[float]] = defaultdict(list)
    for entry in overrides:
        by_dimension[entry.dimension or TOTAL].append(entry.override_score - entry.automatic_score)
    return [
        DimensionDifference(
            dimension=name,
            overrides=len(gaps),
            mean_difference=sum(gaps) / len(gaps),
            mean_absolute_difference=sum(abs(g) for g in gaps) / len(gaps),
            raised=sum(1 for g in gaps if g > DISAGREEMENT_POINTS),
            lowered=sum(1 for g in gaps if g < -DISAGREEMENT_POINTS),
        )
        for name, gaps in sorted(by_dimension.items(), key=lambda item: (item[0] != TOTAL, item[0]))
    ]


def _most_overruled(session: Session, overrides: list[ScoreOverride]) -> list[OverruledRule]:
    """Rules that had cost points on replies a manager then marked up, in the overridden
    dimension (any dimension for an override of the total)."""
    raised = [o for o in overrides if o.override_score - o.automatic_score > DISAGREEMENT_POINTS]
    if not raised:
        return []
    findings = session.exec(
        select(FindingRecord)
        .where(FindingRecord.score_id.in_({o.score_id for o in raised}), FindingRecord.points > 0)  # type: ignore[attr-defined]
        .order_by(FindingRecord.id)
    ).all()
    by_score: dict[int, list[FindingRecord]] = defaultdict(list)
    for finding in findings:
        by_score[finding.score_id].append(finding)
    counts: Counter[tuple[str, str]] = Counter()
    examples: dict[tuple[str, str], str] = {}
    for override in raised:
        # A rule counts once per override, however often it fired in the reply.
        fired = {(f.rule, f.dimension): f.message for f in by_score[override.score_id]
                 if override.dimension in (None, f.dimension)}
        counts.update(fired.keys())
        examples.update(fired)
    return [OverruledRule(rule=rule, dimension=dimension, overrides=n, example=examples[(rule, dimension)])
            for (rule, dimension), n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:MOST_OVERRULED]]
